import type { z } from 'zod';
import type { promptViewSchema } from '../run/events.js';
import type { ChatMessage } from '../model/chat.js';
import { codePointSlice } from '../python/str.js';
import { contentOf, estimateMessageTokens, estimateTokens } from './estimate.js';
import { jsonTruthy, pyLenExceeds } from './json-semantics.js';

/** Messages kept at the start of the prompt whatever the budget (system and first user). */
export const PROTECT_HEAD = 2;
/** At most this many messages at the end are kept whatever the budget. */
export const PROTECT_TAIL_MAX = 6;
/** Middle tool results longer than this many code points are shortened in phase 1. */
export const SHORTEN_ABOVE = 200;
/** What phase 1 puts between the first 100 and last 50 code points of a shortened tool result. */
export const TRUNCATION_MARKER = '\n...[truncated]...\n';

/** Phase 1's shortening of one tool result: first 100 + marker + last 50 code points. */
export function shortenToolResult(content: string): string {
  return codePointSlice(content, 0, 100) + TRUNCATION_MARKER + codePointSlice(content, -50);
}

function isLongToolResult(message: ChatMessage): boolean {
  return message.role === 'tool' && pyLenExceeds(contentOf(message), SHORTEN_ABOVE);
}

function shortened(message: ChatMessage): ChatMessage {
  const content = contentOf(message);
  if (typeof content !== 'string') throw new TypeError(`can only concatenate ${Array.isArray(content) ? 'list' : 'dict'} (not "str") to it`);
  return { ...message, content: shortenToolResult(content) };
}

/** Python-equality key of a tool call id (ids may be strings, null or, in odd files, numbers). */
function idKey(id: unknown): string {
  if (id === null || id === undefined) return 'None';
  if (typeof id === 'string') return `s${id}`;
  if (typeof id === 'boolean') return `n${id ? 1 : 0}`;
  return `${typeof id}${String(id)}`;
}

/** `{tc.get("id") or tc.get("tool_call_id", "") for tc in tool_calls if isinstance(tc, dict)}`. */
function toolCallIdKeys(message: ChatMessage): Set<string> {
  const keys = new Set<string>();
  for (const call of (message.tool_calls ?? []) as unknown[]) {
    if (call === null || typeof call !== 'object' || Array.isArray(call)) continue;
    const fields = call as Record<string, unknown>;
    keys.add(idKey(jsonTruthy(fields.id) ? fields.id : 'tool_call_id' in fields ? fields.tool_call_id : ''));
  }
  return keys;
}

function toolResultIdKey(message: ChatMessage): string {
  return idKey('tool_call_id' in message ? message.tool_call_id : '');
}

function dropsItsResults(message: ChatMessage): boolean {
  return message.role === 'assistant' && jsonTruthy(message.tool_calls);
}

/**
 * The reference's `_truncate_context`, line for line: the oracle the incremental
 * {@link PromptViewIndex} is tested against. Returns the prompt view as a new list; the input
 * list and its messages are not modified. Cost grows quadratically with what it drops.
 */
export function truncateContext(input: readonly ChatMessage[], maxContextTokens: number | null): ChatMessage[] {
  const messages = [...input];
  if (maxContextTokens === null) return messages;
  if (estimateTokens(messages) <= maxContextTokens) return messages;
  const protectTail = Math.max(0, Math.min(PROTECT_TAIL_MAX, messages.length - PROTECT_HEAD));
  const middleStart = PROTECT_HEAD;
  let middleEnd = messages.length - protectTail;
  if (middleStart < middleEnd) {
    for (let i = middleStart; i < middleEnd; i++) {
      if (isLongToolResult(messages[i]!)) messages[i] = shortened(messages[i]!);
    }
    if (estimateTokens(messages) <= maxContextTokens) return messages;
  }
  while (middleStart < middleEnd && estimateTokens(messages) > maxContextTokens) {
    const [message] = messages.splice(middleStart, 1);
    middleEnd -= 1;
    if (!dropsItsResults(message!)) continue;
    const ids = toolCallIdKeys(message!);
    let i = middleStart;
    while (i < middleEnd) {
      if (messages[i]!.role === 'tool' && ids.has(toolResultIdKey(messages[i]!))) {
        messages.splice(i, 1);
        middleEnd -= 1;
      } else {
        i += 1;
      }
    }
  }
  return messages;
}

/** Half-open ranges `[start, end)` of trajectory indices. */
export type IndexRanges = Array<[number, number]>;

