import type { ChatMessage } from '#shared/model/chat.js';

/**
 * A chat-messages trajectory of `turns` turns for tests of long files: the user asks to count,
 * then each turn calls the terminal with `echo K` and gets `K` back. It ends on a tool result, as
 * a recording cut short does.
 */
export function countingTrajectory(turns: number): ChatMessage[] {
  const messages: ChatMessage[] = [{ role: 'user', content: 'count' }];
  for (let k = 1; k <= turns; k++) {
    messages.push({ role: 'assistant', content: '', tool_calls: [{ id: `c${k}`, type: 'function', function: { name: 'terminal', arguments: `{"command": "echo ${k}"}` } }] });
    messages.push({ role: 'tool', tool_call_id: `c${k}`, content: `${k}` });
  }
  return messages;
}
