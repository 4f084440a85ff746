import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { FoldedText } from './folded-text.js';

/** Unicode tag characters spelling `ascii` (the way text is hidden from a reader but not from a model). */
function tags(ascii: string): string {
  return [...ascii].map((c) => String.fromCodePoint(0xe0000 + c.charCodeAt(0))).join('');
}

describe('marked text', () => {
  it('draws each run as a labelled mark that keeps the characters, isolated from the text around it', () => {
    const text = `ok\u202egnp.exe ${tags('exfiltrate')}`;
    const { container } = render(<FoldedText text={text} title="Result" />);
    const override = screen.getByRole('img', { name: 'U+202E RIGHT-TO-LEFT OVERRIDE (reorders the text after it)' });
    expect(override.dataset.label).toBe('RLO');
    expect(screen.getByRole('img', { name: /spell "exfiltrate"/ }).dataset.label).toBe('tags: exfiltrate');
    // Copying the text copies what the file holds.
    expect(container.querySelector('pre')!.textContent).toBe(text);
  });
});
