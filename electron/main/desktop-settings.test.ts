import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi, type Mock } from 'vitest';

// Spies over the real fs, to see how the file is written.
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof NodeFs>();
  return { ...fs, writeFileSync: vi.fn(fs.writeFileSync), renameSync: vi.fn(fs.renameSync) };
});

import * as fs from 'node:fs';
import type * as NodeFs from 'node:fs';
import { runSettingsSchema, type RunSettings } from '../../shared/api/contract.js';
import { fileSettingsStore } from './desktop-settings.js';

const settings: RunSettings = runSettingsSchema.parse({
  endpoint: { baseURL: 'http://127.0.0.1:8000/v1', model: 'Qwen/Qwen3-8B', apiKey: 'sk-do-not-store' },
  sampling: { temperature: 0.7 },
  limits: { maxTurns: 12 },
  prompt: { system: 'be brief', user: 'list the files' },
  tools: { builtin: ['read_file'], workspace: '/tmp/ws' },
});

let dir: string;
type Log = (message: string) => void;
let report: { error: Mock<Log>; warn: Mock<Log> };

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'trajdbg-settings-'));
  report = { error: vi.fn<Log>(), warn: vi.fn<Log>() };
  vi.clearAllMocks();
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('fileSettingsStore', () => {
  it('has nothing to load before the first save', () => {
    expect(fileSettingsStore(dir, report).load()).toBeNull();
    expect(report.error).not.toHaveBeenCalled();
  });

  it('loads back what it saved, without the API key', () => {
    fileSettingsStore(dir, report).save(settings);
    const { apiKey: _apiKey, ...endpoint } = settings.endpoint;
    expect(fileSettingsStore(dir, report).load()).toEqual({ ...settings, endpoint });
    expect(readFileSync(join(dir, 'settings.json'), 'utf8')).not.toContain('sk-do-not-store');
  });

  it('writes a temporary file beside settings.json and renames it over', () => {
    fileSettingsStore(dir, report).save(settings);
    const target = join(dir, 'settings.json');
    const written = vi.mocked(fs.writeFileSync).mock.calls.map((call) => String(call[0]));
    expect(written).toHaveLength(1);
    expect(written[0]).not.toBe(target);
    expect(written[0]!.startsWith(`${target}.`)).toBe(true);
    expect(vi.mocked(fs.renameSync)).toHaveBeenCalledExactlyOnceWith(written[0], target);
    expect(readdirSync(dir)).toEqual(['settings.json']);
  });

  it('keeps the previous file whole when a write fails, and reports the failure instead of throwing', () => {
    const store = fileSettingsStore(dir, report);
    store.save(settings);
    const before = readFileSync(join(dir, 'settings.json'), 'utf8');
    vi.mocked(fs.renameSync).mockImplementationOnce(() => {
      throw new Error('EXDEV: simulated');
    });
    expect(() => store.save({ ...settings, limits: { ...settings.limits, maxTurns: 99 } })).not.toThrow();
    expect(report.error).toHaveBeenCalledWith(expect.stringContaining('EXDEV: simulated'));
    expect(readFileSync(join(dir, 'settings.json'), 'utf8')).toBe(before);
    expect(readdirSync(dir)).toEqual(['settings.json']);
  });

  it('creates its folder when needed', () => {
    const nested = join(dir, 'not', 'yet');
    fileSettingsStore(nested, report).save(settings);
    expect(existsSync(join(nested, 'settings.json'))).toBe(true);
  });

  it.each([
    ['bad JSON', '{"endpoint": {"baseURL": '],
    ['settings this version does not accept', JSON.stringify({ endpoint: { baseURL: 'not a url', model: 'm' } })],
  ])('moves a file with %s aside as settings.corrupt-<time>.json and reports it', (_what, content) => {
    writeFileSync(join(dir, 'settings.json'), content);
    expect(fileSettingsStore(dir, report).load()).toBeNull();

    const aside = readdirSync(dir).filter((name) => /^settings\.corrupt-.+\.json$/.test(name));
    expect(aside).toHaveLength(1);
    expect(readFileSync(join(dir, aside[0]!), 'utf8')).toBe(content);
    expect(existsSync(join(dir, 'settings.json'))).toBe(false);
    expect(report.error).toHaveBeenCalledOnce();
    expect(report.error.mock.calls[0]![0]).toContain(aside[0]);

    // The next save starts afresh and the set-aside copy stays.
    fileSettingsStore(dir, report).save(settings);
    expect(readdirSync(dir).sort()).toEqual([aside[0], 'settings.json'].sort());
  });

  it('reports a settings file it cannot read without moving it', () => {
    mkdirSync(join(dir, 'settings.json'));
    expect(fileSettingsStore(dir, report).load()).toBeNull();
    expect(report.error).toHaveBeenCalledOnce();
    expect(existsSync(join(dir, 'settings.json'))).toBe(true);
  });
});
