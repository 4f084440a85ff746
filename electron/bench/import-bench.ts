import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { TrajectoryLibrary } from '../engine/library/trajectory-library.js';
import { ensureCollectionFile } from './generate-collection.js';

/**
 * Import benchmark: opens generated messages-JSONL collections (about 10 KB a trajectory) through
 * TrajectoryLibrary with the real index worker and prints the time to the first row, the time to
 * the full index, peak memory against the file size, and throughput against plain JSON.parse of
 * the same lines. Each size runs in a fresh process so its memory figures are its own.
 */

const MiB = 2 ** 20;

interface Figures {
  trajectories: number;
  bytes: number;
  firstRowMs: number;
  indexMs: number;
  /** CPU time of the whole process (all threads) while indexing: less swayed by other load than wall time. */
  indexCpuMs: number;
  peakRss: number;
  baselineRss: number;
  peakHeap: number;
  parseMs: number;
}

/** One size, in this process: index through the library, then JSON.parse every line. */
async function measure(path: string, bytes: number): Promise<Figures> {
  const baselineRss = process.memoryUsage().rss;
  let peakRss = baselineRss;
  let peakHeap = 0;
  const sample = (): void => {
    const usage = process.memoryUsage();
    peakRss = Math.max(peakRss, usage.rss);
    peakHeap = Math.max(peakHeap, usage.heapUsed);
  };
  const sampler = setInterval(sample, 5);
  const library = new TrajectoryLibrary();
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  let firstRowMs = -1;
  const status = await new Promise<ReturnType<TrajectoryLibrary['status']>>((done) => {
    library.onChange((s) => {
      if (firstRowMs < 0 && s.trajectories > 0) firstRowMs = performance.now() - started;
      if (s.state !== 'indexing') done(s);
    });
    library.open(path);
  });
  const indexMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuStarted);
  const indexCpuMs = (cpu.user + cpu.system) / 1000;
  sample();
  clearInterval(sampler);
  if (status.state !== 'done') throw new Error(`indexing ended ${status.state}: ${status.error}`);
  await library.dispose();

  const lines = readFileSync(path, 'utf8').split('\n');
  const parseStarted = performance.now();
  let parsed = 0;
  for (const line of lines) if (line !== '') parsed += JSON.parse(line) === null ? 0 : 1;
  const parseMs = performance.now() - parseStarted;
  if (parsed !== status.trajectories) throw new Error(`indexed ${status.trajectories} trajectories but parsed ${parsed} lines`);
  return { trajectories: status.trajectories, bytes, firstRowMs, indexMs, indexCpuMs, peakRss, baselineRss, peakHeap, parseMs };
}

function mib(bytes: number): string {
  return (bytes / MiB).toFixed(0);
}

async function main(): Promise<void> {
  const oneAt = process.argv.indexOf('--one');
  if (oneAt >= 0) {
    const [path, bytes] = [process.argv[oneAt + 1]!, Number(process.argv[oneAt + 2])];
    process.stdout.write(`${JSON.stringify(await measure(path, bytes))}\n`);
    return;
  }
  const counts = process.argv.slice(2).map(Number).filter((n) => n > 0);
  console.log(`opening messages-JSONL collections through TrajectoryLibrary (index worker), ${process.version}`);
  console.log(`load average at start: ${loadavg().map((n) => n.toFixed(1)).join(' ')} on ${availableParallelism()} CPUs (wall times stretch under load; CPU s is all threads)`);
  console.log('trajectories    MiB   first row ms   index ms   CPU s   index MB/s   JSON.parse MB/s   ratio   peak RSS MiB (x file)   RSS at start MiB   peak main heap MiB');
  const results: Figures[] = [];
  for (const count of counts.length > 0 ? counts : [1_000, 4_000, 16_000]) {
    const file = await ensureCollectionFile(count);
    const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--one', file.path, String(file.bytes)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    if (child.status !== 0) throw new Error(`the measuring process for ${count} trajectories failed (exit ${child.status})`);
    const f = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as Figures;
    results.push(f);
    const indexRate = f.bytes / MiB / (f.indexMs / 1000);
    const parseRate = f.bytes / MiB / (f.parseMs / 1000);
    console.log(
      `${String(f.trajectories).padStart(12)}   ${mib(f.bytes).padStart(4)}   ${f.firstRowMs.toFixed(0).padStart(12)}   ${f.indexMs.toFixed(0).padStart(8)}   ${(f.indexCpuMs / 1000).toFixed(1).padStart(5)}   ${indexRate.toFixed(1).padStart(10)}   ${parseRate.toFixed(1).padStart(15)}   ${(parseRate / indexRate).toFixed(1).padStart(5)}x   ${`${mib(f.peakRss)} (${(f.peakRss / f.bytes).toFixed(2)}x)`.padStart(21)}   ${mib(f.baselineRss).padStart(16)}   ${mib(f.peakHeap).padStart(18)}${file.reused ? '' : '   (file generated)'}`,
    );
  }
  console.log('\nindexing speed against JSON.parse of the same lines, in the same process (goal: at least 0.5x), first row and memory:');
  for (const f of results) {
    const speed = f.parseMs / f.indexMs;
    console.log(`${String(f.trajectories).padStart(6)} trajectories (${mib(f.bytes)} MiB): index at ${speed.toFixed(2)}x the speed of JSON.parse (${speed >= 0.5 ? 'meets' : 'MISSES'}), first row ${f.firstRowMs.toFixed(0)} ms, peak RSS ${(f.peakRss / f.bytes).toFixed(2)}x the file`);
  }
  console.log('MB/s are MiB per second; JSON.parse is parsing the same lines already in memory as strings, nothing else.');
}

await main();
