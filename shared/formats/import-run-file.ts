import { branchChangeSchema, runEventSchema, type RunEvent } from '../run/events.js';
import { agentResultOf, branchChangeText, describeBranchChange, placedInterventions, RunState, toolCallName } from '../run/run-state.js';
import { markInterventions } from '../run/intervention.js';
import { checkNesting, Misfit } from './import-common.js';
import type { Trajectory } from './trajectory.js';
import { parseJsonExact } from '../model/exact-json.js';

// The engine's own run files (`trajdbg-run/1`): one JSON event per line, each with its run id.
// A run file holds its root run and every branch made from it, their lines interleaved as the
// runs went; each run is read back into its own RunState.

/** One run of a run file: its events, in order, and the state they add up to. */
export interface RunFileRun {
  runId: string;
  events: RunEvent[];
  state: RunState;
}

/** A problem found while reading a run file; the events before it are kept. */
export interface RunFileProblem {
  line: number;
  /** `FILE:LINE: what is wrong`. */
  message: string;
}

/** A run file read back: its runs in the order they started, and what could not be read. */
export interface ParsedRunFile {
  runs: RunFileRun[];
  problems: RunFileProblem[];
}

/** True when a file's parsed first line is a run file's first event (`run_started` of `trajdbg-run/…`). */
export function isRunFileHead(first: unknown): boolean {
  if (typeof first !== 'object' || first === null || Array.isArray(first)) return false;
  const event = first as Record<string, unknown>;
  return event.type === 'run_started' && typeof event.format === 'string' && /^trajdbg-run\/\d+$/.test(event.format);
}

/**
 * Reads a run file's text, grouping events by run. A line cut short (the app was killed or the
 * disk filled mid-write) is reported and skipped, so every event written whole before or after it
 * is kept. Any other bad line stops the read there, with its line number and the first field that
 * is wrong.
 */
export function parseRunFileText(text: string, path: string): ParsedRunFile {
  const runs = new Map<string, RunFileRun>();
  const problems: RunFileProblem[] = [];
  const done = (): ParsedRunFile => {
    if (runs.size === 0 && problems.length === 0) problems.push({ line: 1, message: `${path}: not a run file (no run_started event)` });
    return { runs: [...runs.values()], problems };
  };
  const lines = text.split('\n');
  let lastLine = lines.length - 1;
  while (lastLine >= 0 && lines[lastLine]!.trim() === '') lastLine--;
  for (let i = 0; i <= lastLine; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    const lineNo = i + 1;
    const problem = (why: string): ParsedRunFile => {
      problems.push({ line: lineNo, message: `${path}:${lineNo}: ${why}` });
      return done();
    };
    let json: unknown;
    try {
      // Integers beyond 2^53 read back exact, as they were written.
      json = parseJsonExact(line);
    } catch (error) {
      if (i === lastLine) return problem('the last line is incomplete (the run was interrupted while writing it)');
      // A line cut short by a failed write, then ended so later runs could append: reported, and
      // the lines after it (a retry or branch appended later) are still read.
      problems.push({ line: lineNo, message: `${path}:${lineNo}: not a whole event, skipped (a write was cut short): ${(error as Error).message}` });
      continue;
    }
    try {
      checkNesting(json, '', line);
    } catch (error) {
      if (!(error instanceof Misfit)) throw error;
      return problem(error.message);
    }
    const parsed = runEventSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return problem(`field ${issue.path.join('.') || '(event)'}: ${issue.message}`);
    }
    const event = parsed.data;
    let run = runs.get(event.runId);
    if (event.type === 'run_started') {
      if (run) return problem(`run ${event.runId} starts a second time`);
      run = { runId: event.runId, events: [], state: new RunState() };
      runs.set(event.runId, run);
    } else if (!run) {
      return problem(`an event of run ${event.runId} before that run started`);
    }
    try {
      run.state.apply(event);
    } catch (error) {
      return problem(`run ${event.runId}: ${(error as Error).message}`);
    }
    run.events.push(event);
  }
  return done();
}

/** The trajectory of one run of a run file, with its branch link when it is a branch. */
function runTrajectory(run: RunFileRun, index: number): Trajectory {
  const s = run.state.current;
  const { messages, ...recorded } = agentResultOf(s);
  const trajectory: Trajectory = {
    id: run.runId,
    model: typeof s.source.model === 'string' ? s.source.model : null,
    // Tool calls the user changed at a breakpoint are marked (see INTERVENTION_MARK_KEY).
    messages: markInterventions(messages, placedInterventions(s)),
    reward: null,
    recorded,
    source: { format: 'trajdbg-run', index },
    tools: s.tools,
  };
  const { parentRunId, forkTurn } = s.source;
  if (typeof parentRunId === 'string' && typeof forkTurn === 'number') {
    const change = branchChangeSchema.safeParse(s.source.change);
    // The branch's own record names the tool calls it changed (the fork turn is copied into it).
    const what = change.success ? branchChangeText(describeBranchChange(change.data, (turn, k) => toolCallName(s, turn, k))) : 'continued';
    trajectory.branch = { parentId: parentRunId, forkTurn, change: what };
  }
  return trajectory;
}

/**
 * Imports a run file: one trajectory per run (a root run and its branches), in the order they
 * started, each with every AgentResult field recorded as the run's state has it. Throws a
 * `Misfit` when not one run could be read.
 */
export function importRunFile(text: string, fileName: string): { trajectories: Trajectory[]; problems: string[] } {
  const { runs, problems } = parseRunFileText(text.replace(/^\uFEFF/, ''), fileName);
  if (runs.length === 0) throw new Misfit(`no run could be read${problems[0] ? `: ${problems[0].message}` : ''}`);
  return { trajectories: runs.map(runTrajectory), problems: problems.map((p) => p.message) };
}
