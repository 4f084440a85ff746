import type { ChatMessage } from '#shared/model/chat.js';

/**
 * The built-in demo: a scripted model that exercises what the debugger shows (reasoning in each
 * provider field, parallel tool calls, a tool error, an unknown tool, coerced arguments, and a
 * long tool result that gets shortened in later prompts), run against the built-in tools in a
 * scratch workspace. It needs no model server and no key.
 */
export const DEMO_MESSAGES: ChatMessage[] = [
  { role: 'system', content: 'You are a careful coding agent. Use the tools to inspect the workspace before answering.' },
  { role: 'user', content: 'Write a short project note to notes.md, check how big it is, and tell me what the workspace holds.' },
];

/** The demo's loop settings: a small context budget so the prompt view visibly truncates. */
export const DEMO_CONFIG = { maxTurns: 8, temperature: 0.7, maxContextTokens: 600 };

function call(id: string, name: string, args: string) {
  return { id, type: 'function', function: { name, arguments: args } };
}

const NOTE = [
  '# Project notes',
  '',
  'The agent loop keeps the full trajectory and truncates a per-turn copy of the prompt.',
  'Tool results longer than 200 characters are shortened first; old turns are dropped next.',
].join('\n');

/** The demo model's replies, in order (scripted-server format). */
export const DEMO_SCRIPT = [
  {
    message: {
      content: "I'll start by writing the note.",
      reasoning_content: 'The user wants a note written first. write_file takes a path and the content.',
      tool_calls: [call('call_write', 'write_file', JSON.stringify({ path: 'notes.md', content: NOTE }))],
    },
  },
  {
    message: {
      content: 'Listing what the workspace holds, line by line.',
      tool_calls: [call('call_list', 'terminal', JSON.stringify({ command: 'for i in $(seq 1 40); do echo "entry $i: notes.md (scratch workspace listing)"; done' }))],
    },
  },
  {
    message: {
      content: '',
      reasoning: 'Now check the note size with wc, and look for an older draft at the same time.',
      tool_calls: [
        call('call_wc', 'terminal', JSON.stringify({ command: 'wc -c < notes.md' })),
        call('call_draft', 'read_file', JSON.stringify({ path: 'draft.md' })),
      ],
    },
  },
  {
    message: {
      content: 'There is no draft. Let me read the note back and search for related docs.',
      reasoning_details: [{ type: 'reasoning.text', text: 'The read_file arguments below are double-encoded on purpose: the loop decodes them but counts them as invalid.' }],
      tool_calls: [
        call('call_read', 'read_file', JSON.stringify(JSON.stringify({ path: 'notes.md' }))),
        call('call_search', 'web_search', JSON.stringify({ query: 'agent loop truncation' })),
      ],
    },
  },
  {
    message: {
      content: 'web_search is not available here; the note is all there is.',
      tool_calls: [call('call_head', 'terminal', JSON.stringify({ command: 'head -n 1 notes.md' }))],
    },
  },
  {
    message: {
      content: 'notes.md holds a four-line project note; the workspace holds nothing else, and there is no older draft.',
      reasoning_content: 'Everything asked for is done: the note is written, measured and read back.',
    },
  },
];
