import type { PyDict, PyValue } from '#shared/python/value.js';

/** A bad tool argument; its message becomes the tool's `{"error": ...}` result. */
export class ToolInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ToolInputError';
  }
}

/** The arguments as a dict, or a ToolInputError when the model sent something else. */
export function argsDict(args: PyValue): PyDict {
  if (args instanceof Map) return args;
  throw new ToolInputError('arguments must be a JSON object');
}

/** A required string argument. */
export function requireString(args: PyDict, name: string): string {
  const value = args.get(name);
  if (value === undefined || value === null) throw new ToolInputError(`missing required argument '${name}'`);
  if (typeof value !== 'string') throw new ToolInputError(`argument '${name}' must be a string`);
  return value;
}

/** An optional non-negative integer argument (an int, an integral float or a digit string). */
export function optionalCount(args: PyDict, name: string): number | undefined {
  const value = args.get(name);
  if (value === undefined || value === null) return undefined;
  const count = toCount(value);
  if (count === undefined) throw new ToolInputError(`argument '${name}' must be a non-negative integer`);
  return count;
}

function toCount(value: PyValue): number | undefined {
  if (typeof value === 'bigint') return value >= 0n ? Number(value) : undefined;
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 ? value : undefined;
  if (typeof value === 'string' && /^\s*\d+\s*$/.test(value)) return Number(value.trim());
  return undefined;
}
