import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { runSettingsSchema, type RunSettings } from '#shared/api/contract.js';
import { writeFileAtomic } from './atomic-file.js';
import { readJsonFileOrSetAside, type JsonFileOptions } from './json-file.js';
import { withoutApiKey, type SettingsStore } from './settings.js';

/** `$XDG_CONFIG_HOME/trajdbg/settings.json`, else `~/.config/trajdbg/settings.json`. */
export function settingsFilePath(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_CONFIG_HOME;
  // The XDG spec says a relative value is invalid and must be ignored.
  return join(xdg && isAbsolute(xdg) ? xdg : join(homedir(), '.config'), 'trajdbg', 'settings.json');
}

/** How a corrupt settings file is reported. */
export type FileSettingsOptions = JsonFileOptions;

/**
 * The last run settings in a JSON file. Writes are atomic (a temp file renamed over the old one);
 * a file that cannot be read back is moved aside as `settings.corrupt-<time>.json` and reported,
 * never silently replaced. The API key is never written.
 */
export function fileSettingsStore(path: string, options: FileSettingsOptions = {}): SettingsStore {
  return {
    load(): RunSettings | null {
      const settings = readJsonFileOrSetAside(path, runSettingsSchema, 'settings', options);
      return settings && withoutApiKey(settings);
    },
    save(settings: RunSettings): void {
      writeFileAtomic(path, `${JSON.stringify(withoutApiKey(settings), null, 2)}\n`, 0o600);
    },
  };
}
