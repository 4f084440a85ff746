import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseJsonExact, stringifyJsonExact } from '#shared/model/exact-json.js';
import { pyJsonDumps, pyJsonLoads } from '#shared/python/json.js';
import { isPyDict } from '#shared/python/value.js';
import { readRunFile } from '../engine/persistence/run-file.js';
import { loadScript, startScriptedServer } from '../scripted-server/scripted-server.js';
import { loadConformanceCases, type CaseToolOut } from '../testing/conformance.js';
import { main } from './main.js';

const cases = loadConformanceCases();
const work = mkdtempSync(join(tmpdir(), 'trajdbg-cli-'));

/** Runs the CLI in process; returns the exit code and what it printed on stderr. */
async function cli(...args: string[]): Promise<{ code: number; stderr: string }> {
  const lines: string[] = [];
  const code = await main(args, (line) => lines.push(line));
  return { code, stderr: lines.join('\n') };
}

/** A tool endpoint that answers with a conformance case's tool results, in call order. */
async function caseToolEndpoint(outs: CaseToolOut[]): Promise<{ url: string; bodies: string[]; close: () => Promise<void> }> {
  const queue = [...outs];
  const bodies: string[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      bodies.push(body);
      const out = queue.shift();
      const request = pyJsonLoads(body);
      if (!out || 'raise' in out || !isPyDict(request)) {
        res.writeHead(500).end('no result');
        return;
      }
      const text = 'echo' in out ? pyJsonDumps(new Map([['tool', request.get('tool_name')!], ['args', request.get('arguments')!]]), { sortKeys: true }) : out.result;
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end(text);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/tool`, bodies, close: () => new Promise((r) => server.close(() => r())) };
}

function writeJson(name: string, value: unknown): string {
  const path = join(work, name);
  writeFileSync(path, stringifyJsonExact(value));
  return path;
}

describe('trajdbg run, end to end over HTTP', () => {
  // Cases whose tools raise need an in-process tool to reproduce Python's exception text.
  const overHttp = cases.filter((c) => !c.tools_out.some((o) => 'raise' in o));

  for (const stream of [true, false]) {
    it(`reproduces the reference on ${overHttp.length} conformance cases (${stream ? 'streaming' : 'non-streaming'})`, async () => {
      for (const c of overHttp) {
        const server = await startScriptedServer({ script: loadScript(c.model) });
        const endpoint = await caseToolEndpoint(c.tools_out);
        const dir = join(work, `${c.name}-${stream}`);
        mkdirSync(dir);
        try {
          const args = ['run', '--base-url', server.url, '--model', 'scripted', '--api-key', 'sk-test', '--messages', writeJson(`${c.name}-messages.json`, c.messages), '--out', join(dir, 'result.json'), '--run-file', join(dir, 'run.jsonl'), '--task-id', 'conformance'];
          if (c.tools.length) args.push('--tools', writeJson(`${c.name}-tools.json`, c.tools), '--tool-endpoint', endpoint.url);
          const { max_turns, temperature, max_tokens, max_context_tokens } = c.config;
          // Negative values as a user types them, after a space.
          if (max_turns !== undefined) args.push('--max-turns', String(max_turns));
          if (temperature !== undefined) args.push('--temperature', String(temperature));
          if (max_tokens != null) args.push('--max-tokens', String(max_tokens));
          if (max_context_tokens != null) args.push('--max-context-tokens', String(max_context_tokens));
          if (!stream) args.push('--no-stream');
          const { code, stderr } = await cli(...args);
          expect(code, `${c.name}: ${stderr}`).toBe(0);
          expect(parseJsonExact(readFileSync(join(dir, 'result.json'), 'utf8')), c.name).toEqual(c.expected.result);
          const sent = server.requests as Array<Record<string, unknown>>;
          expect(sent.map((r) => r.messages), c.name).toEqual(c.expected.requests.map((r) => r.messages));
          sent.forEach((r, i) => {
            const want = c.expected.requests[i]!;
            expect({ n: r.n, temperature: r.temperature, max_tokens: r.max_tokens, tools: r.tools }).toEqual({ n: want.n, temperature: want.temperature, max_tokens: want.max_tokens, tools: want.tools });
          });
          const { problems, state } = readRunFile(join(dir, 'run.jsonl'));
          expect(problems).toEqual([]);
          expect(state.current.end).not.toBeNull();
          expect(readFileSync(join(dir, 'run.jsonl'), 'utf8')).not.toContain('sk-test');
        } finally {
          await endpoint.close();
          await server.close();
        }
      }
    }, 120_000);
  }

  it('keeps the messages as written (integers beyond 2^53, key order) in the requests, --out and the run file', async () => {
    const server = await startScriptedServer({ script: loadScript([{ message: { content: 'ok' } }]) });
    const seen: string[] = [];
    const spy = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        seen.push(body);
        // Pass the request on to the scripted server and its reply back.
        void fetch(`${server.url}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body }).then(async (r) => {
          res.writeHead(r.status, { 'content-type': r.headers.get('content-type') ?? 'application/json' }).end(await r.text());
        });
      });
    });
    await new Promise<void>((r) => spy.listen(0, '127.0.0.1', r));
    const dir = join(work, 'big-ints');
    mkdirSync(dir);
    const messages = join(dir, 'messages.json');
    writeFileSync(messages, '[{"content": "hi", "seed": 12345678901234567890123, "role": "user", "ids": [-9007199254740993, 1e19]}]');
    try {
      const { code, stderr } = await cli('run', '--base-url', `http://127.0.0.1:${(spy.address() as AddressInfo).port}/v1`, '--model', 'm', '--messages', messages, '--no-stream', '--out', join(dir, 'out.json'), '--run-file', join(dir, 'run.jsonl'));
      expect(code, stderr).toBe(0);
      const sent = '{"content":"hi","seed":12345678901234567890123,"role":"user","ids":[-9007199254740993,1e+19]}';
      expect(seen[0]).toContain(`"messages":[${sent}]`);
      expect(readFileSync(join(dir, 'out.json'), 'utf8')).toContain('"content": "hi",\n      "seed": 12345678901234567890123,\n      "role": "user",\n      "ids": [\n        -9007199254740993,\n        1e+19\n      ]');
      expect(readFileSync(join(dir, 'run.jsonl'), 'utf8')).toContain(sent);
    } finally {
      await new Promise((r) => spy.close(r));
      await server.close();
    }
  });

  it('sends the endpoint the normalized arguments, the tool name and the task id', async () => {
    const c = cases.find((x) => x.name === 'args_odd_types')!;
    const server = await startScriptedServer({ script: loadScript(c.model) });
    const endpoint = await caseToolEndpoint(c.tools_out);
    try {
      const { code } = await cli('run', '--base-url', server.url, '--model', 'm', '--messages', writeJson('odd-m.json', c.messages), '--tools', writeJson('odd-t.json', c.tools), '--tool-endpoint', endpoint.url, '--task-id', 'task-7');
      expect(code).toBe(0);
      expect(endpoint.bodies[0]).toBe('{"tool_name":"terminal","arguments":{"command":"[1, 2]"},"task_id":"task-7"}');
      expect(endpoint.bodies[5]).toBe('{"tool_name":"terminal","arguments":{"command":"None"},"task_id":"task-7"}');
    } finally {
      await endpoint.close();
      await server.close();
    }
  });
});

