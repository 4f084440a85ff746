import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from '@playwright/test';
import WebSocket from 'ws';
import type { WireServerMessage } from '#shared/api/wire.js';
import { runEventSchema } from '#shared/run/events.js';
import { memorySecretStore } from '../engine/persistence/settings.js';
import { serveApp, type ServeApp } from '../host/serve-app.js';
import { generateTrajectory } from './generate.js';

/**
 * Renderer benchmark in headless Chromium against serve mode, at several lengths beside a 50-turn
 * baseline measured in the same run: a generated trajectory is opened from a file with the Open
 * file dialog, and replayed by the engine then shown in a newly loaded page. Each is timed to its
 * first paint (turn list, selected turn, prompt view) and to fully loaded; on the loaded page, j/k,
 * G/gg, clicking a turn and scrolling are timed while long main-thread tasks are recorded. The
 * figures that matter are the ratios (the machine may be busy), printed beside their goals.
 */
// The functions passed to page.evaluate run in Chromium; the Node build has no DOM types, so the
// few browser globals they use are declared here, for this module only.
interface BrowserElement {
  scrollTop: number;
  readonly scrollHeight: number;
  readonly clientHeight: number;
  querySelector(selector: string): BrowserElement | null;
}
declare const document: { querySelector(selector: string): BrowserElement | null; body: { dispatchEvent(event: unknown): boolean } };
declare const window: unknown;
declare class KeyboardEvent {
  constructor(type: string, init: { key: string; bubbles: boolean });
}
declare function setTimeout(callback: () => void, ms: number): number;
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

const LOADED = /^(Finished|End of the recording|Stopped)/;

/** Time from `started` to the turn list, the selected turn and the prompt view on screen, then to fully loaded. */
async function waitShown(page: Page, started: number): Promise<{ firstPaintMs: number; loadedMs: number }> {
  await page.getByRole('region', { name: 'Turns' }).getByRole('listitem').first().waitFor({ timeout: 300_000 });
  await page.getByRole('region', { name: 'Trajectory' }).getByText(/./).first().waitFor({ timeout: 300_000 });
  await page.getByRole('region', { name: 'Prompt view' }).getByText(/./).first().waitFor({ timeout: 300_000 });
  const firstPaintMs = Date.now() - started;
  await page.getByRole('status').filter({ hasText: LOADED }).first().waitFor({ timeout: 600_000 });
  return { firstPaintMs, loadedMs: Date.now() - started };
}

/** A page that records long main-thread tasks into `window.__longTasks`. */
async function newPage(browser: Browser): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.addInitScript(() => {
    const w = window as unknown as { __longTasks: number[] };
    w.__longTasks = [];
    new PerformanceObserver((list) => list.getEntries().forEach((e) => w.__longTasks.push(e.duration))).observe({ type: 'longtask', buffered: true });
  });
  return page;
}

function longest(tasks: number[]): number {
  return tasks.length ? Math.max(...tasks) : 0;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor(sorted.length / 2)]! : 0;
}

