import { deriveAgentResult, type Trajectory } from './trajectory.js';

/** The formats `convert --to` writes. */
export type ExportFormat = 'agent-result' | 'openai-jsonl';

export const EXPORT_FORMATS: readonly ExportFormat[] = ['agent-result', 'openai-jsonl'];

/**
 * The text of a file in an export format. `agent-result`: the reference AgentResult (recorded
 * fields kept, the rest derived) as one pretty JSON for a single trajectory, else one per line.
 * `openai-jsonl`: one `{"messages": [...]}` per line.
 */
export function exportText(trajectories: readonly Trajectory[], format: ExportFormat): string {
  if (format === 'openai-jsonl') return trajectories.map((t) => `${JSON.stringify({ messages: t.messages })}\n`).join('');
  const results = trajectories.map((t) => deriveAgentResult(t).result);
  if (results.length === 1) return `${JSON.stringify(results[0], null, 2)}\n`;
  return results.map((r) => `${JSON.stringify(r)}\n`).join('');
}
