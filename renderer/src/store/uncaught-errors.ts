import { ApiError } from '#shared/rpc/errors.js';
import { useStore } from './store.js';

/** What Chromium and Firefox raise as a window error when resize observers loop: a notice, not a fault. */
const RESIZE_OBSERVER_LOOP = /^ResizeObserver loop/;
/** The whole message of an error thrown by a script of another origin: the browser hides the rest. */
const CROSS_ORIGIN = 'Script error.';

/** A call the user cancelled, or a lost connection, which the status line already says. */
function alreadyShown(error: unknown): boolean {
  return error instanceof ApiError && (error.code === 'cancelled' || error.code === 'disconnected');
}

/** What a thrown value says: an error's message (or its name), else the value as text; `fallback` for none. */
function whatItSays(error: unknown, fallback: string): string {
  if (error instanceof Error) return error.message || error.name;
  return error == null ? fallback : String(error);
}

/** The line the top bar shows for `error`, or null when it is not worth showing. */
function messageFor(error: unknown, fallback = ''): string | null {
  if (alreadyShown(error)) return null;
  return `Something went wrong: ${whatItSays(error, fallback) || 'an unknown error'}`;
}

/** The line for a window `error` event, or null for the notices browsers raise as errors. */
function errorEventMessage(event: ErrorEvent): string | null {
  if (RESIZE_OBSERVER_LOOP.test(event.message)) return null;
  if (event.error == null && event.message === CROSS_ORIGIN) return null;
  return messageFor(event.error, event.message);
}

/**
 * Shows on the page what was thrown outside React's rendering, where no panel boundary catches
 * it: an event handler, a promise nobody awaits, a timer or frame callback. Without this such an
 * action silently did nothing, its error only on the devtools console. The message goes to the
 * top bar's error (the store's reportError), the stack to the console; an event a listener
 * already handled (preventDefault) is left alone. Returns the function that removes the listeners.
 */
export function reportUncaughtErrors(target: Window): () => void {
  function report(event: Event, message: string | null, error: unknown): void {
    if (event.defaultPrevented || message === null) return;
    // Logged once, here, rather than by the browser as well.
    event.preventDefault();
    console.error('Uncaught (shown in the top bar):', error);
    useStore.getState().reportError(message);
  }
  const onError = (event: ErrorEvent): void => report(event, errorEventMessage(event), event.error ?? event.message);
  const onRejection = (event: PromiseRejectionEvent): void => report(event, messageFor(event.reason), event.reason);
  target.addEventListener('error', onError);
  target.addEventListener('unhandledrejection', onRejection);
  return () => {
    target.removeEventListener('error', onError);
    target.removeEventListener('unhandledrejection', onRejection);
  };
}
