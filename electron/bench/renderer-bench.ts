import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Page } from '@playwright/test';
import WebSocket from 'ws';
import type { WireServerMessage } from '../../shared/api/wire.js';
import { runEventSchema } from '../../shared/run/events.js';
import { memorySecretStore } from '../engine/persistence/settings.js';
import { serveApp, type ServeApp } from '../host/serve-app.js';
import { generateTrajectory } from './generate.js';

/**
 * Renderer benchmark in headless Chromium against serve mode: a generated trajectory is replayed
 * by the engine, then the page is opened and timed to its first painted turns, and the trajectory
 * is scrolled end to end while long main-thread tasks are recorded. Several sizes show growth.
 */
// The functions passed to page.evaluate run in Chromium; the Node build has no DOM types, so the
// few browser globals they use are declared here, for this module only.
interface BrowserElement {
  scrollTop: number;
  readonly scrollHeight: number;
  readonly clientHeight: number;
  querySelector(selector: string): BrowserElement | null;
}
declare const document: { querySelector(selector: string): BrowserElement | null };
declare const window: unknown;
declare function requestAnimationFrame(callback: (time: number) => void): number;
declare class PerformanceObserver {
  constructor(callback: (list: { getEntries(): Array<{ duration: number }> }) => void);
  observe(options: { type: string; buffered: boolean }): void;
}

const root = resolve(fileURLToPath(import.meta.url), '../../../..');
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Replays a generated trajectory in the service and waits until the run has ended. */
async function replay(app: ServeApp, turns: number): Promise<void> {
  const socket = new WebSocket(`${app.origin.replace(/^http/, 'ws')}/api?token=${app.token}`, { headers: { Origin: app.origin } });
  await new Promise((ok, fail) => socket.once('open', ok).once('error', fail));
  const done = new Promise<void>((ok) =>
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as WireServerMessage;
      if ('error' in message) throw new Error(message.error.message);
      if ('events' in message && message.events.some((e) => runEventSchema.safeParse(e).data?.type === 'run_finished')) ok();
    }),
  );
  socket.send(JSON.stringify({ id: 1, method: 'run.replay', params: { title: `${turns} turns`, messages: generateTrajectory(turns), maxContextTokens: 8000 } }));
  await done;
  socket.close();
}

async function measure(page: Page, url: string, turns: number) {
  const started = Date.now();
  await page.goto(url);
  const trajectory = page.getByRole('region', { name: 'Trajectory' });
  await page.getByRole('region', { name: 'Turns' }).getByRole('listitem').first().waitFor();
  await trajectory.getByText(/./).first().waitFor();
  const firstPaintMs = Date.now() - started;
  const rows = await page.getByRole('region', { name: 'Turns' }).getByRole('listitem').count();
  // The rest of the run loads in pages after the first paint; scroll once all of it is in.
  await page.getByRole('status').filter({ hasText: /^Finished/ }).waitFor({ timeout: 120_000 });
  const loadedMs = Date.now() - started;
  const scroll = await page.evaluate(async () => {
    const region = document.querySelector('[aria-label="Trajectory"]')!;
    const scroller = region.querySelector('[data-virtual-scroller]')!;
    scroller.scrollTop = 0;
    for (let i = 0; i < 10; i++) await new Promise(requestAnimationFrame);
    const w = window as unknown as { __longTasks: number[] };
    w.__longTasks = [];
    const startedAt = performance.now();
    let last = startedAt;
    let longestFrame = 0;
    let frames = 0;
    while (scroller.scrollTop + scroller.clientHeight < scroller.scrollHeight - 1) {
      scroller.scrollTop += scroller.clientHeight;
      await new Promise(requestAnimationFrame);
      const now = performance.now();
      longestFrame = Math.max(longestFrame, now - last);
      last = now;
      frames++;
    }
    await new Promise((r) => setTimeout(r, 200));
    return { frames, longestFrame, longTasks: w.__longTasks, scrollMs: performance.now() - startedAt, height: scroller.scrollHeight };
  });
  return { turns, firstPaintMs, loadedMs, rows, ...scroll };
}

async function main(): Promise<void> {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  console.log(`renderer: headless Chromium ${browser.version()}, serve mode, 1440x900`);
  console.log('turns   first paint ms   all loaded ms   turn rows in DOM   scroll frames   longest frame ms   longest task ms   tasks over 50 ms');
  // RENDERER_BENCH_TURNS=5000 measures one size only.
  const sizes = process.env.RENDERER_BENCH_TURNS ? process.env.RENDERER_BENCH_TURNS.split(',').map(Number) : [1000, 5000, 10000];
  for (const turns of sizes) {
    const app = await serveApp({ version: 'bench', rendererDir: join(root, 'out/renderer'), runsDir: mkdtempSync(join(tmpdir(), 'trajdbg-bench-')), settings: { load: () => null, save: () => {} }, secrets: memorySecretStore() });
    try {
      await replay(app, turns);
      const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
      await page.addInitScript(() => {
        const w = window as unknown as { __longTasks: number[] };
        w.__longTasks = [];
        new PerformanceObserver((list) => list.getEntries().forEach((e) => w.__longTasks.push(e.duration))).observe({ type: 'longtask', buffered: true });
      });
      const r = await measure(page, app.url, turns);
      const longest = r.longTasks.length ? Math.max(...r.longTasks) : 0;
      console.log(`${String(turns).padStart(5)}   ${String(r.firstPaintMs).padStart(14)}   ${String(r.loadedMs).padStart(13)}   ${String(r.rows).padStart(16)}   ${String(r.frames).padStart(13)}   ${r.longestFrame.toFixed(1).padStart(16)}   ${longest.toFixed(0).padStart(15)}   ${String(r.longTasks.length).padStart(16)}`);
      await page.close();
    } finally {
      await app.close();
    }
  }
  await browser.close();
  console.log('targets: first paint under 1,000 ms for 5,000 turns; no task over 50 ms while scrolling');
}

await main();
