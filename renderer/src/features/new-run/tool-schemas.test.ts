import { describe, expect, it } from 'vitest';
import { parseToolSchemas } from './tool-schemas.js';

const tool = (name: string) => ({ type: 'function', function: { name, parameters: { type: 'object' } } });

describe('parseToolSchemas', () => {
  it('reads an array of tools or an object with a "tools" array', () => {
    expect(parseToolSchemas(JSON.stringify([tool('a')]), 'f.json')).toEqual({ schemas: [tool('a')] });
    expect(parseToolSchemas(JSON.stringify({ tools: [tool('a'), tool('b')] }), 'f.json')).toEqual({ schemas: [tool('a'), tool('b')] });
  });

  it('names the file and the first problem', () => {
    expect(parseToolSchemas('nope', 'f.json')).toEqual({ error: expect.stringMatching(/^f\.json is not valid JSON: /) });
    expect(parseToolSchemas('{"a": 1}', 'f.json')).toEqual({ error: 'f.json must hold a JSON array of tool schemas (or an object with a "tools" array)' });
    expect(parseToolSchemas('[]', 'f.json')).toEqual({ error: 'f.json holds no tool schemas' });
    expect(parseToolSchemas('[1]', 'f.json')).toEqual({ error: 'f.json: tool 1 is not an object' });
    expect(parseToolSchemas(JSON.stringify([tool('a'), { function: { name: 'b' } }]), 'f.json')).toEqual({ error: 'f.json: tool 2 needs "type": "function"' });
    expect(parseToolSchemas(JSON.stringify([tool('a'), tool('a')]), 'f.json')).toEqual({ error: 'f.json: tool 2 repeats the tool name "a"' });
    expect(parseToolSchemas(JSON.stringify([{ type: 'function', function: { name: 'a', parameters: [] } }]), 'f.json')).toEqual({
      error: 'f.json: tool 1 ("a") has "function.parameters" that is not an object',
    });
  });
});
