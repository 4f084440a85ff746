import fc from 'fast-check';
import { FormatError, importBytes } from '../formats/import.js';
import type { Trajectory } from '../formats/trajectory.js';

// Edits of JSON documents for the fuzz tests: every path into one, a copy with a value put at a
// path, a sample file as one document, sample files with any value put anywhere. No Node APIs:
// the renderer's tests use them too.

/** A JSON value, for the tests that put values of any type into the samples. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every path into a JSON value (the root too), found without recursion. */
export function pathsOf(root: Json): Array<Array<string | number>> {
  const paths: Array<Array<string | number>> = [];
  const stack: Array<{ value: Json; path: Array<string | number> }> = [{ value: root, path: [] }];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    paths.push(path);
    if (Array.isArray(value)) value.forEach((item, i) => stack.push({ value: item, path: [...path, i] }));
    else if (value !== null && typeof value === 'object') for (const [key, item] of Object.entries(value)) stack.push({ value: item, path: [...path, key] });
  }
  return paths;
}

/** A copy of `root` with `value` at `path`. */
export function replaced(root: Json, path: ReadonlyArray<string | number>, value: Json): Json {
  if (path.length === 0) return value;
  const copy = structuredClone(root);
  let at = copy as Record<string | number, Json>;
  for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, Json>;
  at[path.at(-1)!] = value;
  return copy;
}

/** A sample as one JSON document to edit: a JSON file whole, a JSONL file's first line; null for a zip. */
function sampleDocument(name: string, bytes: Uint8Array): { doc: Json; jsonl: boolean } | null {
  if (name.endsWith('.eval')) return null;
  const text = new TextDecoder().decode(bytes);
  const jsonl = name.endsWith('.jsonl');
  return { doc: JSON.parse(jsonl ? text.split('\n').find((line) => line.trim() !== '')! : text) as Json, jsonl };
}

/** A sample file with a value put somewhere in it: its name, its text, and what was put where. */
export interface EditedSample {
  name: string;
  text: string;
  what: string;
}

/** Any JSON value put at any path of one of the JSON `samples` (of a JSONL file, its first line). */
export function editedSamples(samples: Iterable<readonly [string, Uint8Array]>): fc.Arbitrary<EditedSample> {
  const documents = [...samples].flatMap(([name, bytes]) => {
    const read = sampleDocument(name, bytes);
    return read ? [{ name, ...read, paths: pathsOf(read.doc) }] : [];
  });
  return fc.nat({ max: documents.length - 1 }).chain((d) => {
    const { name, doc, jsonl, paths } = documents[d]!;
    return fc.record({ at: fc.nat({ max: paths.length - 1 }), value: fc.jsonValue({ maxDepth: 3 }) }).map(({ at, value }) => ({
      name,
      text: `${JSON.stringify(replaced(doc, paths[at]!, value as Json))}${jsonl ? '\n' : ''}`,
      what: `${name} with ${JSON.stringify(value).slice(0, 80)} at ${JSON.stringify(paths[at])}`,
    }));
  });
}

/** The trajectories an edited sample imports as, or null when the importer refuses it (a FormatError); anything else is thrown. */
export function importedOrRefused({ name, text }: EditedSample): Trajectory[] | null {
  try {
    return importBytes(new TextEncoder().encode(text), name).trajectories;
  } catch (error) {
    if (error instanceof FormatError) return null;
    throw error;
  }
}