/** Opens `path` through the Open file dialog of a fresh page. */
async function openFile(browser: Browser, app: ServeApp, path: string) {
  const page = await newPage(browser);
  await page.goto(app.url);
  await page.getByRole('button', { name: 'Open file…', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Open trajectory file' });
  await dialog.getByLabel('File path').fill(path);
  const started = Date.now();
  await dialog.getByRole('button', { name: 'Open', exact: true }).click();
  const shown = await waitShown(page, started);
  const longTasks = await page.evaluate(() => (window as unknown as { __longTasks: number[] }).__longTasks);
  await page.close();
  return { ...shown, longestLoadTask: longest(longTasks) };
}

/** Loads a page while the service holds a replayed run: the page catches it up. */
async function reload(browser: Browser, app: ServeApp) {
  const page = await newPage(browser);
  const started = Date.now();
  await page.goto(app.url);
  const shown = await waitShown(page, started);
  const longTasks = await page.evaluate(() => (window as unknown as { __longTasks: number[] }).__longTasks);
  return { page, ...shown, longestLoadTask: longest(longTasks) };
}

/**
 * On a loaded page: each key press (j, k, G, gg) and a click on a turn is timed from the event to
 * the frame after it; then the turn list and the trajectory are scrolled end to end. Long tasks
 * (over 50 ms) are collected throughout.
 */
async function interact(page: Page) {
  return page.evaluate(async () => {
    const w = window as unknown as { __longTasks: number[] };
    const frame = () => new Promise<void>((r) => requestAnimationFrame(() => setTimeout(() => r(), 0)));
    for (let i = 0; i < 10; i++) await frame();
    w.__longTasks = [];
    const keyMs: number[] = [];
    const press = async (key: string) => {
      const started = performance.now();
      document.body.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }));
      await frame();
      keyMs.push(performance.now() - started);
    };
    for (let i = 0; i < 20; i++) await press('j');
    for (let i = 0; i < 20; i++) await press('k');
    await press('G');
    await press('g');
    await press('g');
    const keyTasks = [...w.__longTasks];
    w.__longTasks = [];
    const clickMs: number[] = [];
    const list = document.querySelector('[aria-label="Turns"]')!;
    for (let i = 0; i < 5; i++) {
      const rows = (list as unknown as { querySelectorAll(s: string): ArrayLike<{ click(): void }> }).querySelectorAll('[role="listitem"] button, [role="listitem"]');
      const row = rows[Math.min(rows.length - 1, 2 + i)]!;
      const started = performance.now();
      row.click();
      await frame();
      clickMs.push(performance.now() - started);
    }
    const clickTasks = [...w.__longTasks];
    w.__longTasks = [];
    let longestFrame = 0;
    let frames = 0;
    for (const name of ['Turns', 'Trajectory']) {
      const region = document.querySelector(`[aria-label="${name}"]`)!;
      const scroller = (region.querySelector('[data-virtual-scroller]') ?? (region as unknown as { closest(s: string): BrowserElement }).closest('[data-virtual-scroller]'))!;
      scroller.scrollTop = 0;
      await frame();
      let last = performance.now();
      while (scroller.scrollTop + scroller.clientHeight < scroller.scrollHeight - 1 && frames < 4000) {
        scroller.scrollTop += scroller.clientHeight;
        await new Promise(requestAnimationFrame);
        const now = performance.now();
        longestFrame = Math.max(longestFrame, now - last);
        last = now;
        frames++;
      }
    }
    await frame();
    return { keyMs, keyTasks, clickMs, clickTasks, scrollTasks: [...w.__longTasks], frames, longestFrame };
  });
}

function ratio(value: number, base: number): string {
  return `${(value / Math.max(1, base)).toFixed(2)}x`;
}

function verdict(ok: boolean): string {
  return ok ? 'meets' : 'MISSES';
}

async function withApp<T>(use: (app: ServeApp) => Promise<T>): Promise<T> {
  const app = await serveApp({ version: 'bench', rendererDir: join(root, 'out/renderer'), runsDir: mkdtempSync(join(tmpdir(), 'trajdbg-bench-')), settings: { load: () => null, save: () => {} }, secrets: memorySecretStore() });
  try {
    return await use(app);
  } finally {
    await app.close();
  }
}

