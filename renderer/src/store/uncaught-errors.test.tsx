import { act, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '#shared/rpc/errors.js';
import { renderApp } from '../test/render-app.js';
import { useStore } from './store.js';
import { reportUncaughtErrors } from './uncaught-errors.js';

/** An exception nothing caught, as the browser raises it on the window. */
function uncaught(error: unknown, message = error instanceof Error ? error.message : ''): ErrorEvent {
  return new ErrorEvent('error', { error, message, cancelable: true });
}

/** A rejected promise nobody handled (happy-dom has no PromiseRejectionEvent: the same fields on an Event). */
function unhandled(reason: unknown): Event {
  return Object.assign(new Event('unhandledrejection', { cancelable: true }), { reason, promise: Promise.resolve() });
}

function raise(event: Event): Event {
  act(() => void window.dispatchEvent(event));
  return event;
}

/** The top bar's error as the person reads it: the alert's text without its Dismiss button's ×. */
const shown = () => screen.queryByRole('alert')?.textContent?.replace(/×$/, '') ?? null;

describe('errors thrown outside rendering', () => {
  let stop: () => void;
  beforeEach(async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    await renderApp();
    stop = reportUncaughtErrors(window);
  });
  afterEach(() => {
    stop();
    vi.restoreAllMocks();
  });

  it('shows an exception thrown by a click handler in the top bar, with its stack on the console only', async () => {
    const error = new Error('the demo button broke');
    useStore.setState({
      startDemo: () => {
        throw error;
      },
    });
    await userEvent.setup().click(screen.getByRole('button', { name: 'Demo' }));
    expect(shown()).toBe('Something went wrong: the demo button broke');
    expect(console.error).toHaveBeenCalledWith('Uncaught (shown in the top bar):', error);
  });

  it('shows an exception from a timer, and the person can dismiss it', async () => {
    const event = raise(uncaught(new TypeError("Cannot read properties of undefined (reading 'turns')")));
    expect(shown()).toBe("Something went wrong: Cannot read properties of undefined (reading 'turns')");
    // Logged once, by the page, not a second time by the browser.
    expect(event.defaultPrevented).toBe(true);
    await userEvent.setup().click(screen.getByRole('button', { name: 'Dismiss error' }));
    expect(shown()).toBeNull();
  });

  it('shows a rejection nobody handled, whatever was thrown', () => {
    raise(unhandled(new Error('the run list is not an array')));
    expect(shown()).toBe('Something went wrong: the run list is not an array');
    raise(unhandled('a plain string'));
    expect(shown()).toBe('Something went wrong: a plain string');
    raise(unhandled(new ApiError('internal', 'run.events: the engine failed', 'run.events')));
    expect(shown()).toBe('Something went wrong: run.events: the engine failed');
  });

  it('says what the browser said when there is no error object', () => {
    raise(new ErrorEvent('error', { message: 'Uncaught out of memory', cancelable: true }));
    expect(shown()).toBe('Something went wrong: Uncaught out of memory');
  });

  it.each([
    ['a resize observer loop', uncaught(null, 'ResizeObserver loop completed with undelivered notifications.')],
    ['an error of a script from another origin', uncaught(null, 'Script error.')],
    ['a cancelled call', unhandled(new ApiError('cancelled', 'run.events: cancelled', 'run.events'))],
    ['a lost connection (the status line says so)', unhandled(new ApiError('disconnected', 'the connection to the engine was lost', 'run.list'))],
  ])('leaves %s alone', (_, event) => {
    raise(event);
    expect(shown()).toBeNull();
    expect(event.defaultPrevented).toBe(false);
    expect(console.error).not.toHaveBeenCalled();
  });

  it('leaves alone what another listener already handled', () => {
    const handled = (event: Event) => event.preventDefault();
    window.addEventListener('error', handled, { capture: true });
    try {
      raise(uncaught(new Error('handled elsewhere')));
    } finally {
      window.removeEventListener('error', handled, { capture: true });
    }
    expect(shown()).toBeNull();
  });

  it('reports nothing once its listeners are removed', () => {
    stop();
    raise(uncaught(new Error('after the app closed')));
    raise(unhandled(new Error('after the app closed')));
    expect(shown()).toBeNull();
  });
});
