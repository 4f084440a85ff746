import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { Trajectory } from '#shared/formats/trajectory.js';
import { trajectoryRunEvents } from '#shared/formats/trajectory-events.js';
import type { RunEvent } from '#shared/run/events.js';
import { FakeClient } from '../../api/fake-client.js';
import { useStore } from '../../store/store.js';
import { errorsRun } from '../../test/fixtures.js';
import { push, renderApp } from '../../test/render-app.js';
import { RunBuilder, toolCall, toolNamed } from '../../test/run-builder.js';

function trajectory() {
  return screen.getByRole('region', { name: 'Trajectory' });
}

/** A preformatted block with exactly this text (getByText would collapse its whitespace). */
function pre(text: string) {
  return (_: string, element: Element | null) => element?.tagName === 'PRE' && element.textContent === text;
}

function turnCard(turn: number) {
  return within(trajectory()).getByRole('article', { name: `Turn ${turn}` });
}

describe('Trajectory', () => {
  it('shows the reply, its reasoning in its own block, and each tool call', async () => {
    await renderApp([errorsRun().events]);
    act(() => useStore.getState().selectTurn(1));
    const card = turnCard(1);
    expect(within(card).getByText('Reading the file.')).toBeTruthy();
    const reasoning = within(card).getByText('Reasoning').closest('details')!;
    expect(reasoning.className).toBe('reasoning');
    expect(within(reasoning).getByText('Let me look at a.txt first.')).toBeTruthy();
    expect(within(card).getByText('read_file')).toBeTruthy();
    expect(within(card).getByText('schema_valid: decoded to an object')).toBeTruthy();
    expect(within(card).getByText(pre('{\n  "path": "a.txt"\n}'))).toBeTruthy();
    expect(within(card).getByText('hello')).toBeTruthy();
  });

  it('marks failed and unknown tool calls red, with their error beside them', async () => {
    await renderApp([errorsRun().events]);
    act(() => useStore.getState().selectTurn(2));
    const failed = turnCard(2).querySelector('.tool-call')!;
    expect(failed.classList.contains('is-error')).toBe(true);
    expect(within(failed as HTMLElement).getByText('error')).toBeTruthy();
    expect(within(failed as HTMLElement).getByText('command failed')).toBeTruthy();
    act(() => useStore.getState().selectTurn(3));
    const unknown = turnCard(3).querySelector('.tool-call') as HTMLElement;
    expect(unknown.classList.contains('is-error')).toBe(true);
    expect(within(unknown).getByText('unknown tool')).toBeTruthy();
    expect(within(unknown).getByText("Unknown tool 'web_search'")).toBeTruthy();
  });

  it('shows normalized arguments where they differ and labels them coerced', async () => {
    await renderApp([errorsRun().events]);
    const card = turnCard(4);
    expect(within(card).getByText('coerced')).toBeTruthy();
    expect(within(card).getByText('Normalized arguments')).toBeTruthy();
    expect(within(card).getByText(pre('{\n  "path": "b.txt"\n}'))).toBeTruthy();
    expect(within(turnCard(1)).queryByText('Normalized arguments')).toBeNull();
  });

  it('shows the calls the turn row counts as pending, and as not run once the run has ended', async () => {
    const run = new RunBuilder('paused', [{ role: 'user', content: 'go' }], { tools: [toolNamed('read_file')] });
    // The second call's arguments came as an object, not a string: it is pending all the same.
    const calls = [toolCall('c1', 'read_file', '{"path": "a"}'), { ...toolCall('c2', 'read_file', ''), function: { name: 'read_file', arguments: { path: 'b' } as unknown as string } }];
    const { client } = await renderApp([run.startTurn().reply({ content: '', tool_calls: calls }).pause('before_tools').events]);
    const row = within(screen.getByRole('region', { name: 'Turns' })).getByRole('listitem');
    expect(row.textContent).toContain('pending tool calls');
    expect(within(turnCard(1)).getAllByRole('group', { name: 'Pending tool call read_file' })).toHaveLength(2);
    const from = run.events.length;
    await push(client, run.finish('stopped').since(from));
    expect(row.textContent).not.toContain('pending tool calls');
    expect(within(turnCard(1)).queryAllByRole('group', { name: 'Pending tool call read_file' })).toHaveLength(0);
    expect(within(turnCard(1)).getAllByRole('group', { name: 'Tool call read_file, not run' })).toHaveLength(2);
  });

  it('folds a long result and opens it whole in an editor', async () => {
    const user = userEvent.setup();
    const long = 'x'.repeat(3 * 1024 * 1024);
    const run = new RunBuilder('big', [{ role: 'user', content: 'go' }], { tools: [toolNamed('read_file')] })
      .turn({ reply: { content: '', tool_calls: [toolCall('c1', 'read_file', '{"path": "big"}')] }, results: [long] })
      .finish('max_turns');
    await renderApp([run.events]);
    const card = turnCard(1);
    const shown = within(card).getByText((_, el) => el?.tagName === 'PRE' && el.textContent!.startsWith('xxxx'));
    expect(shown.textContent!.length).toBeLessThan(2_100);
    await user.click(within(card).getByRole('button', { name: 'Show all (3,072 KB)' }));
    const dialog = screen.getByRole('dialog', { name: 'Turn 1, read_file: result' });
    expect(within(dialog).getByText('Loading editor…')).toBeTruthy();
    await user.click(within(dialog).getByRole('button', { name: 'Close' }));
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('shows streamed text as it arrives, then the recorded reply', async () => {
    const run = new RunBuilder('live', [{ role: 'user', content: 'go' }]).startTurn();
    const { client } = await renderApp([run.events]);
    const from = run.events.length;
    await push(client, run.delta({ kind: 'reasoning', text: 'Thinking ' }).delta({ kind: 'reasoning', text: 'hard.' }).delta({ kind: 'content', text: 'Hel' }).delta({ kind: 'content', text: 'lo' }).since(from));
    const card = turnCard(1);
    expect(within(card).getByText('streaming')).toBeTruthy();
    expect(within(card).getByText('Hello')).toBeTruthy();
    expect(within(card).getByText('Thinking hard.')).toBeTruthy();
    const next = run.events.length;
    await push(client, run.turn({ reply: { content: 'Hello there' } }).since(next));
    expect(within(trajectory()).queryByText('streaming')).toBeNull();
    expect(within(trajectory()).getByText('Hello there')).toBeTruthy();
  });

  it('virtualizes a 5,000-turn trajectory', async () => {
    const run = new RunBuilder('long', [{ role: 'user', content: 'go' }], { tools: [toolNamed('read_file')], maxContextTokens: 2_000 });
    for (let i = 1; i <= 5_000; i++) run.turn({ reply: { content: `step ${i}`, tool_calls: [toolCall(`c${i}`, 'read_file', `{"path": "f${i}"}`)] }, results: [`result ${i}`] });
    await renderApp([run.finish('max_turns').events]);
    expect(within(trajectory()).getAllByRole('article').length).toBeLessThan(20);
    expect(within(screen.getByRole('region', { name: 'Turns' })).getAllByRole('listitem').length).toBeLessThan(40);
  });

  it('shows a loading run from its top, turn 1 current with its prompt, and its latest turn once it has loaded, not page by page', async () => {
    const run = new RunBuilder('long', [{ role: 'user', content: 'go' }], { tools: [toolNamed('read_file')] });
    for (let i = 1; i <= 300; i++) run.turn({ reply: { content: `step ${i}`, tool_calls: [toolCall(`c${i}`, 'read_file', `{"path": "f${i}"}`)] }, results: [`result ${i}`] });
    const client = new FakeClient();
    // The first page comes at once; the rest waits, as a long run's pages do on a busy host.
    const release = client.holdLaterPages();
    // happy-dom does no layout: a scroller's content is as tall as its virtual body says.
    const scrollHeight = vi.spyOn(HTMLElement.prototype, 'scrollHeight', 'get').mockImplementation(function (this: HTMLElement) {
      return this.hasAttribute('data-virtual-scroller') ? parseFloat((this.firstElementChild as HTMLElement | null)?.style.height ?? '0') : 0;
    });
    const scrolledDown: string[] = [];
    const scrollTop = vi.spyOn(Element.prototype, 'scrollTop', 'set').mockImplementation(function (this: Element, top: number) {
      if (top > 0) scrolledDown.push(this.closest('section')!.getAttribute('aria-label')!);
    });
    try {
      await renderApp([], client);
      // The page meets the run by its last event and fetches the rest: the first page at once.
      const events = run.finish('max_turns').events;
      client.addRun(events.slice(0, -1));
      await push(client, events.slice(-1));
      expect(within(screen.getByRole('region', { name: 'Turns' })).getAllByRole('listitem').length).toBeGreaterThan(0);
      expect(screen.getByRole('status').textContent).toMatch(/Loading/);
      expect(scrolledDown).toEqual([]);
      // The page's latest turn may lack its prompt yet: the first is shown, whole, in every panel.
      const current = () => within(screen.getByRole('region', { name: 'Turns' })).getAllByRole('listitem').filter((item) => item.getAttribute('aria-current') === 'true').map((item) => item.textContent);
      const prompt = screen.getByRole('region', { name: 'Prompt view' });
      expect(current()).toEqual([expect.stringMatching(/^Turn 1\b/)]);
      expect(within(prompt).getByText('Turn 1 prompt')).toBeTruthy();
      expect(within(prompt).queryByText(/has no prompt yet/)).toBeNull();
      await act(async () => {
        release();
        await useStore.getState().catchUp(events[0]!.runId);
      });
      expect(screen.getByRole('status').textContent).not.toMatch(/Loading/);
      expect(new Set(scrolledDown)).toEqual(new Set(['Turns', 'Trajectory']));
      expect(within(prompt).getByText('Turn 300 prompt')).toBeTruthy();
    } finally {
      scrollTop.mockRestore();
      scrollHeight.mockRestore();
    }
  });
});

describe('Trajectory of an opened file with images', () => {
  it('shows a message with image parts: its text, a placeholder for a remote image, a thumbnail of a data: image', async () => {
    const png = `data:image/png;base64,${btoa('x'.repeat(3 * 1024))}`;
    const t: Trajectory = {
      id: 'img', model: 'm', reward: null, recorded: {}, source: { format: 'inspect-log', index: 0 },
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'Compare these.' }, { type: 'image_url', image_url: { url: png } }, { type: 'image_url', image_url: { url: 'https://example.org/b.png' } }] },
        { role: 'assistant', content: 'They differ.' },
      ],
    };
    const events = trajectoryRunEvents(t, { origin: { fileId: 'f', path: '/x/img.json' }, maxContextTokens: null }).map((body, seq) => ({ ...body, runId: 'opened', seq, time: 0 }) as RunEvent);
    await renderApp([events]);
    const card = within(trajectory()).getByRole('article', { name: 'Message 1: user' });
    expect(card.textContent).toContain('Compare these.\n[image: image/png, 3 KB]\n[image: https://example.org/b.png]');
    const images = within(card).getAllByRole('img');
    expect(images.map((img) => [img.getAttribute('alt'), img.getAttribute('src') === png])).toEqual([['image: image/png, 3 KB', true]]);
  });
});
