import { codePointLength, codePointLengthExceeds } from '../python/str.js';
import { PyTypeError } from '../python/value.js';

/** Python's `len()` of a JSON value, raising Python's TypeError text where Python would raise. */
export function pyLenOf(value: unknown): number {
  if (typeof value === 'string') return codePointLength(value);
  if (Array.isArray(value)) return value.length;
  if (value !== null && typeof value === 'object') return Object.keys(value).length;
  throw new PyTypeError(`object of type '${pyTypeName(value)}' has no len()`);
}

/** Python's `len(value) > limit`, without counting a string's code points where its length decides. */
export function pyLenExceeds(value: unknown, limit: number): boolean {
  return typeof value === 'string' ? codePointLengthExceeds(value, limit) : pyLenOf(value) > limit;
}

/** The Python type name of a JSON value, for error messages that mirror the reference's. */
export function pyTypeName(value: unknown): string {
  if (value === null || value === undefined) return 'NoneType';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  if (typeof value === 'string') return 'str';
  if (Array.isArray(value)) return 'list';
  return 'dict';
}

/** Python truthiness of a JSON value. */
export function jsonTruthy(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === 0 || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}
