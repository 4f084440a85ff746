// Tool calls written as a Python list of calls, as ToolACE (and the Berkeley Function Calling
// Leaderboard's prompting format it follows) has the assistant write them:
//
//   [Market Trends API(trend_type="INDEXES", limit=5), get_weather(city='Paris', units=None)]
//
// A name runs to the `(` of its arguments (ToolACE's names hold spaces, dots and parentheses of
// their own: `User Feed (Video Posts) V2(user_id="1")`); each argument is `NAME=VALUE`,
// VALUE a Python literal: a string in single or double quotes (with Python's escapes), a number,
// True, False, None, or a list, tuple or dict of them. A text that is not such a list, whole, is
// no calls: it stays the assistant's text.

import { setOwn, type WrittenCall } from './import-common.js';

class NotACall extends Error {}

/** The calls of a text that is, whole, a Python list of calls; null for any other text. */
export function pythonCalls(text: string): WrittenCall[] | null {
  const trimmed = text.trim();
  if (!trimmed.startsWith('[') || !trimmed.endsWith(']')) return null;
  try {
    return new Reader(trimmed).calls();
  } catch (error) {
    if (error instanceof NotACall || error instanceof RangeError) return null;
    throw error;
  }
}

/**
 * The Python literal (a string, number, True, False, None, or a list, tuple or dict of them) that
 * starts at `start` in `text`, read to JSON values, and where it ends; null when none does.
 */
export function pythonLiteralAt(text: string, start: number): { value: unknown; end: number } | null {
  try {
    return new Reader(text, start).literal();
  } catch (error) {
    if (error instanceof NotACall || error instanceof RangeError) return null;
    throw error;
  }
}

/** Nested lists, tuples and dicts deeper than this are not read (the stack stays small). */
const MAX_DEPTH = 100;

const ESCAPES: Record<string, string> = { '\\': '\\', "'": "'", '"': '"', n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v', a: '\x07', '0': '\0', '\n': '' };

class Reader {
  private at: number;

  constructor(
    private readonly text: string,
    start = 0,
  ) {
    this.at = start;
  }

  literal(): { value: unknown; end: number } {
    const value = this.value(0);
    return { value, end: this.at };
  }

  calls(): WrittenCall[] {
    this.expect('[');
    const calls: WrittenCall[] = [];
    this.space();
    if (this.peek() === ']') throw new NotACall();
    for (;;) {
      calls.push(this.call());
      this.space();
      if (this.eat(']')) break;
      this.expect(',');
      this.space();
    }
    if (this.at !== this.text.length) throw new NotACall();
    return calls;
  }

  private call(): WrittenCall {
    const open = this.argumentsOpen();
    const name = this.text.slice(this.at, open).trim();
    this.at = open + 1;
    const args: Record<string, unknown> = {};
    this.space();
    while (!this.eat(')')) {
      const key = /^[A-Za-z_][\w.-]*/.exec(this.text.slice(this.at, this.at + 200))?.[0];
      if (!key) throw new NotACall();
      this.at += key.length;
      this.space();
      this.expect('=');
      this.space();
      setOwn(args, key, this.value(0));
      this.space();
      if (this.eat(')')) break;
      this.expect(',');
      this.space();
    }
    return { name, arguments: JSON.stringify(args) };
  }

  /**
   * Where the call's arguments open: the first `(` after a name whose own parentheses balance
   * ("User Feed (Video Posts) V2(user_id=...)") and that is followed by `)` or `NAME=`.
   */
  private argumentsOpen(): number {
    let depth = 0;
    for (let i = this.at; i < this.text.length; i++) {
      const c = this.text[i]!;
      if ('[]{},=\'"'.includes(c)) break;
      if (c === ')') {
        if (--depth < 0) break;
        continue;
      }
      if (c !== '(') continue;
      if (depth === 0 && i > this.at && /^\s*(?:\)|[A-Za-z_][\w.-]*\s*=)/.test(this.text.slice(i + 1, i + 201)) && this.text.slice(this.at, i).trim() !== '') return i;
      depth += 1;
    }
    throw new NotACall();
  }

  private value(depth: number): unknown {
    if (depth > MAX_DEPTH) throw new NotACall();
    const c = this.peek();
    if (c === '"' || c === "'") return this.string();
    if (c === '[' || c === '(') return this.sequence(c === '[' ? ']' : ')', depth);
    if (c === '{') return this.dict(depth);
    const word = /^(?:True|False|None)\b|^[-+]?(?:\d[\d_]*\.?\d*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?)/.exec(this.text.slice(this.at, this.at + 400))?.[0];
    if (!word) throw new NotACall();
    this.at += word.length;
    if (word === 'True') return true;
    if (word === 'False') return false;
    if (word === 'None') return null;
    const number = Number(word.replace(/_/g, ''));
    if (!Number.isFinite(number)) throw new NotACall();
    return number;
  }

  private sequence(close: string, depth: number): unknown[] {
    this.at += 1;
    const items: unknown[] = [];
    this.space();
    while (!this.eat(close)) {
      items.push(this.value(depth + 1));
      this.space();
      if (this.eat(close)) break;
      this.expect(',');
      this.space();
    }
    return items;
  }

  private dict(depth: number): Record<string, unknown> {
    this.at += 1;
    const dict: Record<string, unknown> = {};
    this.space();
    while (!this.eat('}')) {
      const key = this.value(depth + 1);
      if (typeof key !== 'string' && typeof key !== 'number') throw new NotACall();
      this.space();
      this.expect(':');
      this.space();
      setOwn(dict, String(key), this.value(depth + 1));
      this.space();
      if (this.eat('}')) break;
      this.expect(',');
      this.space();
    }
    return dict;
  }

  private string(): string {
    const quote = this.text[this.at]!;
    let out = '';
    for (let i = this.at + 1; i < this.text.length; ) {
      const c = this.text[i]!;
      if (c === quote) {
        this.at = i + 1;
        return out;
      }
      if (c === '\n') break;
      if (c !== '\\') {
        // Copy up to the next quote, backslash or newline at once.
        let j = i + 1;
        while (j < this.text.length && this.text[j] !== quote && this.text[j] !== '\\' && this.text[j] !== '\n') j++;
        out += this.text.slice(i, j);
        i = j;
        continue;
      }
      const e = this.text[i + 1];
      if (e === undefined) break;
      if (e in ESCAPES) {
        out += ESCAPES[e];
        i += 2;
      } else if (e === 'x' || e === 'u' || e === 'U') {
        const digits = e === 'x' ? 2 : e === 'u' ? 4 : 8;
        const hex = this.text.slice(i + 2, i + 2 + digits);
        if (!new RegExp(`^[0-9a-fA-F]{${digits}}$`).test(hex)) throw new NotACall();
        const code = parseInt(hex, 16);
        if (code > 0x10ffff) throw new NotACall();
        out += String.fromCodePoint(code);
        i += 2 + digits;
      } else {
        // Python keeps an unknown escape as written.
        out += `\\${e}`;
        i += 2;
      }
    }
    throw new NotACall();
  }

  private space(): void {
    while (this.at < this.text.length && /\s/.test(this.text[this.at]!)) this.at++;
  }

  private peek(): string | undefined {
    return this.text[this.at];
  }

  private eat(c: string): boolean {
    if (this.text[this.at] !== c) return false;
    this.at += 1;
    return true;
  }

  private expect(c: string): void {
    if (!this.eat(c)) throw new NotACall();
  }
}
