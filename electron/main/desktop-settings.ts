import { existsSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { runSettingsSchema, type RunSettings } from '../../shared/api/contract.js';
import type { SettingsStore } from '../engine/settings.js';
import { writeFileAtomic } from './atomic-file.js';

/** Where problems are reported (console in the app, a spy in tests). */
export type Reporter = Pick<Console, 'error' | 'warn'>;

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The desktop's SettingsStore: the last run settings as JSON in `dir` (the app's userData folder),
 * written atomically and never with the API key. A file that cannot be read back (bad JSON, or
 * settings this version does not accept) is moved aside as `settings.corrupt-<time>.json` and
 * reported, so the user's settings are never silently thrown away.
 */
export function fileSettingsStore(dir: string, report: Reporter = console): SettingsStore {
  const file = join(dir, 'settings.json');

  function setAside(reason: string): void {
    const aside = join(dir, `settings.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    try {
      renameSync(file, aside);
      report.error(`Settings file ${file} could not be read (${reason}); moved it to ${aside} and started from defaults.`);
    } catch (error) {
      report.error(`Settings file ${file} could not be read (${reason}) nor moved aside: ${messageOf(error)}`);
    }
  }

  return {
    load(): RunSettings | null {
      if (!existsSync(file)) return null;
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (error) {
        report.error(`Settings file ${file} could not be read: ${messageOf(error)}`);
        return null;
      }
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch (error) {
        setAside(`invalid JSON: ${messageOf(error)}`);
        return null;
      }
      const parsed = runSettingsSchema.safeParse(json);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        setAside(`${issue.path.join('.') || 'settings'}: ${issue.message}`);
        return null;
      }
      return parsed.data;
    },
    save(settings: RunSettings): void {
      // The key lives in the SecretStore only, whatever the caller passed.
      const { apiKey: _apiKey, ...endpoint } = settings.endpoint;
      try {
        writeFileAtomic(file, `${JSON.stringify({ ...settings, endpoint }, null, 2)}\n`);
      } catch (error) {
        // Remembering settings is a convenience: a full disk must not fail the run being started.
        report.error(`Settings could not be saved to ${file}: ${messageOf(error)}`);
      }
    },
  };
}