/**
 * The prompt the model saw on one turn, stored by reference to the full trajectory: which
 * messages were left out and which tool results were shortened. {@link materializePromptView}
 * turns it back into the exact messages.
 */
export type PromptView = z.infer<typeof promptViewSchema>;

function addIndex(ranges: IndexRanges, index: number): void {
  const last = ranges[ranges.length - 1];
  if (last && last[1] === index) last[1] = index + 1;
  else ranges.push([index, index + 1]);
}

/** The exact messages a {@link PromptView} describes. */
export function materializePromptView(trajectory: readonly ChatMessage[], view: PromptView): ChatMessage[] {
  const shortenedSet = new Set(view.shortened);
  const out: ChatMessage[] = [];
  let next = 0;
  const keep = (end: number): void => {
    for (let i = next; i < end; i++) {
      const message = trajectory[i]!;
      out.push(shortenedSet.has(i) ? shortened(message) : message);
    }
  };
  for (const [start, end] of view.dropped) {
    keep(start);
    next = end;
  }
  keep(view.messageCount);
  return out;
}

/** A message's estimate, or null when the reference's estimate raises on it. */
function safeEstimate(message: ChatMessage): number | null {
  try {
    return estimateMessageTokens(message);
  } catch {
    return null;
  }
}

/**
 * Fenwick tree over indices with range add and point query. It grows by doubling, rebuilding
 * from the plain difference array, so appends stay amortized O(1) and queries O(log n).
 */
export class RangeAddTree {
  private readonly diff: number[] = [];
  private tree: number[] = [0];

  /** Adds `value` at every index in `[start, end)`. */
  addRange(start: number, end: number, value: number): void {
    this.add(start, value);
    this.add(end, -value);
  }

  /** The sum of the values added at `index`. */
  pointQuery(index: number): number {
    let sum = 0;
    for (let i = Math.min(index + 1, this.tree.length - 1); i > 0; i -= i & -i) sum += this.tree[i]!;
    return sum;
  }

  private add(index: number, value: number): void {
    if (index + 1 >= this.tree.length) this.rebuild(Math.max(2 * this.tree.length, index + 2));
    while (this.diff.length <= index) this.diff.push(0);
    this.diff[index]! += value;
    for (let i = index + 1; i < this.tree.length; i += i & -i) this.tree[i]! += value;
  }

  private rebuild(size: number): void {
    const tree = new Array<number>(size).fill(0);
    for (let i = 1; i < size; i++) {
      tree[i]! += this.diff[i - 1] ?? 0;
      const parent = i + (i & -i);
      if (parent < size) tree[parent]! += tree[i]!;
    }
    this.tree = tree;
  }
}

/**
 * The reference's truncation, computed incrementally for a trajectory that only grows. Each
 * {@link view} costs O(kept messages + log² n) instead of the reference's O(n · dropped): the
 * estimates are prefix sums, the drop point is found by binary search, and a tool result dropped
 * with its assistant message is tracked in a Fenwick tree. Equal to {@link truncateContext} for
 * every input (property-tested).
 */
export class PromptViewIndex {
  private readonly messages: ChatMessage[] = [];
  /** fullPrefix[i]: estimate of messages [0, i) as they are. */
  private readonly fullPrefix: number[] = [0];
  /** shortPrefix[i]: estimate of messages [0, i) with long tool results shortened. */
  private readonly shortPrefix: number[] = [0];
  private readonly isShortenable: boolean[] = [];
  /** The first middle assistant message whose tool calls claim each tool call id. */
  private readonly claimedBy = new Map<string, number>();
  /** For each message, the assistant whose drop takes it along (or -1). */
  private readonly droppedWith: number[] = [];
  /** Tool results entered into the middle so far (they count in the tree). */
  private middleEndSeen = PROTECT_HEAD;
  private readonly pairedTree = new RangeAddTree();
  /** Messages appended without a budget that the estimate could not measure (counted as 0). */
  private unestimated = 0;

  constructor(private readonly maxContextTokens: number | null) {}

  /** The trajectory so far. */
  get length(): number {
    return this.messages.length;
  }

