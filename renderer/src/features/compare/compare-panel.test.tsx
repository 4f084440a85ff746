import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { ChatMessage } from '#shared/model/chat.js';
import { RunState, type RunSnapshot } from '#shared/run/run-state.js';
import { useStore } from '../../store/store.js';
import { RunBuilder, toolCall, toolNamed } from '../../test/run-builder.js';
import { ComparePanel } from './compare-panel.js';

const PROMPT: ChatMessage[] = [
  { role: 'system', content: 'You are a coding agent.' },
  { role: 'user', content: 'Fix the bug.' },
];
const TOOLS = [toolNamed('read_file'), toolNamed('list_dir')];

function snapshotOf(run: RunBuilder): RunSnapshot {
  const state = new RunState();
  for (const event of run.events) state.apply(event);
  return state.current;
}

/** Turns 1 and 2 the same on both; turn 3 reads `path` and gets `result`. */
function sharedStart(runId: string, path: string, result: string): RunBuilder {
  return new RunBuilder(runId, PROMPT, { tools: TOOLS })
    .turn({ reply: { content: 'Listing the project.', tool_calls: [toolCall('c1', 'list_dir', '{"path": "."}')] }, results: ['src\nREADME.md'] })
    .turn({ reply: { content: 'Looking in src.', tool_calls: [toolCall('c2', 'list_dir', '{"path": "src"}')] }, results: ['app.ts\nmain.ts'] })
    .turn({ reply: { content: 'Reading the entry point.', tool_calls: [toolCall('c3', 'read_file', JSON.stringify({ path, limit: 200 }))] }, results: [result] });
}

/** The parent ends at turn 4; the branch (turn 3's path edited) goes on to turn 5. */
function parentAndBranch(): { parent: RunSnapshot; branch: RunSnapshot } {
  const parent = sharedStart('parent', 'src/app.ts', 'export const app = 1;').turn({ reply: { content: 'Done.' } }).finish('finished_naturally');
  const branch = sharedStart('branch', 'src/main.ts', 'import { app } from "./app";')
    .turn({ reply: { content: 'Reading app too.', tool_calls: [toolCall('c4', 'read_file', '{"path": "src/missing.ts"}')] }, results: ['{"exit_code": -1, "error": "no such file"}'] })
    .turn({ reply: { content: 'Done.' } })
    .finish('finished_naturally');
  return { parent: snapshotOf(parent), branch: snapshotOf(branch) };
}

function renderCompare(left: RunSnapshot, right: RunSnapshot, forkTurn = 3, onClose = vi.fn()) {
  render(<ComparePanel left={left} right={right} leftLabel="parent" rightLabel="branch" forkTurn={forkTurn} onClose={onClose} />);
  return { panel: screen.getByRole('region', { name: 'Compare' }), onClose };
}

function turn(number: number): HTMLElement {
  return within(screen.getByRole('feed', { name: 'Turns compared' })).getByRole('article', { name: `Turn ${number}` });
}

/** A row of a table by the start of its header (row names also hold every cell's text). */
function row(scope: HTMLElement, header: string): HTMLElement {
  const found = within(scope)
    .getAllByRole('row')
    .find((r) => r.querySelector('th[scope="row"]')?.textContent?.startsWith(header));
  if (!found) throw new Error(`no row ${header}`);
  return found;
}

function cells(tr: HTMLElement): HTMLElement[] {
  return within(tr).getAllByRole('cell');
}

