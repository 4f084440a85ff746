import { flushSync } from 'react-dom';

/** Runs a callback before the next paint (requestAnimationFrame); tests substitute their own. */
export type FrameScheduler = (callback: () => void) => void;

const animationFrame: FrameScheduler = (callback) => {
  requestAnimationFrame(() => callback());
};

/**
 * A busy page spends at most this share of its time in these commits: after one that took C ms,
 * the next waits C / RENDER_SHARE ms from its start (at most MAX_WAIT_MS), skipping frames. A cheap commit (a live run's
 * deltas on a short trajectory) still renders every frame; an expensive one (a played recording
 * arriving faster than it can be shown, on a long trajectory) renders less often, and the page
 * gets through the events between.
 */
const RENDER_SHARE = 0.25;
/** However expensive the last commit, the next one waits no longer than this (what is on show is never staler). */
const MAX_WAIT_MS = 100;

let scheduler: FrameScheduler = animationFrame;
let clock: () => number = () => performance.now();
/** The earliest time the next commit may run. */
let earliest = 0;
let requested = false;
let storeFlush: (() => void) | null = null;
const renders = new Set<() => void>();

/**
 * At the next frame: the store's flush and every component re-render requested since, in one
 * React commit (one DOM update a frame, not one for the store and one per measured list).
 */
function requestFrame(): void {
  if (requested) return;
  requested = true;
  const frame = (): void => {
    const started = clock();
    if (started < earliest) {
      scheduler(frame);
      return;
    }
    requested = false;
    const flush = storeFlush;
    const due = [...renders];
    storeFlush = null;
    renders.clear();
    flushSync(() => {
      for (const render of due) render();
      flush?.();
    });
    earliest = started + Math.min((clock() - started) / RENDER_SHARE, MAX_WAIT_MS);
  };
  scheduler(frame);
}

/** Calls `flush` once at the next frame, however many times it is requested before then. */
export function requestFrameFlush(flush: () => void): void {
  storeFlush ??= flush;
  requestFrame();
}

/**
 * Calls `render` (a component's re-render, or a store update that re-renders some) at the next
 * frame, in the same commit as the store's flush.
 */
export function requestFrameRender(render: () => void): void {
  renders.add(render);
  requestFrame();
}

/** Replaces the frame scheduler (tests); with no argument, goes back to requestAnimationFrame. */
export function setFrameScheduler(next: FrameScheduler = animationFrame): void {
  scheduler = next;
  earliest = 0;
  requested = false;
  storeFlush = null;
  renders.clear();
}

/**
 * Replaces the clock commits are timed by (tests); with no argument, goes back to the page's. A
 * clock that stands still never skips a frame.
 */
export function setFrameClock(now: () => number = () => performance.now()): void {
  clock = now;
  earliest = 0;
}
