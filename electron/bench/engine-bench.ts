import { performance } from 'node:perf_hooks';
import { truncateContext, PromptViewIndex } from '#shared/loop/truncate.js';
import { createEngine } from '../engine/loop/engine.js';
import { planReplay } from '../engine/loop/replay.js';
import { generateTrajectory } from './generate.js';

/**
 * Engine benchmark: replays generated trajectories through the engine with truncation on and
 * prints the engine's own milliseconds per turn (the scripted model and tools answer at once, so
 * this is prompt views, normalization and bookkeeping). Several lengths show how cost grows.
 */
async function replayMsPerTurn(turns: number, budget: number): Promise<{ msPerTurn: number; totalMs: number }> {
  const recording = { messages: generateTrajectory(turns) };
  const plan = planReplay(recording);
  const engine = createEngine({ model: plan.model, tools: plan.tools });
  const started = performance.now();
  const outcome = await engine.start({ messages: plan.initialMessages, config: { maxTurns: plan.maxTurns, maxContextTokens: budget } }).done;
  const totalMs = performance.now() - started;
  if (outcome.result.turns_used !== turns) throw new Error(`replay used ${outcome.result.turns_used} turns, expected ${turns}`);
  return { msPerTurn: totalMs / turns, totalMs };
}

/** The reference's literal truncation, per turn, for the same trajectory (for comparison). */
function literalMsPerTurn(turns: number, budget: number): number {
  const messages = generateTrajectory(turns);
  const starts = messages.flatMap((m, i) => (m.role === 'assistant' ? [i] : []));
  const started = performance.now();
  for (const end of starts) truncateContext(messages.slice(0, end), budget);
  return (performance.now() - started) / turns;
}

function indexMsPerTurn(turns: number, budget: number): number {
  const messages = generateTrajectory(turns);
  const index = new PromptViewIndex(budget);
  const started = performance.now();
  for (const message of messages) {
    index.append(message);
    if (message.role === 'assistant') index.promptMessages(index.view());
  }
  return (performance.now() - started) / turns;
}

async function main(): Promise<void> {
  const budget = 8000;
  console.log(`engine replay with truncation on (max_context_tokens ${budget}), ${process.version}`);
  await replayMsPerTurn(200, budget); // warm-up
  console.log('turns   engine ms/turn   total ms   prompt view ms/turn (incremental)   literal port ms/turn');
  for (const turns of [250, 500, 1000, 2000, 4000]) {
    const { msPerTurn, totalMs } = await replayMsPerTurn(turns, budget);
    const incremental = indexMsPerTurn(turns, budget);
    const literal = turns <= 500 ? literalMsPerTurn(turns, budget).toFixed(3) : '(skipped: quadratic)';
    console.log(`${String(turns).padStart(5)}   ${msPerTurn.toFixed(3).padStart(14)}   ${totalMs.toFixed(0).padStart(8)}   ${incremental.toFixed(4).padStart(33)}   ${literal.padStart(20)}`);
  }
  const { msPerTurn } = await replayMsPerTurn(2000, budget);
  console.log(`\n2,000-turn replay: ${msPerTurn.toFixed(3)} ms per turn (target: under 1 ms)`);
}

await main();
