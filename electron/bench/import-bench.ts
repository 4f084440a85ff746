import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { strFromU8, unzipSync } from 'fflate';
import { TrajectoryLibrary } from '../engine/library/trajectory-library.js';
import { ensureCollectionFile, type CollectionKind } from './generate-collection.js';

/**
 * Import benchmark: opens generated collections (about 10 KB a trajectory) as messages JSONL,
 * hermes ShareGPT JSONL and an Inspect `.eval` log through TrajectoryLibrary with the real index
 * workers, and prints the time to the first row, the time to the full index, peak memory against
 * the file size, and the speed against plain JSON.parse of the same JSON (each JSONL line; each
 * sample entry of the `.eval`, already unzipped) in the same process. The index threads are warmed
 * first, as the app does when it starts (their loading time is printed apart), and the file is
 * then indexed once more by the same threads. Each size runs in a fresh process so its memory
 * figures are its own.
 *
 * `node import-bench.js [--kind messages|sharegpt|eval]... [COUNT]...`
 */

const MiB = 2 ** 20;
/** The speed the index is held to, against JSON.parse of the same JSON. */
const GOAL = 0.5;
const KINDS: readonly CollectionKind[] = ['messages', 'sharegpt', 'eval'];
const KIND_NAMES: Record<CollectionKind, string> = { messages: 'messages JSONL', sharegpt: 'ShareGPT JSONL', eval: 'Inspect .eval' };

interface Figures {
  trajectories: number;
  bytes: number;
  /** Loading the index threads (the app does it at start, before any file is opened). */
  warmMs: number;
  firstRowMs: number;
  indexMs: number;
  /** CPU time of the whole process (all threads) while indexing: less swayed by other load than wall time. */
  indexCpuMs: number;
  /** The same file indexed again, by the same threads, once the first index was closed. */
  againMs: number;
  againCpuMs: number;
  peakRss: number;
  baselineRss: number;
  peakHeap: number;
  parseMs: number;
  /** Bytes of JSON parsed for the comparison (the unzipped samples of an `.eval`). */
  jsonBytes: number;
}

/** The JSON texts of a file, as JSON.parse is given them: its lines, or the `.eval`'s sample entries. */
function jsonTexts(path: string, kind: CollectionKind): string[] {
  if (kind !== 'eval') return readFileSync(path, 'utf8').split('\n').filter((line) => line !== '');
  const entries = unzipSync(readFileSync(path), { filter: (file) => file.name.startsWith('samples/') });
  return Object.values(entries).map((bytes) => strFromU8(bytes));
}

/** One size, in this process: index through the library, then JSON.parse the same JSON. */
async function measure(path: string, bytes: number, kind: CollectionKind): Promise<Figures> {
  const library = new TrajectoryLibrary();
  const warmStarted = performance.now();
  await library.warm();
  const warmMs = performance.now() - warmStarted;
  const baselineRss = process.memoryUsage().rss;
  let peakRss = baselineRss;
  let peakHeap = 0;
  const sample = (): void => {
    const usage = process.memoryUsage();
    peakRss = Math.max(peakRss, usage.rss);
    peakHeap = Math.max(peakHeap, usage.heapUsed);
  };
  const sampler = setInterval(sample, 5);
  const index = async () => {
    const started = performance.now();
    const cpuStarted = process.cpuUsage();
    let firstRowMs = -1;
    const status = await new Promise<ReturnType<TrajectoryLibrary['status']>>((done) => {
      const stop = library.onChange((s) => {
        if (firstRowMs < 0 && s.trajectories > 0) firstRowMs = performance.now() - started;
        if (s.state === 'indexing') return;
        stop();
        done(s);
      });
      library.open(path);
    });
    const indexMs = performance.now() - started;
    const cpu = process.cpuUsage(cpuStarted);
    if (status.state !== 'done') throw new Error(`indexing ended ${status.state}: ${status.error}`);
    library.close(status.fileId);
    return { status, firstRowMs, indexMs, indexCpuMs: (cpu.user + cpu.system) / 1000 };
  };
  // The first file a fresh app opens runs in threads whose code V8 has not compiled yet; the
  // threads are kept, so every later file runs the compiled code. Both are measured.
  const first = await index();
  sample();
  clearInterval(sampler);
  const again = await index();
  const { status, firstRowMs, indexMs, indexCpuMs } = first;
  await library.dispose();

  const texts = jsonTexts(path, kind);
  const parseStarted = performance.now();
  let parsed = 0;
  for (const text of texts) parsed += JSON.parse(text) === null ? 0 : 1;
  const parseMs = performance.now() - parseStarted;
  if (parsed !== status.trajectories) throw new Error(`indexed ${status.trajectories} trajectories but parsed ${parsed} JSON texts`);
  const jsonBytes = texts.reduce((sum, text) => sum + Buffer.byteLength(text), 0);
  return { trajectories: status.trajectories, bytes, warmMs, firstRowMs, indexMs, indexCpuMs, againMs: again.indexMs, againCpuMs: again.indexCpuMs, peakRss, baselineRss, peakHeap, parseMs, jsonBytes };
}

