import { parentPort } from 'node:worker_threads';
import { indexUnit, type IndexUnit, type UnitMessage } from './shard-indexer.js';

/** A command to a shard index worker: index a unit, or stop the one under way. */
export type ShardWorkerCommand = { type: 'run'; unit: IndexUnit } | { type: 'cancel'; id: number };
/** A worker's message about unit `id`. */
export interface ShardWorkerReply {
  id: number;
  message: UnitMessage;
}

/**
 * The worker-thread entry of shard indexing (see shard-indexer.ts): indexes the units it is sent
 * one at a time and posts each one's messages tagged with its id. Started by the set's pool from
 * the compiled tree as `./shard-index-worker.js`.
 */
const port = parentPort;
if (port) {
  let current: { id: number; controller: AbortController } | null = null;
  let queue = Promise.resolve();
  port.on('message', (command: ShardWorkerCommand) => {
    if (command.type === 'cancel') {
      if (current?.id === command.id) current.controller.abort();
      return;
    }
    queue = queue.then(async () => {
      const controller = new AbortController();
      current = { id: command.unit.id, controller };
      await indexUnit(command.unit, (message) => port.postMessage({ id: command.unit.id, message } satisfies ShardWorkerReply), controller.signal);
      current = null;
    });
  });
}
