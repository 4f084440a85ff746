import { defineConfig } from 'vitest/config';

// One config for the renderer build and for unit tests (Vitest reads the `test` block).
export default defineConfig({
  test: {
    include: ['electron/**/*.test.ts', 'shared/**/*.test.ts', 'renderer/**/*.test.{ts,tsx}'],
    environment: 'node',
    testTimeout: 20_000,
  },
});