function mib(bytes: number): string {
  return (bytes / MiB).toFixed(0);
}

async function main(): Promise<void> {
  const oneAt = process.argv.indexOf('--one');
  if (oneAt >= 0) {
    const [path, bytes, kind] = [process.argv[oneAt + 1]!, Number(process.argv[oneAt + 2]), process.argv[oneAt + 3] as CollectionKind];
    process.stdout.write(`${JSON.stringify(await measure(path, bytes, kind))}\n`);
    return;
  }
  const args = process.argv.slice(2);
  const kinds = args.flatMap((arg, i) => (args[i - 1] === '--kind' ? [arg as CollectionKind] : []));
  for (const kind of kinds) if (!KINDS.includes(kind)) throw new Error(`--kind: '${kind}' is not one of ${KINDS.join(', ')}`);
  const counts = args.filter((arg, i) => args[i - 1] !== '--kind').map(Number).filter((n) => n > 0);
  console.log(`opening generated collections through TrajectoryLibrary (index workers, warmed first), ${process.version}`);
  console.log(`load average at start: ${loadavg().map((n) => n.toFixed(1)).join(' ')} on ${availableParallelism()} CPUs (wall times stretch under load; CPU s is all threads)`);
  const summary: string[] = [];
  for (const kind of kinds.length > 0 ? kinds : KINDS) {
    console.log(`\n${KIND_NAMES[kind]}`);
    console.log('trajectories   file MiB   JSON MiB   threads ready ms   first row ms   index ms   CPU s   index MB/s   again ms   again MB/s   JSON.parse MB/s   peak RSS MiB (x file)   RSS at start MiB   peak main heap MiB');
    for (const count of counts.length > 0 ? counts : [2_000, 10_000, 20_000]) {
      const file = await ensureCollectionFile(count, 7, kind);
      const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--one', file.path, String(file.bytes), kind], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
      if (child.status !== 0) throw new Error(`the measuring process for ${count} trajectories (${kind}) failed (exit ${child.status})`);
      const f = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as Figures;
      const indexRate = f.jsonBytes / MiB / (f.indexMs / 1000);
      const againRate = f.jsonBytes / MiB / (f.againMs / 1000);
      const parseRate = f.jsonBytes / MiB / (f.parseMs / 1000);
      console.log(
        `${String(f.trajectories).padStart(12)}   ${mib(f.bytes).padStart(8)}   ${mib(f.jsonBytes).padStart(8)}   ${f.warmMs.toFixed(0).padStart(16)}   ${f.firstRowMs.toFixed(0).padStart(12)}   ${f.indexMs.toFixed(0).padStart(8)}   ${(f.indexCpuMs / 1000).toFixed(1).padStart(5)}   ${indexRate.toFixed(1).padStart(10)}   ${f.againMs.toFixed(0).padStart(8)}   ${againRate.toFixed(1).padStart(10)}   ${parseRate.toFixed(1).padStart(15)}   ${`${mib(f.peakRss)} (${(f.peakRss / f.bytes).toFixed(2)}x)`.padStart(21)}   ${mib(f.baselineRss).padStart(16)}   ${mib(f.peakHeap).padStart(18)}${file.reused ? '' : '   (file generated)'}`,
      );
      const [speed, again] = [f.parseMs / f.indexMs, f.parseMs / f.againMs];
      const verdict = (ratio: number) => `${ratio.toFixed(2)}x JSON.parse (goal ${GOAL}x: ${ratio >= GOAL ? 'meets' : 'MISSES'})`;
      summary.push(
        `${KIND_NAMES[kind].padEnd(14)} ${String(f.trajectories).padStart(6)} trajectories (${mib(f.bytes).padStart(3)} MiB): index at ${verdict(speed)}, again at ${verdict(again)}, first row ${f.firstRowMs.toFixed(0)} ms, peak RSS ${(f.peakRss / f.bytes).toFixed(2)}x the file`,
      );
    }
  }
  console.log(`\nindexing speed against JSON.parse of the same JSON, in the same process (goal: at least ${GOAL}x), first row and memory:`);
  for (const line of summary) console.log(line);
  console.log('MB/s are MiB of JSON per second; JSON.parse is parsing the same JSON already in memory as strings, nothing else.');
  console.log('"again" is the same file opened once more by the same index threads: the first file after start runs before V8 has compiled the code.');
}

await main();
