import { describe, expect, it } from 'vitest';
import type { ToolSchema } from '#shared/model/chat.js';
import type { ToolCallContext, ToolProvider } from './tool-provider.js';
import { createToolRegistry } from './tool-registry.js';

const schema = (name: string): ToolSchema => ({ type: 'function', function: { name, parameters: { type: 'object' } } });
const context: ToolCallContext = { taskId: 't', signal: new AbortController().signal };

function fakeProvider(label: string, names: string[], closed: string[] = []): ToolProvider {
  return {
    name: label,
    schemas: names.map(schema),
    call: async (name, args) => `${label}:${name}:${String(args)}`,
    close: async () => {
      closed.push(label);
    },
  };
}

describe('createToolRegistry', () => {
  it('routes calls to the provider that declared the tool', async () => {
    const registry = createToolRegistry([fakeProvider('A', ['a1', 'a2']), fakeProvider('B', ['b1'])], [schema('extra')]);
    expect([...registry.validNames]).toEqual(['a1', 'a2', 'b1', 'extra']);
    expect(registry.schemas.map((s) => s.function.name)).toEqual(['a1', 'a2', 'b1', 'extra']);
    expect(await registry.call('a2', 'x', context)).toBe('A:a2:x');
    expect(await registry.call('b1', null, context)).toBe('B:b1:null');
    await expect(registry.call('nope', null, context)).rejects.toThrow("unknown tool 'nope'");
  });

  it('rejects calls to advertised tools with no executor', async () => {
    const registry = createToolRegistry([], [schema('sandbox_exec')]);
    await expect(registry.call('sandbox_exec', new Map(), context)).rejects.toThrow(
      "no executor for tool 'sandbox_exec': pass --tool-endpoint or an MCP server that provides it",
    );
  });

  it('advertises both schemas of a name one source declares twice, as the reference sends them', () => {
    const registry = createToolRegistry([{ schemas: [schema('y'), schema('y')], call: async () => '' }], [schema('z'), schema('z')]);
    expect(registry.schemas.map((s) => s.function.name)).toEqual(['y', 'y', 'z', 'z']);
    expect([...registry.validNames]).toEqual(['y', 'z']);
  });

  it('throws at creation on a name two sources declare, naming the tool', () => {
    expect(() => createToolRegistry([fakeProvider('A', ['x']), fakeProvider('B', ['x'])])).toThrow(
      "duplicate tool name 'x': declared by A and by B",
    );
    expect(() => createToolRegistry([fakeProvider('A', ['x'])], [schema('x')])).toThrow(/duplicate tool name 'x'/);
  });

  it('closes every provider, even when one fails', async () => {
    const closed: string[] = [];
    const failing: ToolProvider = { schemas: [], call: async () => '', close: async () => Promise.reject(new Error('close failed')) };
    const registry = createToolRegistry([fakeProvider('A', [], closed), failing, { schemas: [], call: async () => '' }, fakeProvider('B', [], closed)]);
    await expect(registry.close?.()).rejects.toThrow('close failed');
    expect(closed).toEqual(['A', 'B']);
  });
});
