import { parentPort, workerData } from 'node:worker_threads';
import { runIndexer, type IndexerCommand, type IndexerMessage, type IndexerRequest } from './indexer.js';

/**
 * The worker-thread entry of an indexer (see indexer.ts): reads its request from `workerData`,
 * posts messages to the parent, and stops reading on a `cancel` message. Loaded by
 * trajectory-library.ts from the compiled tree as `./index-worker.js`.
 */

const port = parentPort;
if (port) {
  const controller = new AbortController();
  port.on('message', (command: IndexerCommand) => {
    if (command.type === 'cancel') controller.abort();
  });
  await runIndexer(workerData as IndexerRequest, (message: IndexerMessage) => port.postMessage(message), controller.signal);
  // The last message is posted; let the thread end once it is delivered.
  port.unref();
}
