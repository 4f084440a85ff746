import { pyJsonLoads, PyJsonDecodeError } from '../python/json.js';
import { pyStr } from '../python/repr.js';
import { pyStrip } from '../python/str.js';
import type { PyValue } from '../python/value.js';
import { isPyDict } from '../python/value.js';

/** The arguments a tool receives after normalization, and whether they were a JSON object. */
export interface NormalizedArgs {
  args: PyValue;
  schemaValid: boolean;
}

function dict(key: string, value: PyValue): PyValue {
  return new Map([[key, value]]);
}

/** The key non-dict arguments are wrapped under: `command` for the terminal tool, `input` otherwise. */
function wrapKey(toolName: string): string {
  return toolName === 'terminal' ? 'command' : 'input';
}

/**
 * The reference's `_normalize_tool_args`. Only a JSON object is `schema_valid` (for `terminal`,
 * only one with a non-blank string `command`). Everything else is wrapped as `{"input": ...}`
 * (`{"command": ...}` for `terminal`) and counted invalid. Reference oddities kept on purpose:
 * - a double-encoded object (`"{\"a\": 1}"`) is decoded but still invalid;
 * - `terminal` stringifies non-string values with Python's `str()` (`null` -> `"None"`), while
 *   other tools keep the decoded value as is;
 * - a double-encoded JSON array falls through to wrapping the outer string.
 */
export function normalizeToolArgs(toolName: string, raw: string): NormalizedArgs {
  let decoded: PyValue;
  try {
    decoded = pyJsonLoads(raw);
  } catch (error) {
    if (!(error instanceof PyJsonDecodeError)) throw error;
    return { args: dict(wrapKey(toolName), raw), schemaValid: false };
  }
  if (isPyDict(decoded)) {
    if (toolName !== 'terminal') return { args: decoded, schemaValid: true };
    const command = decoded.get('command');
    if (typeof command === 'string' && pyStrip(command) !== '') return { args: decoded, schemaValid: true };
    const input = decoded.get('input');
    if (typeof input === 'string') return { args: dict('command', input), schemaValid: false };
    return { args: decoded, schemaValid: false };
  }
  if (typeof decoded === 'string') {
    const s = pyStrip(decoded);
    if ((s.startsWith('{') && s.endsWith('}')) || (s.startsWith('[') && s.endsWith(']'))) {
      let inner: PyValue = null;
      try {
        inner = pyJsonLoads(s);
      } catch (error) {
        if (!(error instanceof PyJsonDecodeError)) throw error;
      }
      if (isPyDict(inner)) return { args: inner, schemaValid: false };
    }
    return { args: dict(wrapKey(toolName), decoded), schemaValid: false };
  }
  if (toolName === 'terminal') return { args: dict('command', pyStr(decoded)), schemaValid: false };
  return { args: dict('input', decoded), schemaValid: false };
}