async function main(): Promise<void> {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  console.log(`renderer: headless Chromium ${browser.version()}, serve mode, 1440x900`);
  // RENDERER_BENCH_TURNS=1000,5000,10000 picks the sizes (the 50-turn baseline always runs); add 50000 to check it opens without freezing.
  const sizes = process.env.RENDERER_BENCH_TURNS ? process.env.RENDERER_BENCH_TURNS.split(',').map(Number) : [1000, 5000, 10000];
  const folder = mkdtempSync(join(tmpdir(), 'trajdbg-bench-files-'));
  type Row = { turns: number; how: string; firstPaintMs: number; loadedMs: number; longestLoadTask: number };
  const rows: Row[] = [];
  const keys: Array<{ turns: number } & Awaited<ReturnType<typeof interact>>> = [];
  console.log('turns   opened as       first paint ms   all loaded ms   longest task while loading ms');
  for (const turns of [50, ...sizes]) {
    const messages = generateTrajectory(turns);
    const path = join(folder, `trajectory-${turns}.json`);
    writeFileSync(path, JSON.stringify(messages));
    const file = await withApp((app) => openFile(browser, app, path));
    rows.push({ turns, how: 'file', ...file });
    const reloaded = await withApp(async (app) => {
      await replay(app, turns);
      const r = await reload(browser, app);
      const k = await interact(r.page);
      await r.page.close();
      return { ...r, keys: k };
    });
    rows.push({ turns, how: 'reloaded run', firstPaintMs: reloaded.firstPaintMs, loadedMs: reloaded.loadedMs, longestLoadTask: reloaded.longestLoadTask });
    keys.push({ turns, ...reloaded.keys });
    for (const r of rows.slice(-2)) console.log(`${String(r.turns).padStart(5)}   ${r.how.padEnd(12)}   ${String(r.firstPaintMs).padStart(14)}   ${String(r.loadedMs).padStart(13)}   ${r.longestLoadTask.toFixed(0).padStart(29)}`);
  }

  console.log('\nopening, as ratios (goals: first paint within 3x of 50 turns; loaded within 2x of first paint; 10x the turns under 2x the time)');
  for (const how of ['file', 'reloaded run']) {
    const of = rows.filter((r) => r.how === how);
    const base = of.find((r) => r.turns === 50)!;
    for (const r of of.filter((x) => x.turns !== 50)) {
      const paint = r.firstPaintMs / Math.max(1, base.firstPaintMs);
      const loaded = r.loadedMs / Math.max(1, r.firstPaintMs);
      console.log(`${how.padEnd(12)} ${String(r.turns).padStart(6)} turns: first paint ${ratio(r.firstPaintMs, base.firstPaintMs)} of 50 turns (goal < 3x, ${verdict(paint < 3)}), loaded ${loaded.toFixed(2)}x first paint (goal < 2x, ${verdict(loaded < 2)}), longest task ${r.longestLoadTask.toFixed(0)} ms`);
    }
    const small = of.find((r) => r.turns === 1000);
    const large = of.find((r) => r.turns === 10000);
    if (small && large) {
      const growth = large.loadedMs / Math.max(1, small.loadedMs);
      console.log(`${how.padEnd(12)} growth 1,000 -> 10,000 turns, all loaded: ${growth.toFixed(2)}x (goal < 2x, ${verdict(growth < 2)})`);
    }
  }

  console.log('\nkeys, clicks and scrolling on the loaded page (goals: no task over 50 ms; key press answered within 16 ms at the median)');
  console.log('turns   key median ms   key max ms   key tasks > 50 ms (longest)   click median ms   click tasks > 50 ms   scroll frames   longest frame ms   scroll tasks > 50 ms (longest)');
  for (const k of keys) {
    const all = [...k.keyTasks, ...k.clickTasks, ...k.scrollTasks];
    console.log(
      `${String(k.turns).padStart(5)}   ${median(k.keyMs).toFixed(1).padStart(13)}   ${Math.max(...k.keyMs).toFixed(1).padStart(10)}   ${`${k.keyTasks.length} (${longest(k.keyTasks).toFixed(0)})`.padStart(27)}   ${median(k.clickMs).toFixed(1).padStart(15)}   ${String(k.clickTasks.length).padStart(19)}   ${String(k.frames).padStart(13)}   ${k.longestFrame.toFixed(1).padStart(16)}   ${`${k.scrollTasks.length} (${longest(k.scrollTasks).toFixed(0)})`.padStart(30)}   ${verdict(all.length === 0 && median(k.keyMs) <= 16)}`,
    );
  }
  await browser.close();
}

await main();
