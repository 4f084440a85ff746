import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldSide, SHOWN_LIMIT, type ShownPiece } from './fold.js';
import { layoutJson } from './json-layout.js';
import { diffJsonText, diffText, LINE_DIFF_LIMIT, sideText, WORD_DIFF_LIMIT, type DiffSegment, type TextDiff } from './text-diff.js';

function segmentsOf(diff: TextDiff): DiffSegment[] {
  if (diff.kind !== 'changed') throw new Error(`expected a change, got ${diff.kind}`);
  return diff.segments;
}

const changedOnly = (segments: DiffSegment[]) => segments.filter((s) => s.kind !== 'same');

describe('diffText', () => {
  it('says two equal texts are equal', () => {
    expect(diffText('same', 'same')).toEqual({ kind: 'equal' });
  });

  it('marks the changed word, keeping the words around it', () => {
    const diff = diffText('the quick brown fox', 'the quick red fox');
    expect(diff).toEqual({
      kind: 'changed',
      by: 'words',
      segments: [
        { kind: 'same', text: 'the quick ' },
        { kind: 'removed', text: 'brown' },
        { kind: 'added', text: 'red' },
        { kind: 'same', text: ' fox' },
      ],
    });
  });

  it('never splits a word at the common head or tail', () => {
    // "cat" and "cart" share "ca" and "t": a character cut would mark "r" only.
    expect(changedOnly(segmentsOf(diffText('a cat sat', 'a cart sat')))).toEqual([
      { kind: 'removed', text: 'cat' },
      { kind: 'added', text: 'cart' },
    ]);
  });

  it('compares by characters when asked', () => {
    expect(segmentsOf(diffText('read_file', 'read_files', { by: 'chars' }))).toEqual([
      { kind: 'same', text: 'read_file' },
      { kind: 'added', text: 's' },
    ]);
  });

  it('handles one side empty', () => {
    expect(segmentsOf(diffText('', 'new text'))).toEqual([{ kind: 'added', text: 'new text' }]);
    expect(segmentsOf(diffText('old', ''))).toEqual([{ kind: 'removed', text: 'old' }]);
  });

  it('keeps surrogate pairs whole', () => {
    const segments = segmentsOf(diffText('x 😀 y', 'x 😁 y', { by: 'chars' }));
    expect(changedOnly(segments)).toEqual([
      { kind: 'removed', text: '😀' },
      { kind: 'added', text: '😁' },
    ]);
  });

  it('rebuilds both texts exactly from the segments', () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'b', ' ', '\n', 'é', '😀', '{', '"', ':'), maxLength: 60 });
    fc.assert(
      fc.property(text, text, fc.constantFrom<'words' | 'chars'>('words', 'chars'), (a, b, by) => {
        const diff = diffText(a, b, { by });
        if (diff.kind === 'equal') return a === b;
        const segments = segmentsOf(diff);
        return sideText(segments, 'before') === a && sideText(segments, 'after') === b;
      }),
    );
  });
});

describe('diffJsonText', () => {
  it('indents both arguments and marks the changed value inside the changed line', () => {
    const { before, after, diff } = diffJsonText('{"path": "src/app.ts", "limit": 10}', '{"path":"src/main.ts","limit":10}');
    expect(before).toBe('{\n  "path": "src/app.ts",\n  "limit": 10\n}');
    expect(after).toBe('{\n  "path": "src/main.ts",\n  "limit": 10\n}');
    expect(diff).toEqual({
      kind: 'changed',
      by: 'lines',
      segments: [
        { kind: 'same', text: '{\n  "path": "src/' },
        { kind: 'removed', text: 'app' },
        { kind: 'added', text: 'main' },
        { kind: 'same', text: '.ts",\n  "limit": 10\n}' },
      ],
    });
  });

  it('says arguments that differ only in spacing are equal', () => {
    expect(diffJsonText('{"a":1,"b":[1,2]}', '{ "a": 1, "b": [1, 2] }').diff).toEqual({ kind: 'equal' });
  });

  it('marks an added key as an added line', () => {
    const { diff } = diffJsonText('{"path": "a"}', '{"path": "a", "recursive": true}');
    expect(changedOnly(segmentsOf(diff))).toEqual([{ kind: 'added', text: ',\n  "recursive": true' }]);
  });

  it('keeps numbers and key order as written', () => {
    expect(layoutJson('{"n": 12345678901234567890, "b": 1, "a": "x\\"y"}')).toBe('{\n  "n": 12345678901234567890,\n  "b": 1,\n  "a": "x\\"y"\n}');
  });

  it('compares text that is not JSON as plain text', () => {
    const { before, diff } = diffJsonText('{"path": "a"', '{"path": "b"');
    expect(before).toBe('{"path": "a"');
    expect(changedOnly(segmentsOf(diff))).toEqual([
      { kind: 'removed', text: 'a' },
      { kind: 'added', text: 'b' },
    ]);
  });
});

