import { readFileSync, renameSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { z } from 'zod';

/** How a JSON file that cannot be read back is reported. */
export interface JsonFileOptions {
  /** Where a set-aside corrupt file is reported (one line). Default: stderr. */
  warn?: (line: string) => void;
  now?: () => Date;
}

/**
 * Reads a JSON file the app keeps (settings, recent files) and checks it with `schema`. Missing:
 * null. Unreadable or not matching: moved aside as `<name>.corrupt-<time>.json`, reported with
 * `what` it is, and null, so a damaged file is never silently replaced by the next write.
 */
export function readJsonFileOrSetAside<T>(path: string, schema: z.ZodType<T>, what: string, options: JsonFileOptions = {}): T | null {
  const warn = options.warn ?? ((line: string) => process.stderr.write(`${line}\n`));
  const now = options.now ?? (() => new Date());
  const setAside = (reason: string): null => {
    const stamp = now().toISOString().replace(/[:.]/g, '-');
    const aside = join(dirname(path), `${basename(path, '.json')}.corrupt-${stamp}.json`);
    try {
      renameSync(path, aside);
      warn(`trajdbg: the ${what} file ${path} could not be read (${reason}); moved it to ${aside} and started without saved ${what}`);
    } catch (error) {
      warn(`trajdbg: the ${what} file ${path} could not be read (${reason}) nor moved aside (${(error as Error).message}); starting without saved ${what}`);
    }
    return null;
  };
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
    return setAside(`not JSON: ${(error as Error).message}`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return setAside(`${issue.path.join('.') || 'the top level'}: ${issue.message}`);
  }
  return parsed.data;
}
