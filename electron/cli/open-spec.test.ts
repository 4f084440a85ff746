import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseOpenSpec } from './open-spec.js';

describe('trajdbg open FILE[#N]', () => {
  const dir = mkdtempSync(join(tmpdir(), 'open-spec-'));
  writeFileSync(join(dir, 'runs.jsonl'), '{}\n');
  writeFileSync(join(dir, 'odd#3'), '{}\n');

  it('takes the trajectory index after #, and resolves the path from the working folder', () => {
    expect(parseOpenSpec('runs.jsonl#12', dir)).toEqual({ path: join(dir, 'runs.jsonl'), index: 12 });
    expect(parseOpenSpec(join(dir, 'runs.jsonl'))).toEqual({ path: join(dir, 'runs.jsonl') });
  });

  it('keeps a # that is part of an existing file name', () => {
    expect(parseOpenSpec('odd#3', dir)).toEqual({ path: join(dir, 'odd#3') });
  });

  it('names a missing file', () => {
    expect(() => parseOpenSpec('missing.jsonl#2', dir)).toThrow('missing.jsonl#2: no such file');
  });

  it('takes a folder or a glob as a rollout set', () => {
    expect(parseOpenSpec(dir)).toEqual({ path: dir, set: true });
    expect(parseOpenSpec('shards/*.jsonl.gz', dir)).toEqual({ path: join(dir, 'shards/*.jsonl.gz'), set: true });
  });
});
