import { Worker } from 'node:worker_threads';
import type { IndexerMessage, IndexerRequest, WorkerCommand, WorkerReply } from './indexer.js';

/** A running indexer (worker thread or in-process): its messages, a cancel request, and release. */
export interface IndexerHandle {
  /** Messages in order; the last is `done`, `failed` or `cancelled`. One listener. */
  onMessage(listener: (message: IndexerMessage) => void): void;
  /** Asks the indexer to stop reading; it answers `cancelled`. */
  cancel(): void;
  /** Stops it at once, wherever it is (a thread still busy with it is ended). */
  terminate(): Promise<void>;
}

/** True for the last message an indexer sends. */
export function isFinalMessage(message: IndexerMessage): boolean {
  return message.type === 'done' || message.type === 'failed' || message.type === 'cancelled';
}

/** One request's side of a handle: buffers messages until a listener is set, drops them once it ended. */
class Job {
  private listener: ((message: IndexerMessage) => void) | null = null;
  private readonly early: IndexerMessage[] = [];
  ended = false;

  constructor(readonly id: number) {}

  listen(listener: (message: IndexerMessage) => void): void {
    this.listener = listener;
    for (const message of this.early.splice(0)) listener(message);
  }

  deliver(message: IndexerMessage): void {
    if (this.ended) return;
    if (isFinalMessage(message)) this.ended = true;
    if (this.listener) this.listener(message);
    else this.early.push(message);
  }
}

interface PooledWorker {
  worker: Worker;
  job: Job | null;
  idleTimer: NodeJS.Timeout | null;
  /** Settles once the thread has loaded the importers (or has ended). */
  loaded: Promise<void>;
}

/**
 * Index worker threads, kept warm between requests: a new thread spends a few hundred ms loading
 * the importers before its first row, which every open and every search would otherwise pay.
 * A request takes an idle thread or starts one (requests never wait for each other); up to
 * `keepIdle` threads stay for `idleMs` after their last request. Idle threads do not keep the
 * process alive.
 */
/** Heap limit of an index worker: a 512 MiB document (the largest opened whole) parses within it. */
export const INDEX_WORKER_HEAP_MB = 4096;

export class IndexWorkerPool {
  private readonly idle: PooledWorker[] = [];
  private readonly workers = new Set<PooledWorker>();
  private nextId = 1;

  constructor(
    private readonly options: { workerUrl?: URL; keepIdle?: number; idleMs?: number } = {},
  ) {}

  /** Threads alive now, busy or idle. */
  get threads(): number {
    return this.workers.size;
  }

  /**
   * Starts threads until `count` are alive and resolves once they have loaded the importers, so the
   * next requests start at once (a cold thread spends a few hundred ms loading). They stay idle
   * for `idleMs`, as after a request.
   */
  async warm(count: number): Promise<void> {
    while (this.workers.size < count) {
      const pooled = this.start();
      this.release(pooled);
    }
    await Promise.all([...this.workers].map((pooled) => pooled.loaded));
  }

  /** Runs a request on a pooled thread. */
  spawn(request: IndexerRequest): IndexerHandle {
    const pooled = this.idle.pop() ?? this.start();
    if (pooled.idleTimer) clearTimeout(pooled.idleTimer);
    pooled.idleTimer = null;
    pooled.worker.ref();
    const job = new Job(this.nextId++);
    pooled.job = job;
    pooled.worker.postMessage({ type: 'run', id: job.id, request } satisfies WorkerCommand);
    return {
      onMessage: (listener) => job.listen(listener),
      cancel: () => {
        if (!job.ended && pooled.job === job) pooled.worker.postMessage({ type: 'cancel', id: job.id } satisfies WorkerCommand);
      },
      terminate: async () => {
        if (job.ended) return;
        job.ended = true;
        // The thread is still inside this request (a long line, or it is not answering): end it.
        if (pooled.job === job) await this.stop(pooled);
      },
    };
  }

  /** Ends every thread. */
  async dispose(): Promise<void> {
    const all = [...this.workers];
    await Promise.all(all.map((pooled) => this.stop(pooled)));
  }

  private start(): PooledWorker {
    // A bounded heap: a hostile file ends that index with an out-of-memory error, not the app.
    const worker = new Worker(this.options.workerUrl ?? new URL('./index-worker.js', import.meta.url), { resourceLimits: { maxOldGenerationSizeMb: INDEX_WORKER_HEAP_MB } });
    let loaded = (): void => {};
    const pooled: PooledWorker = { worker, job: null, idleTimer: null, loaded: new Promise<void>((done) => (loaded = done)) };
    this.workers.add(pooled);
    worker.on('message', (reply: WorkerReply) => {
      if (reply.message === null) {
        loaded();
        return;
      }
      const job = pooled.job;
      if (!job || job.id !== reply.id) return;
      job.deliver(reply.message);
      // A cancelled or failed read may have left a large heap behind (a huge file given up on):
      // that thread is ended to give its memory back, and only a thread that finished is kept.
      if (isFinalMessage(reply.message)) {
        if (reply.message.type === 'done') this.release(pooled);
        else this.retire(pooled);
      }
    });
    const lost = (why: string): void => {
      loaded();
      this.forget(pooled);
      pooled.job?.deliver({ type: 'failed', error: `the indexer stopped: ${why}` });
      pooled.job = null;
    };
    worker.on('error', (error: Error) => lost(error.message));
    worker.on('exit', (code) => lost(`its thread exited (code ${code})`));
    return pooled;
  }

  /** Back to the idle list after a request, or ended when enough threads are idle. */
  private release(pooled: PooledWorker): void {
    pooled.job = null;
    if (!this.workers.has(pooled)) return;
    if (this.idle.length >= (this.options.keepIdle ?? 2)) {
      void this.stop(pooled);
      return;
    }
    // A thread still loading keeps the process alive until it is ready (someone waits on warm()).
    void pooled.loaded.then(() => {
      if (pooled.job === null) pooled.worker.unref();
    });
    pooled.idleTimer = setTimeout(() => void this.stop(pooled), this.options.idleMs ?? 30_000);
    pooled.idleTimer.unref();
    this.idle.push(pooled);
  }

  /** Ends a thread after its request instead of keeping it idle. */
  private retire(pooled: PooledWorker): void {
    pooled.job = null;
    if (this.workers.has(pooled)) void this.stop(pooled);
  }

  private forget(pooled: PooledWorker): void {
    if (pooled.idleTimer) clearTimeout(pooled.idleTimer);
    pooled.idleTimer = null;
    this.workers.delete(pooled);
    const at = this.idle.indexOf(pooled);
    if (at >= 0) this.idle.splice(at, 1);
  }

  private async stop(pooled: PooledWorker): Promise<void> {
    this.forget(pooled);
    pooled.job = null;
    await pooled.worker.terminate();
  }
}
