import { describe, expect, it } from 'vitest';
import { readableJson } from './readable-json.js';

describe('readableJson', () => {
  it('decodes a JSON string result into its lines', () => {
    expect(readableJson('"line 1: import os\\nline 2: print(\\"hi\\")\\n"')).toBe('line 1: import os\nline 2: print("hi")\n');
  });

  it('shows an object as key: value lines with multi-line strings as indented blocks', () => {
    const text = JSON.stringify({ output: 'a\n\tb\n', exit_code: 0, ok: true, error: null, note: '' });
    expect(readableJson(text)).toBe('output:\n  a\n  \tb\nexit_code: 0\nok: true\nerror: null\nnote: ""');
  });

  it('indents nested objects and lists, and keeps every digit of a large integer', () => {
    const text = '{"files": [{"name": "a.py", "size": 12345678901234567890}, "b\\u00e9"], "empty": [], "meta": {}}';
    expect(readableJson(text)).toBe('files:\n  -\n    name: a.py\n    size: 12345678901234567890\n  - bé\nempty: []\nmeta: {}');
  });

  it('leaves text that is not a JSON object, list or string alone', () => {
    expect(readableJson('plain output\nline 2')).toBeNull();
    expect(readableJson('42')).toBeNull();
    expect(readableJson('{"unterminated": ')).toBeNull();
    expect(readableJson('[1, 2')).toBeNull();
  });

  it('gives up on nesting deeper than the stack rather than throwing', () => {
    expect(readableJson('['.repeat(200_000) + ']'.repeat(200_000))).toBeNull();
  });
});
