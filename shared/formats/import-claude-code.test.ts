import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../model/chat.js';
import { BRANCH_LINES_BUDGET, importClaudeCodeSession } from './import-claude-code.js';
import { deriveAgentResult, type Trajectory } from './trajectory.js';

// Session transcripts written by hand in the shape Claude Code writes them: every line names its
// `uuid` and its `parentUuid`, a rewind or an edited prompt hangs the next line off an earlier one.

const SESSION = 'sess';
let second = 0;

/** A transcript line: Claude Code's envelope, then the event's own fields. */
function line(fields: Record<string, unknown>): string {
  second += 1;
  const timestamp = new Date(Date.UTC(2025, 10, 19, 10, 0, second)).toISOString();
  return JSON.stringify({ parentUuid: null, isSidechain: false, userType: 'external', cwd: '/work/app', sessionId: SESSION, version: '2.0.46', timestamp, ...fields });
}
const user = (uuid: string, parentUuid: string | null, content: unknown, more: Record<string, unknown> = {}): string => line({ type: 'user', uuid, parentUuid, message: { role: 'user', content }, ...more });
const assistant = (uuid: string, parentUuid: string | null, id: string, content: unknown[], more: Record<string, unknown> = {}): string =>
  line({ type: 'assistant', uuid, parentUuid, message: { id, type: 'message', role: 'assistant', model: 'claude-sonnet-4-5-20250929', content, stop_reason: 'end_turn' }, ...more });
const text = (t: string): Record<string, unknown> => ({ type: 'text', text: t });
const call = (id: string, name: string, input: Record<string, unknown> = {}): Record<string, unknown> => ({ type: 'tool_use', id, name, input });
const result = (id: string, content: string): Array<Record<string, unknown>> => [{ type: 'tool_result', tool_use_id: id, content }];
const progress = (uuid: string, parentUuid: string): string => line({ type: 'progress', uuid, parentUuid, data: { type: 'hook_progress', hookEvent: 'PostToolUse' } });
const attachment = (uuid: string, parentUuid: string): string => line({ type: 'attachment', uuid, parentUuid, attachment: { type: 'total_tokens_reminder', text: '<total_tokens>15000000 tokens left</total_tokens>' } });
const stopHook = (uuid: string, parentUuid: string): string => line({ type: 'system', subtype: 'stop_hook_summary', uuid, parentUuid, hookCount: 1, level: 'suggestion' });
/** A compaction boundary: no parent, the line it continues in `logicalParentUuid`, what it kept in `compactMetadata`. */
const boundary = (uuid: string, logicalParentUuid: string, compactMetadata: Record<string, unknown>): string =>
  line({ type: 'system', subtype: 'compact_boundary', uuid, parentUuid: null, logicalParentUuid, content: 'Conversation compacted', level: 'info', compactMetadata });
const summary = (uuid: string, parentUuid: string, content = 'This session is being continued from a previous conversation.'): string => user(uuid, parentUuid, content, { isVisibleInTranscriptOnly: true, isCompactSummary: true });

const importLines = (lines: string[]): ReturnType<typeof importClaudeCodeSession> => importClaudeCodeSession(lines.join('\n'), 'session.jsonl');

/** A message in a few words: its role, then its text, tool calls or the call it answers. */
function said(m: ChatMessage): string {
  if (m.role === 'tool') return `tool ${String(m.tool_call_id)}`;
  const calls = (m.tool_calls ?? []).map((c) => ` ${String(c.id)}`).join('');
  return `${m.role} ${typeof m.content === 'string' ? m.content : JSON.stringify(m.content)}${calls}`;
}
const outline = (t: Trajectory): string[] => t.messages.map(said);

