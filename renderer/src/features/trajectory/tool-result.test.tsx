import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { ToolResult } from './tool-result.js';

describe('ToolResult', () => {
  it('shows a JSON result decoded, and its raw text on the toggle', async () => {
    const user = userEvent.setup();
    const raw = '{"output": "line 1:\\nline 2", "exit_code": 0}';
    const { container } = render(<ToolResult text={raw} title="Turn 1, terminal: result" label="Result" />);
    const shown = () => container.querySelector('pre')!.textContent;
    expect(shown()).toBe('output:\n  line 1:\n  line 2\nexit_code: 0');
    expect(screen.getByText('decoded JSON')).toBeTruthy();
    const toggle = screen.getByRole('button', { name: 'Raw JSON' });
    expect(toggle.getAttribute('aria-pressed')).toBe('false');
    await user.click(toggle);
    expect(toggle.getAttribute('aria-pressed')).toBe('true');
    expect(shown()).toBe(raw);
  });

  it('shows plain text as it is, with no toggle', () => {
    const { container } = render(<ToolResult text={'total 8\ndrwx a'} title="t" label="Result" />);
    expect(container.querySelector('pre')!.textContent).toBe('total 8\ndrwx a');
    expect(screen.queryByRole('button', { name: 'Raw JSON' })).toBeNull();
  });
});
