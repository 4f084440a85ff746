import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// Folders are runtime layers (see README): the import rules below keep each layer in its room.
const noElectronInEngine = {
  paths: [{ name: 'electron', message: 'The engine never imports electron: the CLI, serve mode and the app share it.' }],
  patterns: [{ group: ['**/main/**', '**/preload/**', '**/renderer/**'], message: 'The engine does not reach into the shell or the UI.' }],
};

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['shared/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['node:*', 'electron', '**/electron/**', '**/renderer/**'], message: 'shared/ is plain TypeScript that runs anywhere.' },
        ],
      }],
    },
  },
  { files: ['electron/engine/**/*.ts', 'electron/cli/**/*.ts', 'electron/host/**/*.ts', 'electron/scripted-server/**/*.ts', 'electron/testing/**/*.ts'], rules: { 'no-restricted-imports': ['error', noElectronInEngine] } },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: '@monaco-editor/react', message: 'Its loader fetches Monaco from a CDN: use features/monaco/monaco-view.tsx (the local monaco-editor package).' }],
        patterns: [
          { group: ['node:*', 'electron', '**/electron/**'], message: 'The renderer talks to the engine through its client only.' },
          { group: ['monaco-editor/esm/*'], message: 'monaco-editor 0.56+ exports monaco-editor/editor/..., monaco-editor/language/... instead.' },
        ],
      }],
    },
  },
);
