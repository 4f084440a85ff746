import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runSettingsSchema } from '#shared/api/contract.js';
import { fileSettingsStore, settingsFilePath } from './settings-file.js';

const settings = runSettingsSchema.parse({
  endpoint: { baseURL: 'http://127.0.0.1:8000/v1', model: 'm', apiKey: 'sk-never-written' },
  sampling: {},
  limits: {},
  prompt: { user: 'hi' },
  tools: {},
});

function store() {
  const dir = join(mkdtempSync(join(tmpdir(), 'trajdbg-settings-')), 'trajdbg');
  const path = join(dir, 'settings.json');
  const warnings: string[] = [];
  return { dir, path, warnings, store: fileSettingsStore(path, { warn: (line) => warnings.push(line), now: () => new Date('2026-01-02T03:04:05.678Z') }) };
}

describe('file settings store', () => {
  it('finds its file under XDG_CONFIG_HOME, else ~/.config', () => {
    expect(settingsFilePath({ XDG_CONFIG_HOME: '/x/config' })).toBe('/x/config/trajdbg/settings.json');
    expect(settingsFilePath({ XDG_CONFIG_HOME: 'relative' })).toMatch(/\.config\/trajdbg\/settings\.json$/);
    expect(settingsFilePath({})).toMatch(/\.config\/trajdbg\/settings\.json$/);
  });

  it('loads nothing before the first save, then what was saved, never with the key', () => {
    const { store: s, path, dir, warnings } = store();
    expect(s.load()).toBeNull();
    s.save(settings);
    const { apiKey: _apiKey, ...endpoint } = settings.endpoint;
    expect(s.load()).toEqual({ ...settings, endpoint });
    expect(readFileSync(path, 'utf8')).not.toContain('sk-never-written');
    s.save({ ...settings, prompt: { system: '', user: 'again' } });
    expect(s.load()?.prompt.user).toBe('again');
    expect(readdirSync(dir)).toEqual(['settings.json']); // no temp file left behind
    expect(warnings).toEqual([]);
  });

  it('sets a corrupt file aside and says so instead of silently starting over', () => {
    const { store: s, path, dir, warnings } = store();
    s.save(settings);
    writeFileSync(path, '{"endpoint": ');
    expect(s.load()).toBeNull();
    expect(readdirSync(dir)).toEqual(['settings.corrupt-2026-01-02T03-04-05-678Z.json']);
    expect(readFileSync(join(dir, 'settings.corrupt-2026-01-02T03-04-05-678Z.json'), 'utf8')).toBe('{"endpoint": ');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/could not be read \(not JSON.*moved it to .*settings\.corrupt-2026-01-02T03-04-05-678Z\.json/);
    s.save(settings);
    expect(s.load()?.endpoint.model).toBe('m');
  });

  it('treats a file that is JSON but not settings as corrupt too, naming the field', () => {
    const { store: s, path, warnings } = store();
    s.save(settings);
    writeFileSync(path, JSON.stringify({ ...settings, endpoint: { ...settings.endpoint, baseURL: 'not a url' } }));
    expect(s.load()).toBeNull();
    expect(warnings[0]).toMatch(/endpoint\.baseURL/);
  });
});
