import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type * as LibraryModule from './trajectory-library.js';
import type { OpenedFileStatus } from './trajectory-library.js';

// The app runs the compiled worker; this runs that same file, from out/, through the compiled library.
const compiled = new URL('../../../out/electron/engine/library/', import.meta.url);
const built = existsSync(fileURLToPath(new URL('index-worker.js', compiled))) && existsSync(fileURLToPath(new URL('trajectory-library.js', compiled)));
const hermes = fileURLToPath(new URL('../../../../shared/corpus/hermes-agent_session_export.jsonl', import.meta.url));

describe('the compiled index worker', () => {
  const title = 'indexes, rereads and searches the hermes export in a worker thread from out/';
  it.skipIf(!built)(built ? title : `${title} (skipped: out/ is not built; npm test builds it first)`, async () => {
    const { TrajectoryLibrary } = (await import(new URL('trajectory-library.js', compiled).href)) as typeof LibraryModule;
    const library = new TrajectoryLibrary();
    try {
      const { fileId } = library.open(hermes);
      const status = await new Promise<OpenedFileStatus>((done) => {
        library.onChange((s) => {
          if (s.state !== 'indexing') done(s);
        });
      });
      expect(status).toMatchObject({ state: 'done', format: 'hermes-session-jsonl', trajectories: 19, problemCount: 0, error: null });
      expect((await library.trajectory(fileId, 1)).messages[1]!.tool_calls![0]!.function.name).toBe('clarify');
      expect(await library.search(fileId, 'IT WORKS!')).toContain(1);
    } finally {
      await library.dispose();
    }
  });
});
