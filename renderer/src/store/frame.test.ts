import { afterEach, describe, expect, it } from 'vitest';
import { requestFrameFlush, setFrameClock, setFrameScheduler } from './frame.js';

/** Frames run when the test says so, on a clock the test moves. */
function manual(): { frame(): void; pending(): number; clock: { now: number } } {
  const queue: Array<() => void> = [];
  const clock = { now: 0 };
  setFrameScheduler((callback) => queue.push(callback));
  setFrameClock(() => clock.now);
  return { frame: () => queue.splice(0).forEach((f) => f()), pending: () => queue.length, clock };
}

afterEach(() => {
  setFrameScheduler();
  setFrameClock(() => 0);
});

describe('frame commits', () => {
  it('commits at every frame while commits are cheap', () => {
    const { frame, clock } = manual();
    const flushed: number[] = [];
    for (let i = 0; i < 5; i++) {
      requestFrameFlush(() => {
        flushed.push(clock.now);
        clock.now += 2;
      });
      frame();
      clock.now += 16;
    }
    expect(flushed).toEqual([0, 18, 36, 54, 72]);
  });

  it('after a commit of C ms, waits 4 C from its start before the next, skipping frames and losing nothing', () => {
    const { frame, pending, clock } = manual();
    const flushed: number[] = [];
    const expensive = () => {
      flushed.push(clock.now);
      clock.now += 20;
    };
    requestFrameFlush(expensive);
    frame();
    expect(flushed).toEqual([0]);
    // Events arrive for the next frames: the commit waits until 80 ms after the last one started.
    requestFrameFlush(expensive);
    for (const at of [36, 52, 68]) {
      clock.now = at;
      frame();
      expect(flushed).toEqual([0]);
      expect(pending()).toBe(1);
    }
    clock.now = 84;
    frame();
    expect(flushed).toEqual([0, 84]);
    expect(pending()).toBe(0);
  });

  it('waits no longer than 100 ms after a commit, however long it took', () => {
    const { frame, clock } = manual();
    const flushed: number[] = [];
    requestFrameFlush(() => {
      flushed.push(clock.now);
      clock.now += 400;
    });
    frame();
    requestFrameFlush(() => flushed.push(clock.now));
    clock.now = 90;
    frame();
    expect(flushed).toEqual([0]);
    clock.now = 100;
    frame();
    expect(flushed).toEqual([0, 100]);
  });
});