describe('huge input', () => {
  const MB = 1024 * 1024;

  function lines(count: number, tag: string): string {
    return Array.from({ length: count }, (_, i) => `${tag} line ${i} ${(i * 7919) % 1000}`).join('\n');
  }

  it('finds one edit in two 3 MB texts at once', () => {
    const base = 'x'.repeat(3 * MB);
    const started = performance.now();
    const diff = diffText(`${base} before ${base}`, `${base} after ${base}`);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(changedOnly(segmentsOf(diff))).toEqual([
      { kind: 'removed', text: 'before' },
      { kind: 'added', text: 'after' },
    ]);
  });

  it('keeps the common part out of the diff even inside one 1 MB word', () => {
    const base = 'x'.repeat(MB);
    const segments = segmentsOf(diffText(`${base}a😀`, `${base}b😀`));
    expect(segments.map((s) => s.kind)).toEqual(['same', 'removed', 'added', 'same']);
    expect(segments[1]!.text.length).toBeLessThan(300);
    expect(sideText(segments, 'after')).toBe(`${base}b😀`);
  });

  it('compares large texts by lines only', () => {
    const a = lines(6_000, 'old');
    const b = a.replace('old line 3000 ', 'new line 3000 ').replace('old line 10 ', 'new line 10 ');
    expect(a.length + b.length).toBeGreaterThan(WORD_DIFF_LIMIT);
    const diff = diffText(a, b);
    expect(diff.kind === 'changed' && diff.by).toBe('lines');
    const segments = segmentsOf(diff);
    expect(sideText(segments, 'before')).toBe(a);
    expect(sideText(segments, 'after')).toBe(b);
    // Small changed lines are still compared word by word.
    expect(changedOnly(segments)).toEqual([
      { kind: 'removed', text: 'old' },
      { kind: 'added', text: 'new' },
      { kind: 'removed', text: 'old' },
      { kind: 'added', text: 'new' },
    ]);
  });

  it('reports two multi-megabyte texts that differ throughout as too large, without freezing', () => {
    const a = lines(120_000, 'left');
    const b = lines(120_000, 'right');
    expect(a.length + b.length).toBeGreaterThan(LINE_DIFF_LIMIT);
    const started = performance.now();
    expect(diffText(a, b)).toEqual({ kind: 'too-large', chars: a.length + b.length });
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('gives up on texts under the limit that need too many edits, in bounded time', () => {
    const a = lines(40_000, 'left');
    const b = lines(40_000, 'right');
    expect(a.length + b.length).toBeLessThan(LINE_DIFF_LIMIT);
    const started = performance.now();
    expect(diffText(a, b).kind).toBe('too-large');
    expect(performance.now() - started).toBeLessThan(1_500);
  });

  it('lays out and compares 3 MB JSON arguments', () => {
    const big = JSON.stringify({ path: 'a.txt', content: 'y'.repeat(3 * MB) });
    const started = performance.now();
    const { diff } = diffJsonText(big, big.replace('"a.txt"', '"b.txt"'));
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(changedOnly(segmentsOf(diff))).toEqual([
      { kind: 'removed', text: 'a' },
      { kind: 'added', text: 'b' },
    ]);
  });
});

describe('foldSide', () => {
  const text = (pieces: ShownPiece[]) => pieces.map((p) => ('text' in p ? p.text : `[${p.kind} ${p.chars}]`)).join('');

  it('shows a short diff whole', () => {
    const segments = segmentsOf(diffText('the quick brown fox', 'the quick red fox'));
    expect(foldSide(segments, 'removed')).toEqual({
      pieces: [
        { kind: 'same', text: 'the quick ' },
        { kind: 'changed', text: 'brown' },
        { kind: 'same', text: ' fox' },
      ],
      folded: false,
    });
    expect(text(foldSide(segments, 'added').pieces)).toBe('the quick red fox');
  });

  it('elides unchanged text away from a change, keeping three lines of context', () => {
    const before = Array.from({ length: 100 }, (_, i) => `line ${i}`).join('\n');
    const after = before.replace('line 50', 'line fifty');
    const { pieces, folded } = foldSide(segmentsOf(diffText(before, after)), 'added');
    expect(folded).toBe(true);
    const head = before.slice(0, before.indexOf('line 47'));
    const tail = before.slice(before.indexOf('\nline 54') + 1);
    expect(text(pieces)).toBe(`[elided ${head.length}]line 47\nline 48\nline 49\nline fifty\nline 51\nline 52\nline 53\n[elided ${tail.length}]`);
  });

  it('keeps context where only the other side changed', () => {
    const before = 'a\n'.repeat(200);
    const after = `${'a\n'.repeat(100)}inserted\n${'a\n'.repeat(100)}`;
    const { pieces } = foldSide(segmentsOf(diffText(before, after)), 'removed');
    expect(pieces.map((p) => p.kind)).toEqual(['elided', 'same', 'same', 'elided']);
  });

  it('shows at most the limit of two 3 MB sides', () => {
    const a = 'p'.repeat(3 * 1024 * 1024);
    const b = 'q'.repeat(3 * 1024 * 1024);
    const diff: DiffSegment[] = [
      { kind: 'removed', text: a },
      { kind: 'added', text: b },
    ];
    const { pieces, folded } = foldSide(diff, 'added');
    expect(folded).toBe(true);
    expect(pieces).toEqual([
      { kind: 'changed', text: b.slice(0, SHOWN_LIMIT) },
      { kind: 'more', chars: b.length - SHOWN_LIMIT },
    ]);
  });

  it('does not cut a surrogate pair at the limit', () => {
    const { pieces } = foldSide([{ kind: 'same', text: '😀'.repeat(10) }], 'added', 5);
    expect(pieces).toEqual([
      { kind: 'same', text: '😀😀' },
      { kind: 'more', chars: 8 },
    ]);
  });
});
