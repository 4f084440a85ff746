import { parentPort } from 'node:worker_threads';
import { runIndexer, type WorkerCommand, type WorkerReply } from './indexer.js';

/**
 * The worker-thread entry of the indexers (see indexer.ts): runs the requests it is sent one at a
 * time, posts each one's messages tagged with its id, and stops reading on a `cancel`. Started and
 * kept warm by index-worker-pool.ts, from the compiled tree as `./index-worker.js`.
 */

const port = parentPort;
if (port) {
  let current: { id: number; controller: AbortController } | null = null;
  let queue = Promise.resolve();
  port.on('message', (command: WorkerCommand) => {
    if (command.type === 'cancel') {
      if (current?.id === command.id) current.controller.abort();
      return;
    }
    queue = queue.then(async () => {
      const controller = new AbortController();
      current = { id: command.id, controller };
      await runIndexer(command.request, (message) => port.postMessage({ id: command.id, message } satisfies WorkerReply), controller.signal);
      current = null;
    });
  });
  // Everything is loaded once this runs: the pool counts the thread warm from here.
  port.postMessage({ id: 0, message: null } satisfies WorkerReply);
}
