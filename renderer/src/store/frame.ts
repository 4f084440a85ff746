import { flushSync } from 'react-dom';

/** Runs a callback before the next paint (requestAnimationFrame); tests substitute their own. */
export type FrameScheduler = (callback: () => void) => void;

const animationFrame: FrameScheduler = (callback) => {
  requestAnimationFrame(() => callback());
};

let scheduler: FrameScheduler = animationFrame;
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
  scheduler(() => {
    requested = false;
    const flush = storeFlush;
    const due = [...renders];
    storeFlush = null;
    renders.clear();
    flushSync(() => {
      for (const render of due) render();
      flush?.();
    });
  });
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
  requested = false;
  storeFlush = null;
  renders.clear();
}
