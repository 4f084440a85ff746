import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseApiParams, runSettingsSchema, type RunSettingsInput } from '#shared/api/contract.js';
import { EXPORT_FORMATS } from '#shared/formats/export.js';
import type { RunEvent } from '#shared/run/events.js';
import { main } from '../../cli/main.js';
import { createApiService } from './api-service.js';
import { readRunFile } from '../persistence/run-file.js';
import { loadScript, type ScriptedReply } from '../../scripted-server/scripted-server.js';
import { fileRecentFiles } from '../persistence/recent-files.js';
import { fileSettingsStore } from '../persistence/settings-file.js';
import { memorySecretStore } from '../persistence/settings.js';
import { useScriptedServers } from '../../testing/scripted-servers.js';

/**
 * A key planted in the New run settings must go to the model server's Authorization header and
 * nowhere else: not a run file, an export, a converted file, the settings, the event stream, a
 * reply of the API, a log line or an error message, whatever the model, the tools or the server
 * send back.
 */

const serve = useScriptedServers();

/** Every text the test process printed while a test ran (console and the raw streams). */
let printed: string[] = [];
let savedKey: string | undefined;

beforeEach(() => {
  printed = [];
  savedKey = process.env.OPENAI_API_KEY;
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void printed.push(args.map(String).join(' ')));
  }
  for (const stream of [process.stdout, process.stderr]) {
    vi.spyOn(stream, 'write').mockImplementation(((chunk: unknown) => {
      printed.push(String(chunk));
      return true;
    }) as typeof stream.write);
  }
});

afterEach(() => {
  vi.restoreAllMocks();
  if (savedKey === undefined) delete process.env.OPENAI_API_KEY;
  else process.env.OPENAI_API_KEY = savedKey;
});

function plantedKey(): string {
  return `sk-planted-${randomUUID().replaceAll('-', '')}`;
}

/** Every file under `dir`, with the paths of those that hold `needle` (as bytes). */
function filesHolding(dir: string, needle: string): { files: string[]; holding: string[] } {
  const files: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.push(path);
    }
  };
  walk(dir);
  return { files, holding: files.filter((f) => readFileSync(f).includes(needle)) };
}

function service(root: string) {
  const secrets = memorySecretStore();
  const warnings: string[] = [];
  const warn = (line: string): void => void warnings.push(line);
  const api = createApiService({
    mode: 'serve',
    version: '0.0.0-test',
    settings: fileSettingsStore(join(root, 'config', 'settings.json'), { warn }),
    secrets,
    runsDir: join(root, 'runs'),
    recentFiles: fileRecentFiles(join(root, 'config', 'recent-files.json'), { warn }),
  });
  const events: RunEvent[] = [];
  api.onEvent((event) => events.push(event));
  const ended = (runId: string) =>
    new Promise<Extract<RunEvent, { type: 'run_finished' }>>((resolve) => {
      const check = (event: RunEvent): boolean => {
        if (event.runId !== runId || event.type !== 'run_finished') return false;
        resolve(event);
        return true;
      };
      if (events.some(check)) return;
      const off = api.onEvent((event) => {
        if (check(event)) off();
      });
    });
  return { api, secrets, events, ended, warnings };
}

function settingsFor(baseURL: string, apiKey: string, extra: Partial<RunSettingsInput> = {}) {
  return runSettingsSchema.parse({ endpoint: { baseURL, model: 'scripted', apiKey }, prompt: { system: 'You are careful.', user: 'Tidy the workspace.' }, sampling: {}, limits: { maxTurns: 6 }, tools: {}, ...extra });
}

const call = (id: string, name: string, args: unknown) => ({ id, type: 'function', function: { name, arguments: JSON.stringify(args) } });