describe('the conversation tree of a session transcript', () => {
  it('takes the chain of the last leaf after a rewind, and keeps the abandoned lines as a branch', () => {
    const { trajectories, problems } = importLines([
      line({ type: 'file-history-snapshot', messageId: 'u1', snapshot: { messageId: 'u1', trackedFileBackups: {} } }),
      user('u1', null, 'Add a --verbose flag'),
      assistant('a1', 'u1', 'm1', [text('Reading the CLI.'), call('t1', 'Read', { file_path: 'cli.py' })]),
      progress('p1', 'a1'),
      user('r1', 'a1', result('t1', 'def main(): ...'), { sourceToolAssistantUUID: 'a1' }),
      assistant('a2', 'r1', 'm2', [text('Added the flag.')]),
      user('u2', 'a2', 'Use click instead'),
      assistant('a3', 'u2', 'm3', [text('Switching to click.'), call('t2', 'Edit')]),
      user('r2', 'a3', result('t2', 'ok')),
      assistant('a4', 'r2', 'm4', [text('Done with click.')]),
      // Esc Esc back to before "Use click instead": the next prompt hangs off a2.
      user('u3', 'a2', 'Add a test for it'),
      assistant('a5', 'u3', 'm5', [text('Added tests/test_cli.py.')]),
      line({ type: 'system', subtype: 'turn_duration', uuid: 'd1', parentUuid: 'a5', content: '' }),
      JSON.stringify({ type: 'summary', summary: 'Verbose flag', leafUuid: 'a5' }),
    ]);
    expect(problems).toEqual([]);
    const start = ['user Add a --verbose flag', 'assistant Reading the CLI. t1', 'tool t1', 'assistant Added the flag.'];
    expect(trajectories.map((t) => [t.id, outline(t)])).toEqual([
      ['sess', [...start, 'user Add a test for it', 'assistant Added tests/test_cli.py.']],
      ['sess/branch 1', [...start, 'user Use click instead', 'assistant Switching to click. t2', 'tool t2', 'assistant Done with click.']],
    ]);
    expect(trajectories[0]!.branch).toBeUndefined();
    expect(trajectories[1]!.branch).toEqual({ parentId: 'sess', forkTurn: 2, change: 'abandoned: the session went back to turn 2' });
    expect(trajectories.map((t) => t.source.index)).toEqual([0, 1]);
  });

  it('makes a branch of each edited prompt, a branch of a branch when that is where it forked', () => {
    const { trajectories } = importLines([
      user('u1', null, 'Write a sort'),
      assistant('a1', 'u1', 'm1', [text('Which algorithm?')]),
      user('u2', 'a1', 'QuickSort'),
      assistant('a2', 'u2', 'm2', [text('quicksort.py')]),
      // The second prompt edited: a sibling of u2.
      user('u2b', 'a1', 'MergeSort, it must be stable'),
      assistant('a2b', 'u2b', 'm2b', [text('mergesort.py')]),
      // The first prompt edited: nothing before it, so no parent.
      user('u1b', null, 'Write a stable sort in Rust'),
      assistant('a1b', 'u1b', 'm1b', [text('sort.rs')]),
    ]);
    expect(trajectories.map((t) => [t.id, outline(t), t.branch])).toEqual([
      ['sess', ['user Write a stable sort in Rust', 'assistant sort.rs'], undefined],
      ['sess/branch 1', ['user Write a sort', 'assistant Which algorithm?', 'user MergeSort, it must be stable', 'assistant mergesort.py'], { parentId: 'sess', forkTurn: 0, change: 'abandoned: the session went back to its start' }],
      ['sess/branch 2', ['user Write a sort', 'assistant Which algorithm?', 'user QuickSort', 'assistant quicksort.py'], { parentId: 'sess/branch 1', forkTurn: 1, change: 'abandoned: the session went back to turn 1' }],
    ]);
  });

  it('starts the chain at a line whose parent is not in the file, and crosses a compaction boundary', () => {
    const { trajectories, problems } = importLines([
      assistant('a1', 'trimmed-away', 'm1', [text('Found it in parse().'), call('t1', 'Edit')]),
      user('r1', 'a1', result('t1', 'ok')),
      assistant('a2', 'r1', 'm2', [text('Fixed.')]),
      line({ type: 'system', subtype: 'compact_boundary', uuid: 'cb', parentUuid: null, logicalParentUuid: 'a2', content: 'Conversation compacted' }),
      user('cs', 'cb', 'This session is being continued from a previous conversation.', { isCompactSummary: true }),
      user('u3', 'cs', 'Now run the tests'),
      assistant('a3', 'u3', 'm3', [text('All 12 pass.')]),
    ]);
    expect(problems).toEqual([]);
    expect(trajectories.map((t) => [t.id, outline(t)])).toEqual([
      ['sess', ['assistant Found it in parse(). t1', 'tool t1', 'assistant Fixed.', 'user This session is being continued from a previous conversation.', 'user Now run the tests', 'assistant All 12 pass.']],
    ]);
  });

  it('keeps the messages a compaction kept where they were written, and the one it wrote after the summary after it', () => {
    const { trajectories, problems } = importLines([
      user('u1', null, 'Plan the release'),
      assistant('a1', 'u1', 'm1', [text('Which version?')]),
      user('b1u', 'a1', '2.0'),
      assistant('b1a', 'b1u', 'm2', [text('Planning 2.0.')]),
      // Esc Esc back to a1, then a compaction that kept b2a..b2a2 and names b2a2, which it writes
      // only after the summary, hanging off it.
      user('b2u', 'a1', '1.9'),
      assistant('b2a', 'b2u', 'm3', [text('Planning 1.9.')]),
      user('b2u2', 'b2a', 'Add the changelog'),
      boundary('cb', 'b2a2', { trigger: 'auto', preTokens: 150000, preservedSegment: { headUuid: 'b2a', anchorUuid: 'cs', tailUuid: 'b2a2' }, preservedMessages: { anchorUuid: 'cs', uuids: ['b2a', 'b2u2', 'b2a2'] } }),
      summary('cs', 'cb', 'Summary: a 1.9 release plan.'),
      assistant('b2a2', 'cs', 'm4', [text('Changelog added.')]),
      user('p1u', 'b2a2', 'Tag it'),
      assistant('p1a', 'p1u', 'm5', [text('Tagged v1.9.')]),
    ]);
    expect(problems).toEqual([]);
    const start = ['user Plan the release', 'assistant Which version?'];
    expect(trajectories.map((t) => [t.id, outline(t), t.branch])).toEqual([
      ['sess', [...start, 'user 1.9', 'assistant Planning 1.9.', 'user Add the changelog', 'user Summary: a 1.9 release plan.', 'assistant Changelog added.', 'user Tag it', 'assistant Tagged v1.9.'], undefined],
      ['sess/branch 1', [...start, 'user 2.0', 'assistant Planning 2.0.'], { parentId: 'sess', forkTurn: 1, change: 'abandoned: the session went back to turn 1' }],
    ]);
  });

  it('crosses a compaction whose logical parent was never written from the last message it kept', () => {
    const { trajectories, problems } = importLines([
      user('u1', null, 'Reply with exactly RESUMED.'),
      attachment('t1', 'u1'),
      assistant('a1', 't1', 'm1', [{ type: 'thinking', thinking: '' }]),
      assistant('a2', 'a1', 'm1', [text('RESUMED')]),
      stopHook('h1', 'a2'),
      boundary('cb', 'never-written', {
        trigger: 'manual',
        preservedSegment: { headUuid: 'a1', anchorUuid: 'cs', tailUuid: 'h1' },
        preservedMessages: { anchorUuid: 'cs', uuids: ['a1', 'a2', 'h1'], allUuids: ['a1', 'a2', 'h1', 'never-written'] },
      }),
      summary('cs', 'cb'),
      user('c1', 'cs', '<command-name>/compact</command-name>'),
      user('c2', 'c1', '<local-command-stdout>Compacted</local-command-stdout>'),
      attachment('t2', 'c2'),
    ]);
    expect(problems).toEqual([]);
    expect(trajectories.map((t) => [t.id, outline(t)])).toEqual([
      ['sess', ['user Reply with exactly RESUMED.', 'assistant RESUMED', 'user This session is being continued from a previous conversation.', 'user <command-name>/compact</command-name>', 'user <local-command-stdout>Compacted</local-command-stdout>']],
    ]);
  });

  it('puts what hangs off the kept tail after the summary, and still makes a branch of a prompt edited after the compaction', () => {
    const { trajectories, problems } = importLines([
      user('u1', null, 'Fix the parser'),
      assistant('a1', 'u1', 'm1', [text('Fixed.')]),
      user('u2', 'a1', 'And the lexer'),
      assistant('a2', 'u2', 'm2', [text('Fixed too.')]),
      boundary('cb', 'a2', { trigger: 'auto', preservedSegment: { headUuid: 'u2', anchorUuid: 'cs', tailUuid: 'a2' } }),
      summary('cs', 'cb'),
      // Nothing was written after the summary yet, so the next prompt hangs off the kept tail.
      user('u3', 'a2', 'Run the tests'),
      assistant('a3', 'u3', 'm3', [text('3 fail.')]),
      user('u3b', 'a2', 'Run the fast tests'),
      assistant('a3b', 'u3b', 'm3b', [text('All pass.')]),
    ]);
    expect(problems).toEqual([]);
    const compacted = ['user Fix the parser', 'assistant Fixed.', 'user And the lexer', 'assistant Fixed too.', 'user This session is being continued from a previous conversation.'];
    expect(trajectories.map((t) => [t.id, outline(t), t.branch])).toEqual([
      ['sess', [...compacted, 'user Run the fast tests', 'assistant All pass.'], undefined],
      ['sess/branch 1', [...compacted, 'user Run the tests', 'assistant 3 fail.'], { parentId: 'sess', forkTurn: 2, change: 'abandoned: the session went back to turn 2' }],
    ]);
  });

  it('keeps the parallel tool calls of one API message, each result hanging off its own call', () => {
    const { trajectories } = importLines([
      user('u1', null, 'What is in src and docs?'),
      assistant('a1', 'u1', 'm1', [text('Listing both.')]),
      assistant('a2', 'a1', 'm1', [call('t1', 'Bash', { command: 'ls src' })]),
      assistant('a3', 'a2', 'm1', [call('t2', 'Bash', { command: 'ls docs' })]),
      progress('p3', 'a3'),
      user('r2', 'a3', result('t2', 'guide.md'), { sourceToolAssistantUUID: 'a3' }),
      user('r1', 'a2', result('t1', 'main.ts'), { sourceToolAssistantUUID: 'a2' }),
      assistant('a4', 'r1', 'm2', [text('src has main.ts, docs has guide.md.')]),
    ]);
    expect(trajectories.map((t) => [t.id, outline(t)])).toEqual([['sess', ['user What is in src and docs?', 'assistant Listing both. t1 t2', 'tool t2', 'tool t1', 'assistant src has main.ts, docs has guide.md.']]]);
  });

  it('reports the message lines whose parent links go round in a cycle, and reads the last such chain', () => {
    const { trajectories, problems } = importLines([user('u1', 'a1', 'one'), assistant('a1', 'u1', 'm1', [text('two')]), user('u2', 'a2', 'three'), assistant('a2', 'u2', 'm2', [text('four')])]);
    expect(trajectories.map(outline)).toEqual([['user three', 'assistant four']]);
    expect(problems).toEqual(['session.jsonl: 2 message lines left out: no chain from a leaf of the conversation reaches them (parent links in a cycle)']);
  });

  it('reads a file whose lines name no parent in file order', () => {
    const { trajectories } = importLines([user('u1', null, 'hi'), assistant('a1', null, 'm1', [text('hello')]), user('u2', null, 'bye')]);
    expect(trajectories.map(outline)).toEqual([['user hi', 'assistant hello', 'user bye']]);
  });

  // Random sessions: each step asks a prompt after the current tip, or first goes back to an
  // earlier answer (or to the start) as a rewind or an edited prompt does.
  const steps = fc.array(fc.option(fc.nat(), { nil: null, freq: 3 }), { minLength: 1, maxLength: 30 });

  it('imports every prompt once per leaf it leads to, the main chain from the last one, each branch sharing its parent up to its fork', () => {
    fc.assert(
      fc.property(steps, (backs) => {
        const lines: string[] = [];
        const parentOf = new Map<string, string | null>();
        let path: string[] = [];
        backs.forEach((back, i) => {
          if (back !== null) path = path.slice(0, (back % (path.length / 2 + 1)) * 2);
          const tip = path.at(-1) ?? null;
          lines.push(user(`u${i}`, tip, `p${i}`), assistant(`a${i}`, `u${i}`, `m${i}`, [text(`r${i}`)]));
          parentOf.set(`u${i}`, tip).set(`a${i}`, `u${i}`);
          path = [...path, `u${i}`, `a${i}`];
        });
        const { trajectories, problems } = importLines(lines);
        expect(problems).toEqual([]);
        expect(outline(trajectories[0]!)).toEqual(path.map((uuid) => (uuid.startsWith('u') ? `user p${uuid.slice(1)}` : `assistant r${uuid.slice(1)}`)));
        const leaves = backs.filter((_, i) => ![...parentOf.values()].includes(`a${i}`));
        expect(trajectories).toHaveLength(leaves.length);
        const asked = new Set(trajectories.flatMap((t) => outline(t).filter((s) => s.startsWith('user'))));
        expect(asked.size).toBe(backs.length);
        const byId = new Map(trajectories.map((t) => [t.id, t]));
        for (const t of trajectories.slice(1)) {
          const { parentId, forkTurn } = t.branch!;
          const shared = outline(byId.get(parentId)!).slice(0, forkTurn * 2);
          expect(outline(t).slice(0, forkTurn * 2)).toEqual(shared);
          expect(outline(t)[forkTurn * 2]).not.toEqual(outline(byId.get(parentId)!)[forkTurn * 2]);
        }
      }),
      { seed: 20260226, numRuns: 200 },
    );
  });

  it('reads a compacted session as one conversation: the history, the summary, then what followed, each message once', () => {
    const compactions = fc.constantFrom('tail written before', 'tail written after the summary', 'logical parent never written', 'nothing kept');
    fc.assert(
      fc.property(steps, steps, fc.nat(), compactions, fc.boolean(), (before, after, keep, compaction, offTail) => {
        const lines: string[] = [];
        const parentOf = new Map<string, string | null>();
        const ask = (i: number, tip: string | null, writtenOff: string | null, answered = true): void => {
          lines.push(user(`u${i}`, writtenOff, `p${i}`));
          parentOf.set(`u${i}`, tip);
          if (!answered) return;
          lines.push(assistant(`a${i}`, `u${i}`, `m${i}`, [text(`r${i}`)]));
          parentOf.set(`a${i}`, `u${i}`);
        };
        const tailAfter = compaction === 'tail written after the summary';
        let path: string[] = [];
        before.forEach((back, i) => {
          if (back !== null) path = path.slice(0, (back % (path.length / 2 + 1)) * 2);
          const tip = path.at(-1) ?? null;
          ask(i, tip, tip, !tailAfter || i < before.length - 1);
          path = [...path, `u${i}`, `a${i}`];
        });
        const tail = path.at(-1)!;
        const kept = path.slice(-(2 + (keep % (path.length - 1))));
        const preservedMessages = { anchorUuid: 'cs', uuids: kept, ...(compaction === 'logical parent never written' ? { allUuids: [...kept, 'gone'] } : {}) };
        const metadata = compaction === 'nothing kept' ? { trigger: 'auto' } : { trigger: 'auto', preservedSegment: { headUuid: kept[0], anchorUuid: 'cs', tailUuid: tail }, preservedMessages };
        lines.push(boundary('cb', compaction === 'logical parent never written' ? 'gone' : tail, metadata), summary('cs', 'cb', 'SUMMARY'));
        parentOf.set('cb', tailAfter ? path.at(-2)! : tail).set('cs', 'cb');
        if (tailAfter) {
          lines.push(assistant(tail, 'cs', `m${before.length - 1}`, [text(`r${before.length - 1}`)]));
          parentOf.set(tail, 'cs');
          path = [...path.slice(0, -1), 'cb', 'cs', tail];
        } else path = [...path, 'cb', 'cs'];
        // After the compaction a rewind goes back no further than the summary.
        let later: string[] = [];
        after.forEach((back, j) => {
          if (back !== null) later = later.slice(0, (back % (later.length / 2 + 1)) * 2);
          const tip = later.at(-1) ?? path.at(-1)!;
          ask(before.length + j, tip, tip === 'cs' && offTail && compaction !== 'nothing kept' ? tail : tip);
          later = [...later, `u${before.length + j}`, `a${before.length + j}`];
        });

        const { trajectories, problems } = importLines(lines);
        expect(problems).toEqual([]);
        const saying = (uuid: string): string[] => (uuid === 'cb' ? [] : uuid === 'cs' ? ['user SUMMARY'] : [uuid.startsWith('u') ? `user p${uuid.slice(1)}` : `assistant r${uuid.slice(1)}`]);
        expect(outline(trajectories[0]!)).toEqual([...path, ...later].flatMap(saying));
        const parents = new Set(parentOf.values());
        expect(trajectories).toHaveLength([...parentOf.keys()].filter((uuid) => uuid !== 'cb' && !parents.has(uuid)).length);
        const byId = new Map(trajectories.map((t) => [t.id, t]));
        const upToTurn = (t: Trajectory, turns: number): string[] => {
          const messages = outline(t);
          let seen = 0;
          return turns === 0 ? [] : messages.slice(0, messages.findIndex((m) => m.startsWith('assistant') && ++seen === turns) + 1);
        };
        for (const t of trajectories.slice(1)) expect(upToTurn(t, t.branch!.forkTurn)).toEqual(upToTurn(byId.get(t.branch!.parentId)!, t.branch!.forkTurn));
      }),
      { seed: 20261207, numRuns: 300 },
    );
  });

  it('reads a long session with rewinds in one pass over its lines', () => {
    const lines: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      // Every 2,000 turns the session goes back one: the turn before is abandoned.
      const parent = i === 0 ? null : `a${i % 2_000 === 0 ? i - 2 : i - 1}`;
      lines.push(user(`u${i}`, parent, `p${i}`), assistant(`a${i}`, `u${i}`, `m${i}`, [text(`r${i}`)]));
    }
    const { trajectories } = importLines(lines);
    expect(trajectories).toHaveLength(10);
    expect(trajectories[0]!.messages).toHaveLength(2 * (20_000 - 9));
    // The k-th abandoned turn follows 1,999 turns per 2,000 of the main chain.
    expect(trajectories.slice(1).map((t) => t.branch!.forkTurn)).toEqual(Array.from({ length: 9 }, (_, k) => 1_999 * (k + 1)));
  });

  it('builds the branches of a session rewound thousands of times near its end only up to a budget, and names the rest', () => {
    // 2 MB of lines: each branch would repeat the 19,998 lines before its own, 40 million in all.
    const lines: string[] = [];
    for (let i = 0; i < 10_000; i++) lines.push(user(`u${i}`, i === 0 ? null : `a${i - 1}`, `p${i}`), assistant(`a${i}`, `u${i}`, `m${i}`, [text(`r${i}`)]));
    for (let k = 0; k < 2_000; k++) lines.push(user(`f${k}`, 'a9998', `again ${k}`));
    const { trajectories, problems } = importLines(lines);
    const built = Math.ceil(BRANCH_LINES_BUDGET / 19_999);
    expect(trajectories).toHaveLength(1 + built);
    // The conversation that went on is whole, and the latest branches are the ones built.
    expect(trajectories[0]!.messages.at(-1)!.content).toBe('again 1999');
    expect(trajectories.slice(1).map((t) => t.messages.at(-1)!.content)).toEqual(Array.from({ length: built }, (_, k) => `again ${1_999 - built + k}`));
    // Left out: the other forks (a line each), then the first continuation (two lines).
    const leftOut = 2_000 - built;
    expect(problems).toEqual([`session.jsonl: the ${leftOut} abandoned branches abandoned first are left out (${leftOut + 1} message lines): each branch repeats the conversation it left, and the later branches already hold 1,000,000 lines`]);
  });
});

