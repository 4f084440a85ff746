import type { ChatMessage } from '#shared/model/chat.js';

/** A deterministic pseudo-random generator (mulberry32), so every bench run sees the same data. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = ['agent', 'tool', 'result', 'file', 'näive', 'grep', 'λ', 'output', 'error', 'line', '🙂', 'context'];

export function text(random: () => number, length: number): string {
  let out = '';
  while (out.length < length) out += `${WORDS[Math.floor(random() * WORDS.length)]} `;
  return out.slice(0, length);
}

/**
 * A long tool-calling trajectory in the reference's message format: `turns` assistant turns,
 * each with one to three tool calls and results from a few characters to a few kilobytes, ending
 * with a final answer.
 */
export function generateTrajectory(turns: number, seed = 1): ChatMessage[] {
  const random = seededRandom(seed);
  const messages: ChatMessage[] = [
    { role: 'system', content: text(random, 600) },
    { role: 'user', content: text(random, 200) },
  ];
  for (let t = 1; t < turns; t++) {
    const calls = 1 + Math.floor(random() * 3);
    const toolCalls = Array.from({ length: calls }, (_, k) => ({
      id: `call_${t}_${k}`,
      type: 'function' as const,
      function: { name: random() < 0.5 ? 'terminal' : 'read_file', arguments: JSON.stringify({ command: text(random, 40) }) },
    }));
    messages.push({ role: 'assistant', content: text(random, Math.floor(random() * 300)), tool_calls: toolCalls });
    for (const call of toolCalls) {
      const size = random() < 0.2 ? 2000 + Math.floor(random() * 4000) : Math.floor(random() * 400);
      messages.push({ role: 'tool', tool_call_id: call.id, content: text(random, size) });
    }
  }
  messages.push({ role: 'assistant', content: text(random, 200) });
  return messages;
}
