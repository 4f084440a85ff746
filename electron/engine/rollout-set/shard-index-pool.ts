import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { indexUnit, type IndexUnit, type UnitMessage } from './shard-indexer.js';
import type { ShardRecord } from './shard-reader.js';
import type { ShardWorkerCommand, ShardWorkerReply } from './shard-index-worker.js';

/** A unit being indexed: its messages as they come, and a cancel. */
export interface UnitRun {
  /** The next message (the last is `done`). */
  next(): Promise<UnitMessage>;
  cancel(): void;
  /** True once `next` gave `done`. */
  readonly ended: boolean;
}

/** A unit run that knows when its `done` was read. */
function unitRun(next: () => Promise<UnitMessage>, cancel: () => void): UnitRun {
  const run = {
    ended: false,
    cancel,
    next: async () => {
      const message = await next();
      if (message.type === 'done') run.ended = true;
      return message;
    },
  };
  return run;
}

/** Heap limit of a shard index worker: one record at a time, however large a line (256 MiB at most). */
const WORKER_HEAP_MB = 2048;
/**
 * Young generation of a shard index worker: records die young, and V8 sizes it from the heap
 * limit, far above what they need. 8 MiB saved 50 to 80 MiB of the host's memory at 200k
 * rollouts for a few percent of speed (none seen at 5 million).
 */
const WORKER_YOUNG_MB = 8;

/** Messages queued until read, one reader. */
export class Mailbox {
  private readonly queue: UnitMessage[] = [];
  private waiting: ((message: UnitMessage) => void) | null = null;

  deliver(message: UnitMessage): void {
    if (this.waiting) {
      const waiting = this.waiting;
      this.waiting = null;
      waiting(message);
    } else this.queue.push(message);
  }

  next(): Promise<UnitMessage> {
    const message = this.queue.shift();
    if (message) return Promise.resolve(message);
    return new Promise((resolve) => (this.waiting = resolve));
  }
}

interface PooledWorker {
  worker: Worker;
  unit: { id: number; mailbox: Mailbox } | null;
}

/**
 * Runs index units on worker threads, at most one per core and 4 (`threads`), in the order they are
 * given: a unit waits for a free thread. From the TypeScript source (under Vitest) there is no
 * compiled worker, so units run in-process there, one at a time, through the same code.
 */
export class ShardIndexPool {
  readonly threads: number;
  private readonly inProcess: boolean;
  private readonly idle: PooledWorker[] = [];
  private readonly workers = new Set<PooledWorker>();
  private readonly waiting: Array<() => void> = [];
  private running = 0;

  constructor(options: { threads?: number; inProcess?: boolean } = {}) {
    this.inProcess = options.inProcess ?? import.meta.url.endsWith('.ts');
    // At most 4 by default: each thread holds its own copy of the importers (tens of MiB).
    this.threads = Math.max(1, options.threads ?? (this.inProcess ? 1 : Math.min(4, availableParallelism())));
  }

  /** Runs a unit in this thread now, over the records given (Parquet rows, read by DuckDB here). */
  runHere(unit: IndexUnit, records: AsyncIterable<ShardRecord>): UnitRun {
    const mailbox = new Mailbox();
    const controller = new AbortController();
    void indexUnit(unit, (message) => mailbox.deliver(message), controller.signal, records, true);
    return unitRun(() => mailbox.next(), () => controller.abort());
  }

  /** Starts a unit (when a thread is free); its messages are read with `next`. */
  run(unit: IndexUnit): UnitRun {
    const mailbox = new Mailbox();
    const controller = new AbortController();
    let pooled: PooledWorker | null = null;
    let finished = false;
    const started = this.slot().then(async () => {
      if (controller.signal.aborted) {
        mailbox.deliver({ type: 'done', format: null, error: null, badLines: 0, problems: [], lines: 0, linesEnd: null, stopped: true });
        return;
      }
      if (this.inProcess) {
        void indexUnit(unit, (message) => mailbox.deliver(message), controller.signal);
        return;
      }
      pooled = this.idle.pop() ?? this.start();
      pooled.unit = { id: unit.id, mailbox };
      pooled.worker.ref();
      pooled.worker.postMessage({ type: 'run', unit } satisfies ShardWorkerCommand);
    });
    const release = (): void => {
      if (finished) return;
      finished = true;
      if (pooled) {
        pooled.unit = null;
        if (this.workers.has(pooled)) {
          pooled.worker.unref();
          this.idle.push(pooled);
        }
      }
      this.running -= 1;
      this.waiting.shift()?.();
    };
    return unitRun(
      async () => {
        await started;
        const message = await mailbox.next();
        if (message.type === 'done') release();
        return message;
      },
      () => {
        controller.abort();
        if (pooled?.unit?.id === unit.id) pooled.worker.postMessage({ type: 'cancel', id: unit.id } satisfies ShardWorkerCommand);
      },
    );
  }

  /** Resolves when a unit may start. */
  private slot(): Promise<void> {
    if (this.running < this.threads) {
      this.running += 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(() => {
      this.running += 1;
      resolve();
    }));
  }

  private start(): PooledWorker {
    const worker = new Worker(new URL('./shard-index-worker.js', import.meta.url), { resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB, maxYoungGenerationSizeMb: WORKER_YOUNG_MB } });
    const pooled: PooledWorker = { worker, unit: null };
    this.workers.add(pooled);
    worker.on('message', (reply: ShardWorkerReply) => {
      if (pooled.unit?.id === reply.id) pooled.unit.mailbox.deliver(reply.message);
    });
    const lost = (why: string): void => {
      this.workers.delete(pooled);
      const at = this.idle.indexOf(pooled);
      if (at >= 0) this.idle.splice(at, 1);
      pooled.unit?.mailbox.deliver({ type: 'done', format: null, error: `the indexer stopped: ${why}`, badLines: 0, problems: [], lines: 0, linesEnd: null, stopped: false });
    };
    worker.on('error', (error: Error) => lost(error.message));
    worker.on('exit', (code) => lost(`its thread exited (code ${code})`));
    return pooled;
  }

  /** Threads started (busy or idle). */
  get started(): number {
    return this.workers.size;
  }

  /** Starts one thread ahead of the first unit, so that unit does not wait for its start-up. */
  warm(): void {
    if (this.inProcess || this.workers.size > 0) return;
    const pooled = this.start();
    pooled.worker.unref();
    this.idle.push(pooled);
  }

  /** Ends every thread. */
  async dispose(): Promise<void> {
    const all = [...this.workers];
    this.workers.clear();
    this.idle.length = 0;
    await Promise.all(all.map((pooled) => pooled.worker.terminate()));
  }
}