describe('trajdbg run, bad input', () => {
  const messages = writeJson('ok-messages.json', [{ role: 'user', content: 'hi' }]);

  it('names a missing option', async () => {
    const { code, stderr } = await cli('run', '--base-url', 'http://127.0.0.1:9/v1', '--messages', messages);
    expect(code).toBe(2);
    expect(stderr).toBe('trajdbg run: --model: required');
  });

  it('names the file, line and column of broken JSON', async () => {
    const path = join(work, 'broken.json');
    writeFileSync(path, '[\n  {"role": "user",\n   "content": "hi",}\n]');
    const { code, stderr } = await cli('run', '--base-url', 'http://127.0.0.1:9/v1', '--model', 'm', '--messages', path);
    expect(code).toBe(2);
    expect(stderr).toMatch(new RegExp(`^trajdbg run: --messages ${path}: not valid JSON at line 3, column \\d+`));
  });

  it('names the field that is wrong', async () => {
    const tools = writeJson('bad-tools.json', [{ type: 'function', function: { name: 'a' } }, { type: 'function', function: { description: 'x' } }]);
    const { code, stderr } = await cli('run', '--base-url', 'http://127.0.0.1:9/v1', '--model', 'm', '--messages', messages, '--tools', tools);
    expect(code).toBe(2);
    expect(stderr).toContain(`--tools ${tools}: [1].function.name:`);
    const bad = writeJson('bad-messages.json', [{ content: 'no role' }]);
    expect((await cli('run', '--base-url', 'http://x/v1', '--model', 'm', '--messages', bad)).stderr).toContain('[0].role:');
  });

  it('rejects an unknown option and a bad number', async () => {
    expect((await cli('run', '--bogus')).code).toBe(2);
    const { code, stderr } = await cli('run', '--base-url', 'http://x/v1', '--model', 'm', '--messages', messages, '--max-turns', 'many');
    expect(code).toBe(2);
    expect(stderr).toContain("--max-turns: expected a whole number, got 'many'");
  });

  it('ends the loop with the reason when the server is unreachable, and still writes the result', async () => {
    const out = join(work, 'unreachable.json');
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const { code, stderr } = await cli('run', '--base-url', `http://127.0.0.1:${port}/v1`, '--model', 'm', '--messages', messages, '--out', out, '--api-key', 'sk-planted-123');
    expect(code).toBe(0);
    expect(stderr).toMatch(/turn 1: model call failed: connection refused/);
    expect(stderr).not.toContain('sk-planted-123');
    const result = JSON.parse(readFileSync(out, 'utf8'));
    expect(result).toMatchObject({ turns_used: 1, finished_naturally: false, messages: [{ role: 'user', content: 'hi' }] });
  });

  it('redacts the key a tool echoes back, in any case or escaping, from the run file and --out', async () => {
    const key = 'sk-planted-Echo/Me+456';
    const call = (id: string, name: string) => ({ id, type: 'function', function: { name, arguments: '{}' } });
    const server = await startScriptedServer({ script: loadScript([{ message: { content: '', tool_calls: [call('c1', 'leak'), call('c2', 'fail')] } }, { message: { content: 'Done.' } }]) });
    const echo: Server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        if (body.includes('"fail"')) res.writeHead(500).end(`denied ${encodeURIComponent(key).toLowerCase()}`);
        else res.writeHead(200).end(`${key.toUpperCase()} ${JSON.stringify(key)} ${encodeURIComponent(key)}`);
      });
    });
    await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
    const dir = join(work, 'echo-key');
    mkdirSync(dir);
    try {
      const tools = writeJson('echo-tools.json', ['leak', 'fail'].map((name) => ({ type: 'function', function: { name, parameters: { type: 'object', properties: {} } } })));
      const { code, stderr } = await cli('run', '--base-url', server.url, '--model', 'scripted', '--api-key', key, '--user', 'hi', '--tools', tools, '--tool-endpoint', `http://127.0.0.1:${(echo.address() as AddressInfo).port}/tool`, '--out', join(dir, 'result.json'), '--run-file', join(dir, 'run.jsonl'));
      expect(code, stderr).toBe(0);
      for (const file of ['result.json', 'run.jsonl']) {
        const text = readFileSync(join(dir, file), 'utf8').toLowerCase();
        expect(text).toContain('[redacted]');
        expect(text).not.toContain('echo');
      }
    } finally {
      await new Promise((r) => echo.close(r));
      await server.close();
    }
  });

  it('names a bad base URL and an MCP server that does not start', async () => {
    const bad = await cli('run', '--base-url', 'ftp://x', '--model', 'm', '--messages', messages);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^trajdbg run: --base-url ftp:\/\/x: /);
    const mcp = await cli('run', '--base-url', 'http://127.0.0.1:1/v1', '--model', 'm', '--messages', messages, '--mcp', 'no-such-command-xyz --flag');
    expect(mcp.code).toBe(2);
    expect(mcp.stderr).toMatch(/^trajdbg run: --mcp: .*no-such-command-xyz/);
  });

  it('never overwrites an existing run file', async () => {
    const runFile = join(work, 'existing.jsonl');
    writeFileSync(runFile, 'precious');
    const { code, stderr } = await cli('run', '--base-url', 'http://127.0.0.1:9/v1', '--model', 'm', '--messages', messages, '--run-file', runFile);
    expect(code).toBe(2);
    expect(stderr).toContain('already exists');
    expect(readFileSync(runFile, 'utf8')).toBe('precious');
  });
});

