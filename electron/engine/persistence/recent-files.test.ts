import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileRecentFiles, RECENT_FILES_LIMIT } from './recent-files.js';

describe('recent files', () => {
  it('keeps the most recent first, once each, up to the limit, across restarts', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'recent-')), 'recent-files.json');
    const recent = fileRecentFiles(path);
    for (let i = 0; i < RECENT_FILES_LIMIT + 5; i++) recent.add(`/data/${i}.jsonl`, i);
    recent.add('/data/3.jsonl', 100);
    await recent.saved();
    const again = fileRecentFiles(path).list();
    expect(again).toHaveLength(RECENT_FILES_LIMIT);
    expect(again[0]).toEqual({ path: '/data/3.jsonl', openedAt: 100 });
    expect(again[1]!.path).toBe(`/data/${RECENT_FILES_LIMIT + 4}.jsonl`);
    expect(again.filter((f) => f.path === '/data/3.jsonl')).toHaveLength(1);
  });

  it('sets a corrupt file aside and reports it instead of resetting it silently', () => {
    const dir = mkdtempSync(join(tmpdir(), 'recent-'));
    const path = join(dir, 'recent-files.json');
    writeFileSync(path, '{"files": [{"path": 3}]}');
    const warnings: string[] = [];
    const recent = fileRecentFiles(path, { warn: (line) => warnings.push(line), now: () => new Date(0) });
    expect(recent.list()).toEqual([]);
    expect(warnings[0]).toMatch(/recent files file .*recent-files\.json could not be read \(files\.0\.path: .*\); moved it to .*recent-files\.corrupt-1970/);
    const aside = readdirSync(dir).find((name) => name.includes('corrupt'))!;
    expect(readFileSync(join(dir, aside), 'utf8')).toBe('{"files": [{"path": 3}]}');
  });
});
