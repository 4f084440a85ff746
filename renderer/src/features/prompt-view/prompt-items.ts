import type { ChatMessage } from '#shared/model/chat.js';
import { contentOf } from '#shared/loop/estimate.js';
import { materializePromptView, type PromptView } from '#shared/loop/truncate.js';
import { codePointLength } from '#shared/python/str.js';

/** One row of the prompt view, aligned with the full trajectory. */
export type PromptItem =
  /** A message as it was sent; `cut` counts the code points shortening removed (null: sent whole). */
  | { kind: 'message'; index: number; message: ChatMessage; cut: number | null }
  /** Trajectory messages `[start, end)` left out of the prompt. */
  | { kind: 'dropped'; start: number; end: number };

function lengthOf(message: ChatMessage): number {
  const content = contentOf(message);
  return typeof content === 'string' ? codePointLength(content) : 0;
}

/**
 * The prompt of one turn as rows: the exact messages sent (from materializePromptView), each at
 * its trajectory index, with a marker where messages were dropped.
 */
export function promptItems(trajectory: readonly ChatMessage[], view: PromptView): PromptItem[] {
  const sent = materializePromptView(trajectory, view);
  const shortened = new Set(view.shortened);
  const items: PromptItem[] = [];
  let k = 0;
  let next = 0;
  const keep = (end: number): void => {
    for (let index = next; index < end; index++) {
      const message = sent[k++]!;
      const cut = shortened.has(index) ? lengthOf(trajectory[index]!) - lengthOf(message) : null;
      items.push({ kind: 'message', index, message, cut });
    }
  };
  for (const [start, end] of view.dropped) {
    keep(start);
    items.push({ kind: 'dropped', start, end });
    next = end;
  }
  keep(view.messageCount);
  return items;
}
