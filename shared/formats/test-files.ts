// Small files in the layouts other programs write, made for tests (never copied from those programs).

/** n token ids. */
const filler = (n: number): number[] => Array.from({ length: n }, (_, i) => i % 50_000);

/** A SWE-agent 1.x `.traj`: a long `trajectory` of steps first, then `history`, `info`, `replay_config`. */
export function sweAgentTraj(steps: number): string {
  const call = (k: number) => ({ id: `call_${k}`, type: 'function', function: { name: 'bash', arguments: JSON.stringify({ command: `ls ${k}` }) } });
  const history = [{ role: 'system', content: 'You are a programmer.', agent: 'main', message_type: 'system_prompt' }, { role: 'user', content: 'Fix it.', agent: 'main', message_type: 'observation' }];
  for (let k = 0; k < steps; k++) history.push({ role: 'assistant', content: `step ${k}`, agent: 'main', message_type: 'action', tool_calls: [call(k)] } as never, { role: 'tool', content: 'x'.repeat(100), agent: 'main', message_type: 'observation', tool_call_ids: [`call_${k}`] } as never);
  const trajectory = Array.from({ length: steps }, (_, k) => ({ action: `ls ${k}`, observation: 'o'.repeat(20_000), response: `step ${k}`, thought: `step ${k}`, execution_time: 0.1, state: {}, query: history.slice(0, 2 + 2 * k), extra_info: {} }));
  return JSON.stringify({ trajectory, history, info: { exit_status: 'submitted', model_stats: { api_calls: steps } }, replay_config: '{}', environment: 'main' });
}

/** An atropos rollout line: a group of rollouts, `tokens` and `masks` (hundreds of KB) before `messages`. */
export function atroposLine(rollouts: number, tokens: number): string {
  return JSON.stringify({
    tokens: Array.from({ length: rollouts }, () => filler(tokens)),
    masks: Array.from({ length: rollouts }, () => filler(tokens).map(() => -100)),
    scores: Array.from({ length: rollouts }, (_, k) => k / rollouts),
    advantages: null,
    messages: Array.from({ length: rollouts }, (_, k) => [{ role: 'user', content: 'What is 2+2?' }, { role: 'assistant', content: `answer ${k}` }]),
    overrides: null,
  });
}

