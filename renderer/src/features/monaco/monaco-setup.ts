// Monaco from the local package only (no CDN: the app runs offline): the bare editor API plus the
// features the read-only viewer and the argument editor need, the JSON language (validation and
// completion against a tool's parameter schema), and workers bundled by Vite.
import * as monaco from 'monaco-editor/editor/editor.api';
import 'monaco-editor/features/codeEditor/register';
import 'monaco-editor/features/codicon/register';
import 'monaco-editor/features/find/register';
import 'monaco-editor/features/folding/register';
import 'monaco-editor/features/bracketMatching/register';
import 'monaco-editor/features/clipboard/register';
import 'monaco-editor/features/contextmenu/register';
import 'monaco-editor/features/wordHighlighter/register';
import 'monaco-editor/features/gotoLine/register';
import 'monaco-editor/features/hover/register';
import 'monaco-editor/features/readOnlyMessage/register';
import 'monaco-editor/features/suggest/register';
import 'monaco-editor/features/gotoError/register';
import { jsonDefaults } from 'monaco-editor/languages/features/json/register';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import JsonWorker from 'monaco-editor/language/json/json.worker?worker';

self.MonacoEnvironment = {
  getWorker: (_workerId: string, label: string) => (label === 'json' ? new JsonWorker() : new EditorWorker()),
};

const dark = window.matchMedia('(prefers-color-scheme: dark)');
const applyTheme = (): void => monaco.editor.setTheme(dark.matches ? 'vs-dark' : 'vs');
applyTheme();
dark.addEventListener('change', applyTheme);

/** JSON schemas by model URI: jsonDefaults holds one list for every editor, so it is rebuilt from this. */
const schemas = new Map<string, unknown>();

function applySchemas(): void {
  jsonDefaults.setDiagnosticsOptions({
    validate: true,
    allowComments: false,
    trailingCommas: 'error',
    enableSchemaRequest: false,
    schemas: [...schemas].map(([uri, schema]) => ({ uri: `${uri}#schema`, fileMatch: [uri], schema: schema as never })),
  });
}

/** Validates (and completes) the JSON model at `modelUri` against `schema`; returns how to stop. */
export function validateJsonModel(modelUri: string, schema: unknown): () => void {
  schemas.set(modelUri, schema);
  applySchemas();
  return () => {
    schemas.delete(modelUri);
    applySchemas();
  };
}

export { monaco };
