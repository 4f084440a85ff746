import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { EXPORT_FORMATS } from '../../../shared/formats/export.js';
import { main } from '../../cli/main.js';
import { mountFullDisk } from '../../testing/full-disk.js';
import { exportTrajectories } from './export-file.js';

const HERMES = fileURLToPath(new URL('../../../../shared/corpus/hermes-agent_session_export.jsonl', import.meta.url));
const disk = mountFullDisk('64k');
if (!disk.dir) console.warn(`skipping the full-disk tests: ${disk.reason}`);
afterAll(() => disk.unmount());

describe.skipIf(!disk.dir)('on a full disk (a 64k tmpfs)', () => {
  const dir = disk.dir!;
  // Each test starts on an empty disk, whatever the one before left.
  beforeEach(() => {
    for (const f of readdirSync(dir)) rmSync(join(dir, f), { force: true });
  });

  it.each(EXPORT_FORMATS)('convert --to %s fails, names the file and leaves the old one as it was', async (format) => {
    const out = join(dir, `out.${format}`);
    writeFileSync(out, 'old\n');
    // Leave a few KB free: even a one-trajectory report does not fit.
    writeFileSync(join(dir, 'filler'), Buffer.alloc(48 * 1024));
    const errors: string[] = [];
    const index = format === 'html' || format === 'markdown' ? ['--index', '1'] : [];
    expect(await main(['convert', HERMES, '--to', format, '--out', out, ...index], (line) => errors.push(line))).toBe(1);
    expect(errors.join('\n')).toContain(out);
    expect(errors.join('\n')).toMatch(/ENOSPC|no space/i);
    expect(readFileSync(out, 'utf8')).toBe('old\n');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('convert --to openai-jsonl of the whole file does not fit and fails', async () => {
    const out = join(dir, 'all.jsonl');
    writeFileSync(out, 'old\n');
    const errors: string[] = [];
    expect(await main(['convert', HERMES, '--to', 'openai-jsonl', '--out', out], (line) => errors.push(line))).toBe(1);
    expect(errors.join('\n')).toContain(out);
    expect(readFileSync(out, 'utf8')).toBe('old\n');
  });

  it("serve mode's export rejects, naming the file, and keeps the old one", async () => {
    const out = join(dir, 'export.jsonl');
    writeFileSync(out, 'old\n');
    await expect(exportTrajectories({ path: HERMES }, 'sharegpt', out)).rejects.toThrow(new RegExp(`${out.replace(/[.]/g, '\\.')}.*(ENOSPC|no space)`));
    expect(readFileSync(out, 'utf8')).toBe('old\n');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
