import { UsageError } from './usage-error.js';

/**
 * Rewrites `--name -5` as `--name=-5` for the given options, so that a negative number after an
 * option is taken as its value (parseArgs would take it for an option of its own and refuse it).
 */
export function joinNegativeNumbers(args: readonly string[], names: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i]!;
    const next = args[i + 1];
    if (names.some((n) => arg === `--${n}`) && next !== undefined && /^-\d+(\.\d*)?([eE][+-]?\d+)?$/.test(next.trim())) {
      out.push(`${arg}=${next}`);
      i += 1;
    } else {
      out.push(arg);
    }
  }
  return out;
}

/** Parses a whole number option (`--max-turns 5`), naming the option when it is not one. */
export function intOption(name: string, value: string | undefined, { min = 1 }: { min?: number } = {}): number | undefined {
  if (value === undefined) return undefined;
  if (!/^-?\d+$/.test(value.trim()) || Number(value) < min || !Number.isSafeInteger(Number(value))) {
    throw new UsageError(`--${name}: expected a whole number${min > 0 ? ` of at least ${min}` : ''}, got '${value}'`);
  }
  return Number(value);
}

/**
 * Parses a whole number the reference takes as is (`--max-turns 0`, `--max-context-tokens -1`).
 * One beyond 2^53 becomes ±(2^53 - 1), which every comparison the loop makes treats alike.
 */
export function loopIntOption(name: string, value: string | undefined, warn: (line: string) => void): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[+-]?\d+$/.test(value.trim())) throw new UsageError(`--${name}: expected a whole number, got '${value}'`);
  const n = BigInt(value.trim());
  const max = BigInt(Number.MAX_SAFE_INTEGER);
  if (n > max || n < -max) {
    const clamped = n > max ? Number.MAX_SAFE_INTEGER : -Number.MAX_SAFE_INTEGER;
    warn(`warning: --${name} ${value.trim()}: beyond 2^53, taken as ${clamped} (the same for every estimate the loop compares)`);
    return clamped;
  }
  return Number(n);
}

/** Parses a number option (`--temperature 0.7`). */
export function numberOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new UsageError(`--${name}: expected a number, got '${value}'`);
  return n;
}

/** Parses a JSON object option (`--extra-body '{"top_k": 20}'`). */
export function jsonObjectOption(name: string, value: string | undefined): Record<string, unknown> | undefined {
  if (value === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (error) {
    throw new UsageError(`--${name}: not valid JSON: ${(error as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new UsageError(`--${name}: expected a JSON object`);
  return parsed as Record<string, unknown>;
}
