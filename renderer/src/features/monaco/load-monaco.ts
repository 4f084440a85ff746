import type * as MonacoApi from 'monaco-editor/editor/editor.api';

/** The Monaco API, as monaco-setup.ts exports it. */
export type Monaco = typeof MonacoApi;

let loading: Promise<Monaco> | null = null;

/** Loads Monaco on first use (its own chunk, so first paint does not wait for it). */
export function loadMonaco(): Promise<Monaco> {
  loading ??= import('./monaco-setup.js').then((m) => m.monaco);
  // A failed load (e.g. a missing chunk) may be retried by the next editor.
  loading.catch(() => (loading = null));
  return loading;
}
