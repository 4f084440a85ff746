import type { ChatMessage } from '#shared/model/chat.js';
import type { RunSnapshot, TurnRecord } from '#shared/run/run-state.js';
import { turnHasError } from './turn-badges.js';

function textOf(value: unknown): string {
  return typeof value === 'string' ? value : value === undefined || value === null ? '' : JSON.stringify(value);
}

function messageText(message: ChatMessage): string {
  const parts = [textOf(message.content), textOf(message.reasoning_content)];
  for (const call of message.tool_calls ?? []) parts.push(call.function?.name ?? '', textOf(call.function?.arguments));
  return parts.join('\n');
}

// A finished turn's text never changes: lower-case it once (find runs on every keystroke).
const searchTextCache = new WeakMap<TurnRecord, { key: string; text: string }>();

/** The lower-cased text find searches in a turn: its messages, tool calls, reasoning and failure. */
export function turnSearchText(s: RunSnapshot, turn: TurnRecord): string {
  const key = `${turn.messageRange[1]}:${turn.failure ? 1 : 0}`;
  const cached = searchTextCache.get(turn);
  if (cached?.key === key) return cached.text;
  const parts: string[] = [];
  for (let i = turn.messageRange[0]; i < turn.messageRange[1]; i++) parts.push(messageText(s.messages[i]!));
  if (turn.failure) parts.push(turn.failure.error);
  const text = parts.join('\n').toLowerCase();
  searchTextCache.set(turn, { key, text });
  return text;
}

/** The turn numbers the turn list shows, after the "Errors only" filter and find. */
export function visibleTurnNumbers(s: RunSnapshot, errorsOnly: boolean, findText: string): number[] {
  const needle = findText.trim().toLowerCase();
  const out: number[] = [];
  for (const turn of s.turns) {
    if (errorsOnly && !turnHasError(turn)) continue;
    if (needle && !turnSearchText(s, turn).includes(needle)) continue;
    out.push(turn.turn);
  }
  return out;
}

/** The turn `step` places away from `current` among `visible` (wrapping when `wrap`). */
export function neighbourTurn(visible: readonly number[], current: number | null, step: 1 | -1, wrap = false): number | null {
  if (visible.length === 0) return null;
  if (current === null) return step > 0 ? visible[0]! : visible[visible.length - 1]!;
  const at = visible.indexOf(current);
  if (at >= 0) {
    const next = at + step;
    if (next >= 0 && next < visible.length) return visible[next]!;
    return wrap ? visible[(next + visible.length) % visible.length]! : current;
  }
  // The current turn is filtered out: go to the nearest visible one in that direction.
  const candidate = step > 0 ? visible.find((t) => t > current) : [...visible].reverse().find((t) => t < current);
  return candidate ?? (wrap ? (step > 0 ? visible[0]! : visible[visible.length - 1]!) : null);
}
