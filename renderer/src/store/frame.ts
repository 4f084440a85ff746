/** Runs a callback before the next paint (requestAnimationFrame); tests substitute their own. */
export type FrameScheduler = (callback: () => void) => void;

const animationFrame: FrameScheduler = (callback) => {
  requestAnimationFrame(() => callback());
};

let scheduler: FrameScheduler = animationFrame;
let requested = false;

/** Calls `flush` once at the next frame, however many times it is requested before then. */
export function requestFrameFlush(flush: () => void): void {
  if (requested) return;
  requested = true;
  scheduler(() => {
    requested = false;
    flush();
  });
}

/** Replaces the frame scheduler (tests); with no argument, goes back to requestAnimationFrame. */
export function setFrameScheduler(next: FrameScheduler = animationFrame): void {
  scheduler = next;
  requested = false;
}
