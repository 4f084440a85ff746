import { describe, expect, it } from 'vitest';
import type { PyValue } from '#shared/python/value.js';
import { REDACTED, redactingTools, redactSecret } from './redact-secret.js';
import { createToolRegistry } from './tool-registry.js';

const key = 'sk-Planted/Key+9"x';

describe('redactSecret', () => {
  it('redacts the key as is, in any case, JSON-escaped, URL-encoded and base64', () => {
    const echoes = [
      key,
      key.toUpperCase(),
      key.toLowerCase(),
      JSON.stringify(key).slice(1, -1),
      encodeURIComponent(key),
      encodeURIComponent(key).toLowerCase(),
      Buffer.from(key).toString('base64'),
    ];
    for (const echo of echoes) expect(redactSecret(`got <${echo}> back`, key)).toBe(`got <${REDACTED}> back`);
  });

  it('leaves text alone without a key or with a too short one', () => {
    expect(redactSecret('abc sk-1 def', undefined)).toBe('abc sk-1 def');
    expect(redactSecret('abc sk-1 def', 'sk-1')).toBe('abc sk-1 def');
  });
});

describe('redactingTools', () => {
  it('redacts tool results and tool errors, keeping the names', async () => {
    const registry = createToolRegistry([
      {
        schemas: [{ type: 'function', function: { name: 'echo', parameters: {} } }, { type: 'function', function: { name: 'fail', parameters: {} } }],
        call: async (name, args: PyValue) => {
          if (name === 'fail') throw new Error(`401 for key ${encodeURIComponent(key)}`);
          return `{"env": "${JSON.stringify(key).slice(1, -1)}", "arg": ${JSON.stringify(String(args))}}`;
        },
      },
    ]);
    const tools = redactingTools(registry, key);
    const context = { taskId: 't', signal: new AbortController().signal };
    expect([...tools.validNames]).toEqual(['echo', 'fail']);
    expect(await tools.call('echo', 'x', context)).toBe(`{"env": "${REDACTED}", "arg": "x"}`);
    await expect(tools.call('fail', 'x', context)).rejects.toThrow(`401 for key ${REDACTED}`);
  });
});
