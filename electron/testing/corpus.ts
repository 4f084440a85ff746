import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder of sample trajectory files tests read (`shared/corpus` beside the repository), for
 * the tests of shared/ and electron/ alike.
 */
export const CORPUS_DIR = fileURLToPath(new URL('../../../shared/corpus/', import.meta.url));

/** The absolute path of a corpus file. */
export function corpusPath(name: string): string {
  return join(CORPUS_DIR, name);
}
