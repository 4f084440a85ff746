import { readFileSync, renameSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { runSettingsSchema, type RunSettings } from '../../shared/api/contract.js';
import { writeFileAtomic } from './atomic-file.js';
import { withoutApiKey, type SettingsStore } from './settings.js';

/** `$XDG_CONFIG_HOME/trajdbg/settings.json`, else `~/.config/trajdbg/settings.json`. */
export function settingsFilePath(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_CONFIG_HOME;
  // The XDG spec says a relative value is invalid and must be ignored.
  return join(xdg && isAbsolute(xdg) ? xdg : join(homedir(), '.config'), 'trajdbg', 'settings.json');
}

export interface FileSettingsOptions {
  /** Where a set-aside corrupt file is reported (one line). Default: stderr. */
  warn?: (line: string) => void;
  now?: () => Date;
}

/**
 * The last run settings in a JSON file (serve mode). Writes are atomic (a temp file renamed over
 * the old one); a file that cannot be read back is moved aside as `settings.corrupt-<time>.json`
 * and reported, never silently replaced. The API key is never written.
 */
export function fileSettingsStore(path: string, options: FileSettingsOptions = {}): SettingsStore {
  const warn = options.warn ?? ((line: string) => process.stderr.write(`${line}\n`));
  const now = options.now ?? (() => new Date());

  function setAside(reason: string): void {
    const stamp = now().toISOString().replace(/[:.]/g, '-');
    const aside = join(dirname(path), `${basename(path, '.json')}.corrupt-${stamp}.json`);
    try {
      renameSync(path, aside);
      warn(`trajdbg: the settings file ${path} could not be read (${reason}); moved it to ${aside} and started without saved settings`);
    } catch (error) {
      warn(`trajdbg: the settings file ${path} could not be read (${reason}) nor moved aside (${(error as Error).message}); starting without saved settings`);
    }
  }

  return {
    load(): RunSettings | null {
      let text: string;
      try {
        text = readFileSync(path, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch (error) {
        setAside(`not JSON: ${(error as Error).message}`);
        return null;
      }
      const parsed = runSettingsSchema.safeParse(json);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        setAside(`${issue.path.join('.') || 'settings'}: ${issue.message}`);
        return null;
      }
      return withoutApiKey(parsed.data);
    },
    save(settings: RunSettings): void {
      writeFileAtomic(path, `${JSON.stringify(withoutApiKey(settings), null, 2)}\n`, 0o600);
    },
  };
}
