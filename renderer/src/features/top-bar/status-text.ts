import type { RunSnapshot } from '#shared/run/run-state.js';
import type { ConnectionState } from '../../api/engine-client.js';

function turns(n: number): string {
  return n === 1 ? '1 turn' : `${n.toLocaleString('en-US')} turns`;
}

/**
 * For a trajectory opened from a file whose recorded end differs from the replay's: the replay
 * ends as the loop would (finished when the last reply calls no tool), while the file may record
 * an end tool (`finish`, `submit`) as finished, or a run it cut as not. Both are said, so the
 * status line does not contradict the file.
 */
function recordedEnd(s: RunSnapshot, replayFinished: boolean): string {
  const imported = s.source.imported as { recorded?: Record<string, unknown> } | undefined;
  const recorded = imported?.recorded?.finished_naturally;
  if (typeof recorded !== 'boolean' || recorded === replayFinished) return '';
  return recorded ? '; the file records it finished' : '; the file records it not finished';
}

function describeEnd(s: RunSnapshot, end: NonNullable<RunSnapshot['end']>): string {
  switch (end.reason) {
    case 'finished_naturally':
      return `Finished naturally after ${turns(end.turnsUsed)}${recordedEnd(s, true)}`;
    case 'max_turns':
      return `Stopped at max turns (${s.config.maxTurns.toLocaleString('en-US')})`;
    case 'model_error':
    case 'empty_response': {
      const failure = s.turns[end.turnsUsed - 1]?.failure;
      return `Failed: ${failure?.error ?? end.error ?? 'the model call failed'} on turn ${end.turnsUsed}`;
    }
    case 'stopped':
      return `Stopped by user after ${turns(end.turnsUsed)}`;
    case 'failed':
      return `Engine failed after ${turns(end.turnsUsed)}: ${end.error ?? 'unknown error'}`;
    case 'recording_ended':
      return `End of the recording after ${turns(end.turnsUsed)}${recordedEnd(s, false)}`;
  }
}

/** The status line of a run whose loading the user cancelled with `shown` turns on show. */
export function describeCancelledLoad(shown: number): string {
  return `Loading cancelled after ${turns(shown)}: open the run again to load the rest`;
}

/** The run's state in words, as the top bar's status line says it. */
export function describeRunState(connection: ConnectionState, runSelected: boolean, s: RunSnapshot | null): string {
  if (connection === 'closed') return 'Disconnected from the engine';
  if (!runSelected) return connection === 'connecting' ? 'Connecting to the engine' : 'No run';
  if (connection === 'connecting') return 'Reconnecting to the engine';
  if (!s) return 'Loading run';
  if (s.end) return describeEnd(s, s.end);
  if (s.pausedAt) {
    const { turn, at, approval } = s.pausedAt;
    if (at === 'approval') return `Waiting for approval of a ${approval?.tool ?? 'tool'} command on turn ${turn}`;
    if (at === 'before_model') return `Paused before model call on turn ${turn}`;
    if (at === 'before_tools') return `Paused before tools on turn ${turn}`;
    return `Paused on tool error in turn ${turn}`;
  }
  if (s.turns.length === 0) return 'Starting run';
  return `Running turn ${s.turns.length}`;
}
