import { Menu, type MenuItemConstructorOptions } from 'electron';

/** What the app's own menu items do. */
export interface MenuActions {
  /** File > Open…: a native dialog, then the file opens in the engine. */
  openFile(): void;
}

/** The application menu: File (Open…, then the standard items), edit, view and window, plus the app menu on macOS. */
export function applicationMenuTemplate(platform: NodeJS.Platform, actions: MenuActions): MenuItemConstructorOptions[] {
  const isMac = platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [];
  if (isMac) template.push({ role: 'appMenu' });
  template.push(
    {
      label: 'File',
      submenu: [{ label: 'Open…', accelerator: 'CmdOrCtrl+O', click: () => actions.openFile() }, { type: 'separator' }, isMac ? { role: 'close' } : { role: 'quit' }],
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        { role: 'reload' },
        { role: 'forceReload' },
        { role: 'toggleDevTools' },
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
  );
  return template;
}

/** Installs the application menu. */
export function installApplicationMenu(platform: NodeJS.Platform, actions: MenuActions): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(applicationMenuTemplate(platform, actions)));
}
