import type { Locator, Page } from '@playwright/test';

/** The app as a person sees it: regions, controls and the run state, found by role and name. */
export class AppPage {
  readonly status: Locator;
  readonly turns: Locator;
  readonly trajectory: Locator;
  readonly promptView: Locator;
  readonly metrics: Locator;

  constructor(readonly page: Page) {
    this.status = page.getByRole('status').first();
    this.turns = page.getByRole('region', { name: 'Turns' });
    this.trajectory = page.getByRole('region', { name: 'Trajectory' });
    this.promptView = page.getByRole('region', { name: 'Prompt view' });
    this.metrics = page.getByRole('region', { name: 'Metrics' });
  }

  button(name: string): Locator {
    return this.page.getByRole('button', { name, exact: true });
  }

  /** The row of turn `n` in the Turns list. */
  turn(n: number): Locator {
    return this.turns.getByRole('listitem').filter({ hasText: new RegExp(`^\\s*(Turn\\s*)?${n}\\b`) });
  }

  async setBreakpoint(name: 'Break before model call' | 'Break before tools' | 'Break on tool error', on: boolean): Promise<void> {
    await this.page.getByRole('checkbox', { name }).setChecked(on);
  }

  /** Opens a trajectory file by path from the Open file dialog, as a person types it. */
  async openFile(path: string): Promise<void> {
    await this.button('Open file…').click();
    const dialog = this.page.getByRole('dialog', { name: 'Open trajectory file' });
    await dialog.getByLabel('File path').fill(path);
    await dialog.getByRole('button', { name: 'Open' }).click();
  }

  /** Fills the New run dialog and starts the run. */
  async startRun(fields: { baseURL: string; model?: string; apiKey?: string; user?: string; maxContextTokens?: number }): Promise<void> {
    await this.button('New run').click();
    const dialog = this.page.getByRole('dialog', { name: 'New run' });
    await dialog.getByLabel('Base URL').fill(fields.baseURL);
    await dialog.getByLabel('Model').fill(fields.model ?? 'scripted');
    if (fields.apiKey !== undefined) await dialog.getByLabel('API key').fill(fields.apiKey);
    await dialog.getByLabel('User prompt').fill(fields.user ?? 'Do the task.');
    if (fields.maxContextTokens !== undefined) await dialog.getByLabel('Max context tokens').fill(String(fields.maxContextTokens));
    await dialog.getByRole('button', { name: 'Start run' }).click();
  }

  /** Replaces the whole text of the Monaco editor in `dialog` by typing, as a person does. */
  async replaceEditorText(dialog: Locator, text: string): Promise<void> {
    await dialog.locator('.monaco-editor .view-lines').click();
    await this.page.keyboard.press('ControlOrMeta+A');
    await this.page.keyboard.press('Delete');
    await this.page.keyboard.type(text);
  }
}
