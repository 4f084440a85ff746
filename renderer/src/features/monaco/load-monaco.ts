import type * as MonacoApi from 'monaco-editor/editor/editor.api';
import type * as MonacoSetup from './monaco-setup.js';

/** The Monaco API, as monaco-setup.ts exports it. */
export type Monaco = typeof MonacoApi;

/** What monaco-setup.ts exports: the API and the JSON schema registry. */
export type MonacoModule = typeof MonacoSetup;

let loading: Promise<MonacoModule> | null = null;

/** Loads Monaco and its setup on first use (its own chunk, so first paint does not wait for it). */
export function loadMonacoModule(): Promise<MonacoModule> {
  loading ??= import('./monaco-setup.js');
  // A failed load (e.g. a missing chunk) may be retried by the next editor.
  loading.catch(() => (loading = null));
  return loading;
}

/** Loads the Monaco API on first use. */
export function loadMonaco(): Promise<Monaco> {
  return loadMonacoModule().then((m) => m.monaco);
}