describe('ComparePanel', () => {
  it('is a region headed by both names', () => {
    const { parent, branch } = parentAndBranch();
    const { panel } = renderCompare(parent, branch);
    expect(within(panel).getByRole('heading', { level: 2 }).textContent).toBe('Compare parent with branch');
  });

  it('folds the unchanged turns before the fork into one row, and opens them', async () => {
    const user = userEvent.setup();
    const { parent, branch } = parentAndBranch();
    renderCompare(parent, branch);
    const feed = screen.getByRole('feed', { name: 'Turns compared' });
    expect(within(feed).getByRole('article', { name: 'Turns 1–2 are the same' })).toBeTruthy();
    expect(within(feed).queryByRole('article', { name: 'Turn 1' })).toBeNull();
    expect(within(feed).queryByRole('article', { name: 'Turn 2' })).toBeNull();
    await user.click(within(feed).getByRole('button', { name: 'Show turns 1–2' }));
    expect(within(turn(1)).getByText('same')).toBeTruthy();
    expect(turn(2).querySelectorAll('.is-changed')).toHaveLength(0);
    expect(within(feed).getByRole('button', { name: 'Hide turns 1–2' }).getAttribute('aria-expanded')).toBe('true');
  });

  it('says so when turns before the fork differ', () => {
    const { parent, branch } = parentAndBranch();
    renderCompare(parent, branch, 4);
    expect(within(screen.getByRole('feed')).getByRole('article', { name: 'Turns 1–3, before the fork: 1 differs' })).toBeTruthy();
  });

  it('marks the changed argument value: the old one removed, the new one added', () => {
    const { parent, branch } = parentAndBranch();
    renderCompare(parent, branch);
    const args = row(turn(3), 'Call 1 arguments');
    expect(args.className).toBe('is-changed');
    expect(within(args).getByRole('rowheader').textContent).toBe('Call 1 arguments, changed');
    const [before, after] = cells(args);
    expect([...before!.querySelectorAll('del.diff-removed')].map((d) => d.textContent)).toEqual(['app']);
    expect(before!.querySelectorAll('ins')).toHaveLength(0);
    expect([...after!.querySelectorAll('ins.diff-added')].map((d) => d.textContent)).toEqual(['main']);
    expect(after!.querySelectorAll('del')).toHaveLength(0);
    // Both sides read as the trajectory shows them: indented, the unchanged "limit" untouched.
    expect(before!.querySelector('pre')!.textContent).toBe('{\n  "path": "src/app.ts",\n  "limit": 200\n}');
    expect(after!.querySelector('pre')!.textContent).toBe('{\n  "path": "src/main.ts",\n  "limit": 200\n}');
  });

  it('marks the changed result, and leaves what did not change unmarked', () => {
    const { parent, branch } = parentAndBranch();
    renderCompare(parent, branch);
    const result = row(turn(3), 'Call 1 result');
    expect(result.className).toBe('is-changed');
    const [before, after] = cells(result);
    expect(before!.querySelector('del')).toBeTruthy();
    expect(after!.querySelector('ins')).toBeTruthy();
    expect(before!.querySelector('pre')!.textContent).toBe('export const app = 1;');
    expect(after!.querySelector('pre')!.textContent).toBe('import { app } from "./app";');
    // Same reply text and same tool name on both sides.
    expect(row(turn(3), 'Reply').className).toBe('');
    expect(row(turn(3), 'Call 1').querySelectorAll('mark')).toHaveLength(0);
    expect(within(turn(3)).getByText('changed')).toBeTruthy();
  });

  it('highlights the metrics that differ', () => {
    const { parent, branch } = parentAndBranch();
    const { panel } = renderCompare(parent, branch);
    const metrics = within(panel).getByRole('table', { name: 'Metrics' });
    const turnsUsed = row(metrics, 'Turns used');
    expect(turnsUsed.className).toBe('is-changed');
    expect(cells(turnsUsed).map((c) => c.textContent)).toEqual(['4', '5 (+1)']);
    expect(turnsUsed.querySelectorAll('mark.diff-value')).toHaveLength(2);
    expect(cells(row(metrics, 'Exec errors')).map((c) => c.textContent)).toEqual(['0', '1 (+1)']);
    expect(cells(row(metrics, 'tool_errors')).map((c) => c.textContent)).toEqual(['0', '1 (+1)']);
    expect(cells(row(metrics, 'Tool calls attempted')).map((c) => c.textContent)).toEqual(['3', '4 (+1)']);
    const finished = row(metrics, 'Finished naturally');
    expect(finished.className).toBe('');
    expect(finished.querySelector('mark')).toBeNull();
    expect(cells(finished).map((c) => c.textContent)).toEqual(['yes', 'yes']);
  });

  it('shows a turn only the branch has against an empty cell', () => {
    const { parent, branch } = parentAndBranch();
    renderCompare(parent, branch);
    const fifth = turn(5);
    expect(within(fifth).getByText('only in branch')).toBeTruthy();
    const reply = row(fifth, 'Reply');
    const [before, after] = cells(reply);
    expect(before!.className).toContain('is-empty');
    expect(before!.textContent).toBe('');
    expect(after!.textContent).toBe('Done.');
    // A turn one side lacks is not "changed" row by row: the article says where it is.
    expect(reply.className).toBe('');
  });

  it('compares the prompt views of each turn', () => {
    const parent = snapshotOf(
      new RunBuilder('p', PROMPT, { tools: TOOLS, maxContextTokens: 1_000 })
        .turn({ reply: { content: '', tool_calls: [toolCall('c1', 'read_file', '{"path": "a"}')] }, results: ['short'] })
        .turn({ reply: { content: 'ok' } }),
    );
    const branch = snapshotOf(
      new RunBuilder('b', PROMPT, { tools: TOOLS, maxContextTokens: 1_000 })
        .turn({ reply: { content: '', tool_calls: [toolCall('c1', 'read_file', '{"path": "b"}')] }, results: ['a much longer result than the other one'] })
        .turn({ reply: { content: 'ok' } }),
    );
    renderCompare(parent, branch, 1);
    const prompt = row(turn(2), 'Prompt');
    expect(prompt.className).toBe('is-changed');
    const [before, after] = cells(prompt);
    expect(before!.textContent).toMatch(/^\d+ \/ 1,000 est\. tokens · sent whole · 0 dropped · 0 shortened$/);
    // Only the estimate differs; the phase and the counts are the same.
    expect([...after!.querySelectorAll('mark')].map((m) => m.textContent)).toEqual([after!.textContent!.split(' · ')[0]]);
    expect(row(turn(1), 'Prompt').className).toBe('');
  });

  it('folds a long changed text around the change and never renders it whole', () => {
    const big = 'line of output\n'.repeat(200_000);
    const parent = snapshotOf(new RunBuilder('p', PROMPT, { tools: TOOLS }).turn({ reply: { content: '', tool_calls: [toolCall('c1', 'read_file', '{"path": "log"}')] }, results: [`${big}exit 0\n${big}`] }));
    const branch = snapshotOf(new RunBuilder('b', PROMPT, { tools: TOOLS }).turn({ reply: { content: '', tool_calls: [toolCall('c1', 'read_file', '{"path": "log"}')] }, results: [`${big}exit 1\n${big}`] }));
    renderCompare(parent, branch, 1);
    const [before, after] = cells(row(turn(1), 'Call 1 result'));
    expect(before!.querySelector('del')!.textContent).toBe('0');
    expect(after!.querySelector('ins')!.textContent).toBe('1');
    expect(after!.querySelector('pre')!.textContent!.length).toBeLessThan(1_000);
    expect(within(after!).getAllByText(/unchanged characters/)).toHaveLength(2);
    expect(within(after!).getByRole('button', { name: /^Show all \(\d[\d,]* KB\)$/ })).toBeTruthy();
  });

  it('opens a folded side whole in the full-text viewer', async () => {
    const user = userEvent.setup();
    const big = 'x'.repeat(10_000);
    const parent = snapshotOf(new RunBuilder('p', PROMPT).turn({ reply: { content: `${big} old` } }));
    const branch = snapshotOf(new RunBuilder('b', PROMPT).turn({ reply: { content: `${big} new` } }));
    renderCompare(parent, branch, 1);
    const [, after] = cells(row(turn(1), 'Reply'));
    await user.click(within(after!).getByRole('button', { name: /^Show all/ }));
    expect(useStore.getState().fullText).toEqual({ title: 'branch, turn 1: Reply', text: `${big} new` });
  });

  it('shows the initial messages when a branch edited the prompt', () => {
    const parent = snapshotOf(new RunBuilder('p', PROMPT).turn({ reply: { content: 'ok' } }));
    const edited = [PROMPT[0]!, { role: 'user', content: 'Fix the other bug.' }];
    const branch = snapshotOf(new RunBuilder('b', edited).turn({ reply: { content: 'ok' } }));
    renderCompare(parent, branch, 0);
    const initial = within(screen.getByRole('feed')).getByRole('article', { name: 'Initial messages' });
    expect(row(initial, 'Message 1').className).toBe('');
    const user = row(initial, 'Message 2');
    expect(user.className).toBe('is-changed');
    expect(cells(user)[1]!.querySelector('ins')!.textContent).toBe('other ');
  });

  it('virtualizes hundreds of turns', () => {
    const build = (runId: string, tag: string): RunSnapshot => {
      const run = new RunBuilder(runId, PROMPT, { tools: TOOLS });
      for (let i = 1; i <= 400; i++) run.turn({ reply: { content: `step ${i}`, tool_calls: [toolCall(`c${i}`, 'read_file', `{"path": "${tag}${i}"}`)] }, results: [`result ${i}`] });
      return snapshotOf(run.finish('max_turns'));
    };
    const started = performance.now();
    renderCompare(build('p', 'a'), build('b', 'b'), 1);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(within(screen.getByRole('feed')).getAllByRole('article').length).toBeLessThan(10);
  });

  it('moves between turns with Page Down and closes on Escape', async () => {
    const user = userEvent.setup();
    const { parent, branch } = parentAndBranch();
    const { onClose } = renderCompare(parent, branch);
    turn(3).focus();
    await user.keyboard('{PageDown}');
    expect(document.activeElement).toBe(turn(4));
    await user.keyboard('{PageUp}');
    expect(document.activeElement).toBe(turn(3));
    await user.keyboard('{Escape}');
    expect(onClose).toHaveBeenCalledOnce();
  });
});
