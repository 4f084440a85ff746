import type { TestProject } from 'vitest/node';
import { BYTES } from './format-samples.js';

/**
 * Global setup of the renderer's tests: hands them the sample files of every format (see
 * format-samples.ts), which they cannot read themselves (the page's code has no file system),
 * and the fuzz tests' FUZZ_RUNS and FUZZ_SEED.
 * The value's type is declared where the tests read it (renderer/src/test/provided-context.d.ts).
 */
export function setup(project: TestProject): void {
  const provide = project.provide as (key: string, value: unknown) => void;
  provide('formatSamples', [...BYTES].map(([name, bytes]) => ({ name, bytes })));
  // The fuzz tests' settings, read here: the page's code (and so its tests) sees no environment.
  provide('fuzz', { runs: process.env.FUZZ_RUNS === undefined ? null : Number(process.env.FUZZ_RUNS), seed: process.env.FUZZ_SEED === undefined ? null : Number(process.env.FUZZ_SEED) });
}
