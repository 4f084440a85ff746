import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';

const repoRoot = fileURLToPath(new URL('.', import.meta.url));

/**
 * The dev server (`npm run dev:renderer`) injects React Refresh as an inline script: allow inline
 * scripts in the page's CSP there only. Builds keep `script-src 'self'`.
 */
const devServerCsp: Plugin = {
  name: 'trajdbg-dev-server-csp',
  apply: 'serve',
  transformIndexHtml: (html) => html.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'"),
};

// `#shared/*` (package.json "imports") names the sources under the "source" condition, which
// TypeScript uses, and the compiled out/shared/ for Node at runtime. Vite (the renderer build, the
// preload and the unit tests) reads the sources through an alias rather than that condition: a
// condition would be passed on to Node processes the tests start, which cannot load .ts files.
const resolve = { alias: [{ find: /^#shared\//, replacement: `${repoRoot}shared/` }] };

// One config for the renderer build and for unit tests (Vitest reads the `test` block).
const rendererConfig = defineConfig({
  root: 'renderer',
  // Relative asset URLs: the desktop app loads the build from app://trajdbg/, serve mode from http.
  base: './',
  resolve,
  plugins: [react(), devServerCsp],
  build: {
    outDir: '../out/renderer',
    emptyOutDir: true,
    // No data: URIs, so the CSP can stay at 'self' for fonts and images.
    assetsInlineLimit: 0,
    // Monaco's lazy chunk is ~3 MB; the first-paint chunk stays small.
    chunkSizeWarningLimit: 4_000,
  },
  worker: { format: 'es' },
  test: {
    // The build root is renderer/; tests are found from the repository root.
    root: repoRoot,
    testTimeout: 20_000,
    // Every test process's temporary folder is one that is removed at the end (see the setup).
    globalSetup: ['electron/testing/scratch-tmp-setup.ts'],
    projects: [
      {
        extends: true,
        test: { name: 'node', include: ['electron/**/*.test.ts', 'shared/**/*.test.ts'], environment: 'node' },
      },
      {
        extends: true,
        test: {
          name: 'renderer',
          include: ['renderer/**/*.test.{ts,tsx}'],
          environment: 'happy-dom',
          setupFiles: ['renderer/src/test/setup.ts'],
          globalSetup: ['electron/testing/format-samples-setup.ts'],
        },
      },
    ],
  },
});

// The desktop preload (`vite build --mode preload`, owned by electron/preload/): one CommonJS file,
// since a sandboxed preload can load neither ESM nor other files; 'electron' is the only import
// left to resolve at runtime.
const preloadConfig = defineConfig({
  root: repoRoot,
  publicDir: false,
  resolve,
  build: {
    outDir: 'out/preload',
    emptyOutDir: true,
    target: 'es2023',
    minify: false,
    lib: { entry: 'electron/preload/preload.ts', formats: ['cjs'], fileName: () => 'preload.cjs' },
    rolldownOptions: { external: ['electron'] },
  },
});

// The `trajdbg` command (`vite build --mode cli`, run by electron/cli/trajdbg.js): the CLI and the
// index worker it starts, bundled to out/cli/ so that Node resolves and compiles a few files
// instead of ~150 (zod alone is ~95). Each command stays its own chunk, loaded when it runs.
// Packages with native code or optional requires (DuckDB, ws, openai, the MCP SDK, electron) are
// left to Node; each worker is an entry of its own, found beside the chunks (./index-worker.js,
// ./shard-index-worker.js) as the modules that start them expect. The chunks are minified but keep
// their names (stack traces stay readable): Node parses a third less text before the first line runs.
const cliConfig = defineConfig({
  root: repoRoot,
  publicDir: false,
  resolve,
  ssr: { target: 'node', noExternal: ['zod', 'fflate', 'fzstd', 'diff'] },
  build: {
    outDir: 'out/cli',
    emptyOutDir: true,
    target: 'node20',
    minify: false,
    ssr: true,
    rolldownOptions: {
      input: {
        trajdbg: 'electron/cli/main.ts',
        'index-worker': 'electron/engine/library/index-worker.ts',
        'shard-index-worker': 'electron/engine/rollout-set/shard-index-worker.ts',
      },
      output: { format: 'es', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js', minify: { mangle: false } },
    },
  },
});

export default defineConfig(({ mode }) => (mode === 'preload' ? preloadConfig : mode === 'cli' ? cliConfig : rendererConfig));