describe('subagents of a session transcript', () => {
  const task = (uuid: string, parentUuid: string, id: string): string => assistant(uuid, parentUuid, `m-${uuid}`, [call(id, 'Task', { prompt: 'Research the colors' })]);

  it('joins a subagent whose first lines carry no agentId to the agent its parent links reach', () => {
    const { trajectories } = importLines([
      user('u1', null, 'Research the colors'),
      task('a1', 'u1', 'task1'),
      user('s1', null, 'Research the colors', { isSidechain: true }),
      assistant('s2', 's1', 'ms2', [call('g1', 'Grep')], { isSidechain: true, agentId: 'agent7' }),
      user('s3', 's2', result('g1', '3 files'), { isSidechain: true, agentId: 'agent7' }),
      user('r1', 'a1', result('task1', 'Used in 3 files'), { agentId: 'agent7' }),
      assistant('a2', 'r1', 'm-a2', [text('Done.')]),
    ]);
    expect(trajectories.map((t) => [t.id, outline(t), t.branch])).toEqual([
      ['sess', ['user Research the colors', 'assistant  task1', 'tool task1', 'assistant Done.'], undefined],
      ['sess/agent7', ['user Research the colors', 'assistant  g1', 'tool g1'], { parentId: 'sess', forkTurn: 1, change: 'subagent agent7' }],
    ]);
  });

  it('joins lines without agentId to the agent whose Task call was running, as the line answering it names', () => {
    second = 0;
    const lines = [
      task('a1', 'u0', 'task1'),
      user('r1', 'a1', result('task1', 'Used in 3 files'), { agentId: 'agent9' }),
      // The subagent's lines, written after its result and with no link between them.
      assistant('s1', null, 'ms1', [text('Searching.')], { isSidechain: true, timestamp: '2025-11-19T10:00:01.500Z' }),
      assistant('s2', 's1', 'ms1', [call('g1', 'Grep')], { isSidechain: true, timestamp: '2025-11-19T10:00:01.600Z' }),
      user('s3', 'gone', result('g1', '3 files'), { isSidechain: true, agentId: 'agent9' }),
      assistant('a2', 'r1', 'm-a2', [text('Done.')]),
    ];
    const { trajectories } = importLines(lines);
    expect(trajectories.map((t) => [t.id, outline(t), t.branch?.forkTurn])).toEqual([
      ['sess', ['assistant  task1', 'tool task1', 'assistant Done.'], undefined],
      ['sess/agent9', ['assistant Searching. g1', 'tool g1'], 1],
    ]);
  });

  it('names a subagent none of whose lines carries an agentId after the line answering its Task call', () => {
    second = 0;
    const { trajectories } = importLines([
      task('a1', 'u0', 'task1'),
      user('s1', null, 'Research the colors', { isSidechain: true }),
      assistant('s2', 'lost', 'ms2', [text('Blue.')], { isSidechain: true }),
      user('r1', 'a1', result('task1', 'Blue'), { agentId: 'agent5' }),
    ]);
    expect(trajectories.map((t) => [t.id, outline(t)])).toEqual([
      ['sess', ['assistant  task1', 'tool task1']],
      ['sess/agent5', ['user Research the colors', 'assistant Blue.']],
    ]);
  });

  it('keeps a subagent apart when two Task calls were running', () => {
    second = 0;
    const { trajectories } = importLines([
      assistant('a1', null, 'm1', [call('task1', 'Task'), call('task2', 'Task')]),
      assistant('s1', null, 'ms1', [text('Searching.')], { isSidechain: true }),
      user('r1', 'a1', result('task1', 'one'), { agentId: 'agentA' }),
      user('r2', 'r1', result('task2', 'two'), { agentId: 'agentB' }),
    ]);
    expect(trajectories.map((t) => t.id)).toEqual(['sess', 'sess/sidechain 1']);
  });

  it('hangs a subagent started on an abandoned branch off that branch', () => {
    const { trajectories } = importLines([
      user('u1', null, 'Research the colors'),
      task('a1', 'u1', 'task1'),
      user('s1', null, 'Research the colors', { isSidechain: true, agentId: 'agent3' }),
      user('r1', 'a1', result('task1', 'Blue'), { agentId: 'agent3' }),
      assistant('a2', 'r1', 'm-a2', [text('Blue.')]),
      user('u2', 'a2', 'And the fonts?'),
      assistant('a3', 'u2', 'm-a3', [text('Inter.')]),
      user('u1b', null, 'Research the fonts'),
      assistant('a1b', 'u1b', 'm-a1b', [text('Inter.')]),
    ]);
    expect(trajectories.map((t) => [t.id, t.branch?.parentId, t.branch?.forkTurn])).toEqual([
      ['sess', undefined, undefined],
      ['sess/branch 1', 'sess', 0],
      ['sess/agent3', 'sess/branch 1', 1],
    ]);
  });
});

