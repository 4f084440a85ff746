/**
 * Python values as the reference loop sees them after `json.loads`: `bigint` is a Python int,
 * `number` a Python float (NaN and the infinities included), `Map` a dict in insertion order.
 */
export type PyValue = null | boolean | bigint | number | string | PyValue[] | PyDict;

/** A Python dict: string keys in insertion order, as `json.loads` builds it. */
export type PyDict = Map<string, PyValue>;

/** Python truthiness (`bool(v)`): None, False, 0, 0.0, -0.0, '', [] and {} are falsy; NaN is truthy. */
export function pyTruthy(v: PyValue): boolean {
  if (v === null) return false;
  switch (typeof v) {
    case 'boolean':
      return v;
    case 'bigint':
      return v !== 0n;
    case 'number':
      return v !== 0; // NaN !== 0, so NaN is truthy as in Python
    case 'string':
      return v.length > 0;
    default:
      return Array.isArray(v) ? v.length > 0 : v.size > 0;
  }
}

/** True when `v` is a Python dict (a `Map`), as `isinstance(v, dict)` would say for a loaded JSON value. */
export function isPyDict(v: unknown): v is PyDict {
  return v instanceof Map;
}

/** Python's `ValueError`; `PyJsonDecodeError` extends it like `json.JSONDecodeError` does. */
export class PyValueError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ValueError';
  }
}

/**
 * Python's `TypeError`, where the reference's rules raise one (`len()` of a number): a TypeError,
 * told apart from a fault of this code by its class.
 */
export class PyTypeError extends TypeError {
  constructor(message: string) {
    super(message);
    this.name = 'TypeError';
  }
}

/** Python 3.11's default `sys.get_int_max_str_digits()`: int <-> decimal str conversions above it raise. */
export const PY_INT_MAX_STR_DIGITS = 4300;

const TOO_MANY_DIGITS = new RegExp(`\\d{${PY_INT_MAX_STR_DIGITS + 1}}`);

/** Whether a JSON text holds a run of more digits than Python turns into an int (json.loads of it raises ValueError). */
export function hasTooManyDigits(text: string): boolean {
  return text.length > PY_INT_MAX_STR_DIGITS && TOO_MANY_DIGITS.test(text);
}

const INT_DIGITS_LIMIT = 10n ** BigInt(PY_INT_MAX_STR_DIGITS);

/** Python `repr(int)` (also `str()` and `json.dumps`): decimal digits; over 4300 digits raises ValueError as 3.11 does. */
export function pyIntRepr(v: bigint): string {
  if (v >= INT_DIGITS_LIMIT || -v >= INT_DIGITS_LIMIT) {
    throw new PyValueError(
      `Exceeds the limit (${PY_INT_MAX_STR_DIGITS} digits) for integer string conversion; ` +
        'use sys.set_int_max_str_digits() to increase the limit',
    );
  }
  return v.toString();
}