describe('a planted API key', () => {
  it('reaches the model server and nothing the run, its exports, convert or the logs leave behind', async () => {
    const key = plantedKey();
    // A serve process started with the key in its environment: the terminal tool must not pass it on.
    process.env.OPENAI_API_KEY = key;
    const root = mkdtempSync(join(tmpdir(), 'trajdbg-secrets-'));
    const workspace = join(root, 'workspace');
    for (const dir of ['config', 'exports', 'converted', 'workspace']) mkdirSync(join(root, dir));

    const server = await serve(
      loadScript([
        {
          message: {
            content: 'Looking around first.',
            reasoning_content: 'I will write a note, read a file that is not there, and list the environment.',
            tool_calls: [call('c1', 'write_file', { path: 'notes.txt', content: 'hello' }), call('c2', 'read_file', { path: 'missing.txt' }), call('c3', 'terminal', { command: 'env; echo "key=$OPENAI_API_KEY"' })],
          },
        },
        { message: { content: '', tool_calls: [call('c4', 'launch_rockets', {}), call('c5', 'read_file', { path: 'notes.txt' })] } },
        { message: { content: 'Done.' } },
      ]),
    );
    const { api, events, ended, warnings } = service(root);
    const replies: unknown[] = [];
    // No one is there to approve the terminal command: it runs at once.
    const settings = settingsFor(server.url, key, { tools: { builtin: ['terminal', 'read_file', 'write_file'], workspace, approveTerminal: false } });
    const { runId } = await api.handlers['run.start']({ settings, startPaused: false });
    const end = await ended(runId);
    expect(end).toMatchObject({ reason: 'finished_naturally', turnsUsed: 3 });

    // The key was in play: the server got it, and the tools really ran and failed.
    expect(server.requestHeaders.map((h) => h.authorization)).toEqual([`Bearer ${key}`, `Bearer ${key}`, `Bearer ${key}`]);
    const toolDone = events.filter((e): e is Extract<RunEvent, { type: 'tool_finished' }> => e.type === 'tool_finished');
    expect(toolDone).toHaveLength(5);
    expect(toolDone.filter((e) => e.status !== 'ok').length).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(toolDone.find((e) => e.turn === 1 && e.index === 2))).toContain('key=');

    for (const format of EXPORT_FORMATS) {
      replies.push(await api.handlers['export.write']({ source: { runId }, format, path: join(root, 'exports', `run.${format}`) }));
    }
    const runFile = readdirSync(join(root, 'runs')).map((f) => join(root, 'runs', f));
    expect(runFile).toHaveLength(1);
    expect(readRunFile(runFile[0]!).problems).toEqual([]);

    const cliLines: string[] = [];
    expect(await main(['convert', runFile[0]!, '--list'], (line) => cliLines.push(line))).toBe(0);
    for (const format of EXPORT_FORMATS) {
      expect(await main(['convert', runFile[0]!, '--to', format, '--out', join(root, 'converted', `run.${format}`)], (line) => cliLines.push(line)), cliLines.join('\n')).toBe(0);
    }

    replies.push(
      await api.handlers['app.info']({}),
      await api.handlers['settings.load']({}),
      await api.handlers['run.list']({}),
      await api.handlers['run.events']({ runId, fromSeq: 0, limit: 100_000 }),
      await api.handlers['file.recent']({}),
    );
    await api.close();

    const { files, holding } = filesHolding(root, key);
    // Run file, settings, the tools' own file, five exports and five conversions at least.
    expect(files.length).toBeGreaterThanOrEqual(13);
    expect(holding).toEqual([]);
    expect(JSON.stringify(events)).not.toContain(key);
    expect(JSON.stringify(replies)).not.toContain(key);
    expect([...cliLines, ...warnings, ...printed].filter((line) => line.includes(key))).toEqual([]);
  });

  // A server that answers 401 with the request's Authorization header in its body.
  const echoes: Array<[string, (key: string) => ScriptedReply]> = [
    ['as a Bearer header', (key) => ({ http_error: 401, body: JSON.stringify({ error: { message: `Incorrect API key provided. You sent: Authorization: Bearer ${key}`, code: 'invalid_api_key' } }) })],
    ['as the bare key', (key) => ({ http_error: 401, body: `{"error": {"message": "unknown key", "key": "${key}"}}` })],
  ];

  it.each(echoes)('stays out of the run file and the events when a 401 echoes it %s', async (_how, reply) => {
    const key = plantedKey();
    const root = mkdtempSync(join(tmpdir(), 'trajdbg-secrets-'));
    mkdirSync(join(root, 'config'));
    const server = await serve([reply(key)]);
    const { api, events, ended } = service(root);
    const { runId } = await api.handlers['run.start']({ settings: settingsFor(server.url, key), startPaused: false });
    expect((await ended(runId)).reason).toBe('model_error');
    const failure = events.find((e): e is Extract<RunEvent, { type: 'model_failed' }> => e.type === 'model_failed');
    expect(failure).toMatchObject({ status: 401 });
    expect(failure!.error).toMatch(/^HTTP 401 from /);
    const caughtUp = await api.handlers['run.events']({ runId, fromSeq: 0, limit: 100_000 });
    await api.close();

    expect(server.requestHeaders[0]!.authorization).toBe(`Bearer ${key}`);
    expect(JSON.stringify(events)).not.toContain(key);
    expect(JSON.stringify(caughtUp)).not.toContain(key);
    expect(filesHolding(root, key).holding).toEqual([]);
    expect(printed.filter((line) => line.includes(key))).toEqual([]);
  });

  /**
   * A 401 whose body holds the key across the 300th character, where the client cuts an error
   * body: the recorded failure, and the pieces of the key's random part (10 characters in a row;
   * the cut keeps 19) found in the events or any file the run left.
   */
  async function keyCutByTheErrorLimit() {
    const key = plantedKey();
    const secret = key.slice('sk-planted-'.length);
    const prefix = '{"error": {"message": "unknown key ';
    const server = await serve([{ http_error: 401, body: `${prefix}${'x'.repeat(300 - 30 - prefix.length)}${key}"}}` }]);
    const root = mkdtempSync(join(tmpdir(), 'trajdbg-secrets-'));
    mkdirSync(join(root, 'config'));
    const { api, events, ended } = service(root);
    const { runId } = await api.handlers['run.start']({ settings: settingsFor(server.url, key), startPaused: false });
    const end = await ended(runId);
    await api.close();
    const failure = events.find((e): e is Extract<RunEvent, { type: 'model_failed' }> => e.type === 'model_failed');
    const pieces = Array.from({ length: secret.length - 9 }, (_, i) => secret.slice(i, i + 10));
    const recorded = [JSON.stringify(events), ...filesHolding(root, '').files.map((f) => readFileSync(f, 'utf8'))];
    return { end, failure, leaked: pieces.filter((piece) => recorded.some((text) => text.includes(piece))) };
  }

  it('ends the run with the HTTP error when a 401 echo holds it at the 300th character', async () => {
    const { end, failure } = await keyCutByTheErrorLimit();
    expect(end.reason).toBe('model_error');
    expect(failure).toMatchObject({ status: 401, error: expect.stringMatching(/^HTTP 401 from .*: \{"error": \{"message": "unknown key x+/) });
  });

  it('leaves no piece of itself in the error when a 401 echo holds it at the 300th character', async () => {
    expect((await keyCutByTheErrorLimit()).leaked).toEqual([]);
  });

  it('is refused as the base URL\'s password, by the API and by trajdbg run, and written nowhere', async () => {
    const key = plantedKey();
    const root = mkdtempSync(join(tmpdir(), 'trajdbg-secrets-'));
    mkdirSync(join(root, 'config'));
    const server = await serve([{ message: { content: 'hi' } }]);
    const withKey = server.url.replace('http://', `http://user:${key}@`);
    const { api, events } = service(root);
    let refused = '';
    try {
      parseApiParams('run.start', { settings: { endpoint: { baseURL: withKey, model: 'scripted' }, prompt: { user: 'hi' }, sampling: {}, limits: {}, tools: {} }, startPaused: false });
    } catch (error) {
      refused = (error as Error).message;
    }
    expect(refused).toMatch(/^run\.start: settings\.endpoint\.baseURL: must not hold a user name or password/);
    expect(refused).not.toContain(key);
    await api.close();
    expect(JSON.stringify(events)).not.toContain(key);
    const lines: string[] = [];
    const code = await main(['run', '--base-url', withKey, '--model', 'scripted', '--user', 'hi', '--run-file', join(root, 'run.jsonl')], (line) => lines.push(line));
    expect(code).toBe(2);
    expect(lines.join('\n')).toMatch(/--base-url: must not hold a user name or password/);
    expect(lines.join('\n')).not.toContain(key);
    expect(filesHolding(root, key).holding).toEqual([]);
  });

  it('stays out of trajdbg run\'s stderr, --out and --run-file when a 401 echoes it', async () => {
    const key = plantedKey();
    const root = mkdtempSync(join(tmpdir(), 'trajdbg-secrets-'));
    const server = await serve([echoes[0]![1](key)]);
    const lines: string[] = [];
    const code = await main(['run', '--base-url', server.url, '--model', 'scripted', '--api-key', key, '--user', 'hi', '--out', join(root, 'result.json'), '--run-file', join(root, 'run.jsonl')], (line) => lines.push(line));
    expect(code).toBe(0);
    expect(lines.join('\n')).toMatch(/HTTP 401/);
    expect(server.requestHeaders[0]!.authorization).toBe(`Bearer ${key}`);
    expect(filesHolding(root, key)).toEqual({ files: [join(root, 'result.json'), join(root, 'run.jsonl')], holding: [] });
    expect([...lines, ...printed].filter((line) => line.includes(key))).toEqual([]);
  });
});