describe('agent session transcripts: recorded usage', () => {
  it('keeps each API message\'s usage for its turn, the cache counted in the prompt, and the last line\'s for a reply spread over lines', () => {
    const line = (uuid: string, parent: string | null, message: Record<string, unknown>) => JSON.stringify({ type: message.role, uuid, parentUuid: parent, sessionId: 's', message });
    const usage = (output: number) => ({ input_tokens: 3, cache_creation_input_tokens: 100, cache_read_input_tokens: 2000, output_tokens: output });
    const text = [
      line('u1', null, { role: 'user', content: 'List the files.' }),
      // One API message over two lines: its text, then its tool call with the final usage.
      line('a1', 'u1', { role: 'assistant', id: 'msg_1', model: 'claude-x', content: [{ type: 'text', text: 'Listing.' }], usage: usage(1) }),
      line('a2', 'a1', { role: 'assistant', id: 'msg_1', model: 'claude-x', content: [{ type: 'tool_use', id: 'toolu_1', name: 'Bash', input: { command: 'ls' } }], usage: usage(24) }),
      line('u2', 'a2', { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'a.txt' }] }),
      line('a3', 'u2', { role: 'assistant', id: 'msg_2', model: 'claude-x', content: [{ type: 'text', text: 'One file.' }] }),
    ].join('\n');
    const [t] = importClaudeCodeSession(text, 'session.jsonl').trajectories;
    expect(t!.callStats).toEqual([{ usage: { prompt_tokens: 2103, completion_tokens: 24, total_tokens: 2127, prompt_tokens_details: { cached_tokens: 2000 } } }, null]);
  });
});

