import type { LoopConfig } from '../run/events.js';

/**
 * The reference loop's defaults (`HermesAgentLoop.__init__`): 30 turns, temperature 1.0, no
 * max_tokens and no context budget. The engine, the CLI, the API's run settings and the New run
 * form all start from these.
 */
export const LOOP_DEFAULTS: Readonly<Omit<LoopConfig, 'taskId'>> = Object.freeze({
  maxTurns: 30,
  temperature: 1.0,
  maxTokens: null,
  maxContextTokens: null,
});
