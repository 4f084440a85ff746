import { describe, expect, it } from 'vitest';
import { PromptViewIndex } from '#shared/loop/truncate.js';
import type { ChatMessage } from '#shared/model/chat.js';
import { promptItems } from './prompt-items.js';

describe('promptItems', () => {
  it('aligns the sent messages with the trajectory, with markers for dropped ranges', () => {
    const trajectory: ChatMessage[] = [
      { role: 'system', content: 's' },
      { role: 'user', content: 'u' },
      ...Array.from({ length: 8 }, (_, i): ChatMessage => ({ role: i % 2 ? 'user' : 'assistant', content: 'x'.repeat(100) })),
    ];
    const index = new PromptViewIndex(200);
    for (const message of trajectory) index.append(message);
    const view = index.view();
    expect(view.phase).toBe('dropped');
    const items = promptItems(trajectory, view);
    const sent = index.promptMessages(view);
    expect(items.filter((i) => i.kind === 'message').map((i) => i.kind === 'message' && i.message)).toEqual(sent);
    expect(items[2]).toEqual({ kind: 'dropped', start: view.dropped[0]![0], end: view.dropped[0]![1] });
    expect(items.filter((i) => i.kind === 'message').map((i) => i.kind === 'message' && i.index)).toEqual([0, 1, ...Array.from({ length: 10 - view.dropped[0]![1] }, (_, k) => view.dropped[0]![1] + k)]);
  });
});