describe('what current Claude Code writes besides turns of the model', () => {
  const apiError = (uuid: string, parentUuid: string, message: string): string =>
    line({ type: 'assistant', uuid, parentUuid, error: 'rate_limit', isApiErrorMessage: true, message: { id: `e-${uuid}`, type: 'message', role: 'assistant', model: '<synthetic>', stop_reason: 'stop_sequence', usage: { input_tokens: 0, output_tokens: 0 }, content: [text(message)] } });

  it('leaves out an API error written in place of a reply, names it, and ends the session with it when nothing follows', () => {
    const { trajectories, problems } = importLines([
      user('u1', null, 'Fix the test.'),
      assistant('a1', 'u1', 'msg_1', [text('On it.')]),
      user('u2', 'a1', 'And the docs.'),
      apiError('e1', 'u2', "You've hit your limit · resets 1:20am (Europe/Berlin)"),
      line({ type: 'system', subtype: 'turn_duration', uuid: 's1', parentUuid: 'e1', durationMs: 900 }),
    ]);
    expect(trajectories).toHaveLength(1);
    expect(outline(trajectories[0]!)).toEqual(['user Fix the test.', 'assistant On it.', 'user And the docs.']);
    expect(trajectories[0]!.stopReason).toBe("error: You've hit your limit · resets 1:20am (Europe/Berlin)");
    expect(problems).toEqual([`session.jsonl: e1: an API error Claude Code wrote in place of a reply is not a turn of the model, and is left out: "You've hit your limit · resets 1:20am (Europe/Berlin)"`]);
  });

  it('keeps no stop reason for an API error the session went on after', () => {
    const [t] = importLines([
      user('u1', null, 'Fix the test.'),
      apiError('e1', 'u1', 'API Error: 529 Overloaded'),
      user('u2', 'e1', 'Try again.'),
      assistant('a1', 'u2', 'msg_1', [text('Fixed.')]),
    ]).trajectories;
    expect(outline(t!)).toEqual(['user Fix the test.', 'user Try again.', 'assistant Fixed.']);
    expect(t!.stopReason).toBeUndefined();
  });

  it('reads a prompt typed while the model worked (a queued_command attachment) as a user message where it stands', () => {
    const [t] = importLines([
      user('u1', null, 'Run the tests.'),
      assistant('a1', 'u1', 'msg_1', [call('toolu_1', 'Bash', { command: 'npm test' })]),
      line({ type: 'attachment', uuid: 'q1', parentUuid: 'a1', attachment: { type: 'queued_command', prompt: 'only the unit tests, please', commandMode: 'prompt', origin: { kind: 'human' } } }),
      user('r1', 'q1', result('toolu_1', '3 passed')),
      assistant('a2', 'r1', 'msg_2', [text('All 3 passed.')]),
    ]).trajectories;
    expect(outline(t!)).toEqual(['user Run the tests.', 'assistant  toolu_1', 'user only the unit tests, please', 'tool toolu_1', 'assistant All 3 passed.']);
  });

  it('reads a pasted image as an image_url part, and names an image a tool returned instead of writing out its base64', () => {
    const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
    const image = { type: 'image', source: { type: 'base64', media_type: 'image/png', data: png } };
    const [t] = importLines([
      user('u1', null, [text('What is wrong here? ✓'), image]),
      assistant('a1', 'u1', 'msg_1', [call('toolu_1', 'Read', { file_path: '/w/shot.png' })]),
      user('r1', 'a1', [{ type: 'tool_result', tool_use_id: 'toolu_1', content: [image] }]),
    ]).trajectories;
    expect(t!.messages[0]!.content).toEqual([text('What is wrong here? ✓'), { type: 'image_url', image_url: { url: `data:image/png;base64,${png}` } }]);
    expect(t!.messages[2]).toEqual({ role: 'tool', tool_call_id: 'toolu_1', content: '[image: image/png, 70 B]' });
  });

  it('records a web search that returned its error, not results, as a tool that raised', () => {
    const search = (id: string, content: unknown): unknown[] => [{ type: 'server_tool_use', id, name: 'web_search', input: { query: 'Oslo weather' } }, { type: 'web_search_tool_result', tool_use_id: id, content }];
    const [t] = importLines([
      user('u1', null, 'Weather in Oslo?'),
      assistant('a1', 'u1', 'msg_1', [...search('srvtoolu_1', [{ type: 'web_search_result', url: 'https://yr.no', title: 'Oslo', encrypted_content: 'x', page_age: null }]), ...search('srvtoolu_2', { type: 'web_search_tool_result_error', error_code: 'max_uses_exceeded' }), text('It is sunny.')]),
    ]).trajectories;
    expect(t!.messages.slice(2).map((m) => [m.tool_call_id, m.content])).toEqual([
      ['srvtoolu_1', '[{"type":"web_search_result","url":"https://yr.no","title":"Oslo","encrypted_content":"x","page_age":null}]'],
      ['srvtoolu_2', '{"error": "Tool execution failed: max_uses_exceeded"}'],
    ]);
    expect(deriveAgentResult(t!, ['web_search']).result).toMatchObject({ tool_calls_executed_ok: 1, tool_calls_exec_error: 1 });
  });
});
