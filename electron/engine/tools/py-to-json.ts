import type { PyValue } from '#shared/python/value.js';

/**
 * A Python value as plain JSON data: dict -> object, int -> number if safe else its digits as a
 * string (never silently rounded), float -> number (NaN/±Infinity -> null, which JSON lacks).
 */
export function pyToJson(value: PyValue): unknown {
  if (value instanceof Map) return dictToObject(value);
  if (Array.isArray(value)) return value.map(pyToJson);
  if (typeof value === 'bigint') return bigintToJson(value);
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  return value;
}

function bigintToJson(value: bigint): number | string {
  const number = Number(value);
  return Number.isSafeInteger(number) ? number : value.toString();
}

/** A plain object; keys like `__proto__` become own properties, not the prototype. */
function dictToObject(dict: Map<string, PyValue>): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  for (const [key, item] of dict) {
    Object.defineProperty(object, key, { value: pyToJson(item), enumerable: true, writable: true, configurable: true });
  }
  return object;
}

/**
 * A parsed JSON value (JSON.parse output) as a Python value: integral numbers become ints, others
 * floats; objects become dicts in key order.
 */
export function jsonToPy(value: unknown): PyValue {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.map(jsonToPy);
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : value;
  if (typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'bigint') return value;
  if (typeof value === 'object') return new Map(Object.entries(value).map(([key, item]) => [key, jsonToPy(item)]));
  return String(value);
}