describe('trajdbg run with a real MCP server', () => {
  const entry = resolve('node_modules/@modelcontextprotocol/server-filesystem/dist/index.js');
  let data: string;
  beforeAll(() => {
    data = mkdtempSync(join(tmpdir(), 'trajdbg-mcp-'));
    writeFileSync(join(data, 'hello.txt'), 'hello from MCP\n');
  });

  it('lists the server tools, calls one and records the result', async () => {
    const hello = join(data, 'hello.txt');
    const script = [
      { message: { content: '', tool_calls: [{ id: 'c1', type: 'function', function: { name: 'read_text_file', arguments: JSON.stringify({ path: hello }) } }] } },
      { message: { content: '', tool_calls: [{ id: 'c2', type: 'function', function: { name: 'read_text_file', arguments: JSON.stringify({ path: '/etc/passwd' }) } }] } },
      { message: { content: 'done' } },
    ];
    const server = await startScriptedServer({ script: loadScript(script) });
    const out = join(work, 'mcp.json');
    try {
      const { code, stderr } = await cli('run', '--base-url', server.url, '--model', 'm', '--user', 'read hello.txt', '--mcp', `"${process.execPath}" "${entry}" "${data}"`, '--out', out, '--run-file', join(work, 'mcp.jsonl'));
      expect(code, stderr).toBe(0);
      const result = JSON.parse(readFileSync(out, 'utf8'));
      expect(result.finished_naturally).toBe(true);
      expect(result.messages[2]).toEqual({ role: 'tool', tool_call_id: 'c1', content: 'hello from MCP\n' });
      // Outside the allowed folder the server answers with an error: a tool error for the loop.
      expect(result.messages[4].content).toMatch(/^\{"error": .*denied/i);
      expect(result.tool_calls_executed_ok).toBe(1);
      expect(result.tool_calls_exec_error).toBe(1);
      const advertised = (server.requests[0] as { tools: Array<{ function: { name: string } }> }).tools.map((t) => t.function.name);
      expect(advertised).toContain('read_text_file');
      expect(advertised).toContain('list_directory');
    } finally {
      await server.close();
    }
  }, 60_000);
});

describe('trajdbg replay', () => {
  it('recomputes an AgentResult under a budget and keeps the trajectory', async () => {
    const c = cases.find((x) => x.name === 'trunc_0_3')!;
    const input = writeJson('replay-in.json', c.expected.result);
    const out = join(work, 'replay-out.json');
    const runFile = join(work, 'replay.jsonl');
    const { code, stderr } = await cli('replay', input, '--max-context-tokens', String(c.config.max_context_tokens), '--out', out, '--run-file', runFile);
    expect(code, stderr).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual(c.expected.result);
    const views = readRunFile(runFile).state.current.turns.map((t) => t.promptView!.phase);
    expect(views).toContain('dropped');
  });

  it('names the file and what is wrong', async () => {
    const bad = writeJson('replay-bad.json', { messages: [{ role: 1 }] });
    const { code, stderr } = await cli('replay', bad);
    expect(code).toBe(2);
    expect(stderr).toContain(`${bad} (an AgentResult or an object with messages): messages[0].role:`);
  });
});

describe('the trajdbg command', () => {
  const bin = resolve('electron/cli/trajdbg.js');
  const built = existsSync(resolve('out/cli/trajdbg.js'));

  it.skipIf(!built)('runs the demo loop with no server or key (needs the build: npm run build)', () => {
    const outDir = mkdtempSync(join(tmpdir(), 'trajdbg-demo-test-'));
    const result = spawnSync(process.execPath, [bin, 'demo', '--out-dir', outDir], { encoding: 'utf8', timeout: 60_000 });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toContain('run ended: finished naturally after 6 turns');
    const agent = JSON.parse(readFileSync(join(outDir, 'result.json'), 'utf8'));
    expect(agent).toMatchObject({ turns_used: 6, finished_naturally: true, tool_calls_attempted: 6, tool_calls_schema_valid: 5 });
    expect(agent.tool_errors.map((e: { tool_name: string }) => e.tool_name)).toContain('web_search');
    expect(readRunFile(join(outDir, 'run.jsonl')).problems).toEqual([]);
  });

  it.skipIf(!built || !existsSync(resolve('out/renderer/index.html')))('npm start says why the desktop app cannot open and serves the UI instead', async () => {
    const child = spawn(process.execPath, [bin, 'start', '--no-open', '--runs-dir', mkdtempSync(join(tmpdir(), 'trajdbg-start-'))], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    await expect.poll(() => stdout, { timeout: 20_000 }).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=\S+\n/);
    expect(stderr.split('\n')[0]).toMatch(/^Desktop app unavailable: (no Electron binary|no display)/);
    // The token in the URL buys a cookie and a redirect to the page without it.
    const first = await fetch(stdout.trim(), { redirect: 'manual' });
    expect(first.status).toBe(303);
    const cookie = first.headers.get('set-cookie')!.split(';')[0]!;
    const page = await fetch(new URL('/', stdout.trim()), { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');
    child.kill('SIGINT');
    expect(await new Promise((r) => child.on('exit', r))).toBe(0);
  });

  it.skipIf(!built)('ends quietly when the reader of its output closes the pipe early (convert --list | head -1)', async () => {
    const path = join(work, 'many.jsonl');
    const line = JSON.stringify({ messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'hello' }] });
    writeFileSync(path, `${Array(50_000).fill(line).join('\n')}\n`);
    const child = spawn(process.execPath, [bin, 'convert', path, '--list'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    const first = await new Promise<string>((done) => child.stdout.once('data', (d: Buffer) => done(String(d))));
    // As `head -1` does: read one line, then close the pipe.
    child.stdout.destroy();
    const code = await new Promise((done) => child.on('exit', done));
    expect(first.split('\t').slice(0, 2)).toEqual(['0', 'many:1']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
  }, 60_000);

  it.skipIf(!built)('builds only the schemas of the format it reads (convert --list of a chat file)', () => {
    // zod calls this hook once for each schema it constructs (its `globalConfig.postProcessor`).
    const count = `globalThis.__zod_globalConfig = { postProcessor: () => { globalThis.built = (globalThis.built ?? 0) + 1; } };
      process.on('exit', () => process.stderr.write('schemas built: ' + globalThis.built + '\\n'));`;
    const path = join(work, 'chat.json');
    writeFileSync(path, JSON.stringify([{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'hello' }]));
    const result = spawnSync(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(count)}`, bin, 'convert', path, '--list'], { encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
    const built = Number(/schemas built: (\d+)/.exec(result.stderr)?.[1]);
    // The chat message and common schemas are built (so the hook was called); every format's own
    // schemas (about 1,300 when each module built them as it loaded) wait for a file of that format.
    expect(built).toBeGreaterThan(50);
    expect(built).toBeLessThan(400);
  });

  it.skipIf(!built)('prints usage and exits 2 for an unknown command', () => {
    const result = spawnSync(process.execPath, [bin, 'frobnicate'], { encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("unknown command 'frobnicate'");
  });
});
