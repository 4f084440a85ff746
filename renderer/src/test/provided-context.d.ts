// What the renderer's tests are handed by their global setup (electron/testing/format-samples-setup.ts).
declare module 'vitest' {
  export interface ProvidedContext {
    /** A sample file of every format the importers read, by file name. */
    formatSamples: Array<{ name: string; bytes: Uint8Array }>;
    /** FUZZ_RUNS and FUZZ_SEED, when set. */
    fuzz: { runs: number | null; seed: number | null };
  }
}

export {};
