import { describe, expect, it } from 'vitest';
import { pyJsonDumps } from '../python/json.js';
import { normalizeToolArgs } from './normalize-args.js';

/** The normalized arguments as Python's json.dumps prints them, and schema_valid. */
function norm(tool: string, raw: string): [string, boolean] {
  const { args, schemaValid } = normalizeToolArgs(tool, raw);
  return [pyJsonDumps(args), schemaValid];
}

describe('normalizeToolArgs (the reference _normalize_tool_args)', () => {
  it('accepts a JSON object as is', () => {
    expect(norm('read_file', '{"path": "a", "n": 1.0, "big": 123456789012345678901234567890}')).toEqual(['{"path": "a", "n": 1.0, "big": 123456789012345678901234567890}', true]);
  });

  it('wraps text that is not JSON', () => {
    expect(norm('read_file', 'a.txt')).toEqual(['{"input": "a.txt"}', false]);
    expect(norm('terminal', 'ls -la')).toEqual(['{"command": "ls -la"}', false]);
  });

  it('requires a non-blank command for the terminal', () => {
    expect(norm('terminal', '{"command": "ls"}')).toEqual(['{"command": "ls"}', true]);
    expect(norm('terminal', '{"command": "  "}')).toEqual(['{"command": "  "}', false]);
    expect(norm('terminal', '{"command": "\\u2003"}')).toEqual(['{"command": "\\u2003"}', false]);
    expect(norm('terminal', '{"input": "whoami"}')).toEqual(['{"command": "whoami"}', false]);
    expect(norm('terminal', '{"command": 5}')).toEqual(['{"command": 5}', false]);
  });

  it('decodes double-encoded objects but counts them invalid', () => {
    expect(norm('read_file', '"{\\"path\\": \\"a\\"}"')).toEqual(['{"path": "a"}', false]);
    expect(norm('terminal', '" {\\"command\\": \\"ls\\"} "')).toEqual(['{"command": "ls"}', false]);
    // A double-encoded array is not unwrapped: the outer string is wrapped instead.
    expect(norm('read_file', '"[1, 2]"')).toEqual(['{"input": "[1, 2]"}', false]);
    expect(norm('read_file', '"{not json}"')).toEqual(['{"input": "{not json}"}', false]);
  });

  it("stringifies other values with Python's str() for the terminal only", () => {
    expect(norm('terminal', 'null')).toEqual(['{"command": "None"}', false]);
    expect(norm('terminal', '[1, 2]')).toEqual(['{"command": "[1, 2]"}', false]);
    expect(norm('terminal', '[true, "x", 1.5e300]')).toEqual(['{"command": "[True, \'x\', 1.5e+300]"}', false]);
    expect(norm('terminal', '2.0')).toEqual(['{"command": "2.0"}', false]);
    expect(norm('read_file', '42')).toEqual(['{"input": 42}', false]);
    expect(norm('read_file', '[1, 2]')).toEqual(['{"input": [1, 2]}', false]);
    expect(norm('read_file', 'NaN')).toEqual(['{"input": NaN}', false]);
  });
});
