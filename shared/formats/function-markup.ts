import { pyJsonDumps } from '../python/json.js';
import type { WrittenCall } from './import-common.js';

// Tool calls written in the text, as OpenHands' prompt-based function calling has a model write
// them (`fn_call_converter.py`), and as SFT sets made that way keep them (the Agent Data
// Protocol's OpenHands conversions, for one): in an assistant turn
//
//   Let me look.
//   <function=execute_bash>
//   <parameter=command>
//   ls -F
//   </parameter>
//   </function>
//
// and the result in the next user turn, `EXECUTION RESULT of [execute_bash]:\n` and its text. The
// converter reads the first `<function=NAME>\n?BODY</function>`, each `<parameter=NAME>VALUE
// </parameter>` of its body with the value stripped, and the text before `<function=` (stripped) as
// the message's content. Without the tool schemas every value stays a string.

const RESULT = /^EXECUTION RESULT of \[([\s\S]*?)\]:\n([\s\S]*)$/;

/**
 * Each `<open` NAME `>` BODY `close` block of `text`, as the lazy pattern `<open([^>]+)>(.*?)close`
 * finds them (each up to the first `close` after it), in linear time: the pattern would rescan to
 * the end from every opening that is never closed.
 */
function* blocks(text: string, open: string, close: string): Generator<{ start: number; name: string; body: string }> {
  for (let from = 0; ; ) {
    const start = text.indexOf(open, from);
    if (start < 0) return;
    const nameEnd = text.indexOf('>', start + open.length);
    // No `>` after this opening, or no closing after it: none after a later opening either.
    if (nameEnd < 0) return;
    // `[^>]+`: a name is not empty, so this opening is not one.
    if (nameEnd === start + open.length) {
      from = nameEnd;
      continue;
    }
    const end = text.indexOf(close, nameEnd + 1);
    if (end < 0) return;
    from = end + close.length;
    yield { start, name: text.slice(start + open.length, nameEnd), body: text.slice(nameEnd + 1, end) };
  }
}

/**
 * The calls an assistant turn writes in the markup, and its text before the first of them; null
 * when it writes none. Each `<function=...>` block is a call (the converter allows one a turn; a
 * turn with more keeps them all, in order). The arguments are the JSON text the converter makes of
 * them (Python's `json.dumps`).
 */
export function markupCalls(text: string): { content: string; calls: WrittenCall[] } | null {
  const start = text.indexOf('<function=');
  if (start < 0) return null;
  const calls: WrittenCall[] = [];
  for (const call of blocks(text, '<function=', '</function>')) {
    const body = call.body.startsWith('\n') ? call.body.slice(1) : call.body;
    // A Python dict: keys in first-set order, a repeated parameter keeping its first place and last value.
    const args = new Map<string, string>();
    for (const parameter of blocks(body, '<parameter=', '</parameter>')) args.set(parameter.name, parameter.body.trim());
    calls.push({ name: call.name, arguments: pyJsonDumps(args) });
  }
  if (calls.length === 0) return null;
  return { content: text.slice(0, start).trim(), calls };
}

/** The result a user turn gives in the markup: the tool it names and its text (stripped); null when it is not one. */
export function markupResult(text: string): { name: string; content: string } | null {
  if (!text.startsWith('EXECUTION RESULT of [')) return null;
  const match = RESULT.exec(text);
  return match ? { name: match[1]!, content: match[2]!.trim() } : null;
}
