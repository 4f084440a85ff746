import type { ChatMessage } from '#shared/model/chat.js';
import { RunBuilder, toolCall, toolNamed } from './run-builder.js';

const PROMPT: ChatMessage[] = [
  { role: 'system', content: 'S' },
  { role: 'user', content: 'U' },
];

/** Five turns, one of each kind: reasoning, a tool error, an unknown tool, coerced arguments, an answer. */
export function errorsRun(runId = 'run-errors'): RunBuilder {
  return new RunBuilder(runId, PROMPT, { tools: [toolNamed('read_file'), toolNamed('terminal')] })
    .turn({ reply: { content: 'Reading the file.', reasoning_content: 'Let me look at a.txt first.', tool_calls: [toolCall('c1', 'read_file', '{"path": "a.txt"}')] }, results: ['hello'] })
    .turn({ reply: { content: '', tool_calls: [toolCall('c2', 'terminal', '{"command": "false"}')] }, results: ['{"exit_code": -1, "error": "command failed"}'] })
    .turn({ reply: { content: '', tool_calls: [toolCall('c3', 'web_search', '{"query": "x"}')] } })
    .turn({ reply: { content: 'Again.', tool_calls: [toolCall('c4', 'read_file', JSON.stringify(JSON.stringify({ path: 'b.txt' })))] }, results: ['bye'] })
    .turn({ reply: { content: 'All done.' } })
    .finish('finished_naturally');
}

/** A tool result of 600 code points, 800 UTF-16 units (astral characters count once, as in Python). */
export const LONG_RESULT = 'ab😀'.repeat(200);

/**
 * Six turns under a 400-token budget: turn 6's prompt drops the first tool turn (2 messages) and
 * shortens the long tool result of turn 2 (12 messages in the trajectory by then).
 */
export function truncatedRun(runId = 'run-truncated'): RunBuilder {
  const run = new RunBuilder(runId, PROMPT, { tools: [toolNamed('read_file')], maxContextTokens: 400 });
  for (let i = 1; i <= 5; i++) {
    run.turn({ reply: { content: '', tool_calls: [toolCall(`c${i}`, 'read_file', `{"path": "f${i}"}`)] }, results: [i === 2 ? LONG_RESULT : `r${i}`] });
  }
  return run.turn({ reply: { content: 'done' } }).finish('finished_naturally');
}

/** Two turns, then the model call of turn 3 fails with an HTTP 500. */
export function failedRun(runId = 'run-failed'): RunBuilder {
  return new RunBuilder(runId, PROMPT, { tools: [toolNamed('read_file')] })
    .turn({ reply: { content: '', tool_calls: [toolCall('c1', 'read_file', '{"path": "a"}')] } })
    .turn({ reply: { content: '', tool_calls: [toolCall('c2', 'read_file', '{"path": "b"}')] } })
    .turn({ failure: 'HTTP 500 from http://127.0.0.1:8000/v1/chat/completions', status: 500 })
    .finish('model_error');
}