  /** Appends one message to the trajectory. */
  append(message: ChatMessage): void {
    const index = this.messages.length;
    this.messages.push(message);
    let full: number;
    let shortenable = false;
    let short: number;
    if (this.maxContextTokens === null) {
      // Without a budget the reference estimates nothing, so an unestimable message is no error:
      // it counts 0, and the view says how many there are.
      const estimate = safeEstimate(message);
      if (estimate === null) this.unestimated += 1;
      full = short = estimate ?? 0;
    } else {
      full = estimateMessageTokens(message);
      shortenable = isLongToolResult(message);
      short = shortenable ? estimateMessageTokens(shortened(message)) : full;
    }
    this.fullPrefix.push(this.fullPrefix[index]! + full);
    this.shortPrefix.push(this.shortPrefix[index]! + short);
    this.isShortenable.push(shortenable);
    let owner = -1;
    if (message.role === 'tool') owner = this.claimedBy.get(toolResultIdKey(message)) ?? -1;
    this.droppedWith.push(owner);
    if (index >= PROTECT_HEAD && dropsItsResults(message)) {
      for (const key of toolCallIdKeys(message)) if (!this.claimedBy.has(key)) this.claimedBy.set(key, index);
    }
  }

  /** The prompt view the reference would send now. */
  view(): PromptView {
    const n = this.messages.length;
    const budget = this.maxContextTokens;
    const none = (fullTokens: number): PromptView => ({ messageCount: n, budget, phase: 'none', fullTokens, estimatedTokens: fullTokens, dropped: [], shortened: [] });
    const fullTokens = this.fullPrefix[n]!;
    if (budget === null) return this.unestimated > 0 ? { ...none(fullTokens), unestimated: this.unestimated } : none(fullTokens);
    if (fullTokens <= budget) return none(fullTokens);
    const middleEnd = n - Math.max(0, Math.min(PROTECT_TAIL_MAX, n - PROTECT_HEAD));
    if (middleEnd <= PROTECT_HEAD) return none(fullTokens);
    this.enterMiddle(middleEnd);
    const shortTokens = this.fullPrefix[PROTECT_HEAD]! + this.shortPrefix[middleEnd]! - this.shortPrefix[PROTECT_HEAD]! + this.fullPrefix[n]! - this.fullPrefix[middleEnd]!;
    if (shortTokens <= budget) {
      return { messageCount: n, budget, phase: 'shortened', fullTokens, estimatedTokens: shortTokens, dropped: [], shortened: this.shortenedIn(PROTECT_HEAD, middleEnd, -1) };
    }
    // Smallest p whose drop state S(p) = [2, p] ∪ {results taken along} is within budget.
    let lo = PROTECT_HEAD;
    let hi = middleEnd - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (shortTokens - this.droppedTokens(mid) <= budget) hi = mid;
      else lo = mid + 1;
    }
    const last = lo;
    const dropped: IndexRanges = [[PROTECT_HEAD, last + 1]];
    for (let i = last + 1; i < middleEnd; i++) if (this.takenAlong(i, last)) addIndex(dropped, i);
    return {
      messageCount: n,
      budget,
      phase: 'dropped',
      fullTokens,
      estimatedTokens: shortTokens - this.droppedTokens(last),
      dropped,
      shortened: this.shortenedIn(last + 1, middleEnd, last),
    };
  }

  /** The exact messages of {@link view}. */
  promptMessages(view: PromptView = this.view()): ChatMessage[] {
    return materializePromptView(this.messages, view);
  }

  private takenAlong(index: number, last: number): boolean {
    const owner = this.droppedWith[index]!;
    return owner >= PROTECT_HEAD && owner <= last;
  }

  private shortenedIn(start: number, end: number, last: number): number[] {
    const out: number[] = [];
    for (let i = start; i < end; i++) if (this.isShortenable[i] && !this.takenAlong(i, last)) out.push(i);
    return out;
  }

  /** Estimate of S(p): the middle prefix [2, p] plus later middle results dropped with it. */
  private droppedTokens(last: number): number {
    return this.shortPrefix[last + 1]! - this.shortPrefix[PROTECT_HEAD]! + this.pairedTree.pointQuery(last);
  }

  /** Registers tool results that have entered the middle range, for {@link droppedTokens}. */
  private enterMiddle(middleEnd: number): void {
    for (let q = this.middleEndSeen; q < middleEnd; q++) {
      const owner = this.droppedWith[q]!;
      if (owner < PROTECT_HEAD) continue;
      const short = this.shortPrefix[q + 1]! - this.shortPrefix[q]!;
      this.pairedTree.addRange(owner, q, short);
    }
    this.middleEndSeen = Math.max(this.middleEndSeen, middleEnd);
  }
}
