import type { RunEvent } from '#shared/run/events.js';

/** Prints one line per turn (and per failure) to a stream: the CLI's progress on stderr. */
export function progressPrinter(write: (line: string) => void): (event: RunEvent) => void {
  let toolCalls = 0;
  let toolErrors = 0;
  let latency: number | null = null;
  return (event) => {
    switch (event.type) {
      case 'prompt_view': {
        const v = event.view;
        const cut = v.phase === 'none' ? '' : `, prompt ${v.phase} to ${v.estimatedTokens}/${v.budget} est. tokens`;
        write(`turn ${event.turn}: calling the model (${v.messageCount} messages${cut})`);
        toolCalls = 0;
        toolErrors = 0;
        return;
      }
      case 'model_reply':
        latency = event.latencyMs;
        return;
      case 'model_failed':
        write(`turn ${event.turn}: model call failed: ${event.error}`);
        return;
      case 'tool_finished':
        toolCalls++;
        if (event.status !== 'ok') toolErrors++;
        return;
      case 'turn_finished':
        write(`turn ${event.turn}: reply${latency === null ? '' : ` in ${(latency / 1000).toFixed(2)} s`}, ${toolCalls} tool call${toolCalls === 1 ? '' : 's'}${toolErrors ? ` (${toolErrors} failed)` : ''}`);
        return;
      case 'run_finished':
        write(`run ended: ${event.reason.replace(/_/g, ' ')} after ${event.turnsUsed} turn${event.turnsUsed === 1 ? '' : 's'}${event.error ? `: ${event.error}` : ''}`);
        return;
      default:
        return;
    }
  };
}
