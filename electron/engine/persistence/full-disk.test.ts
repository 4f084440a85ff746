import { afterAll } from 'vitest';
import { describeFullDisk } from '../../testing/full-disk-cases.js';
import { mountFullDisk } from '../../testing/full-disk.js';

// The full-disk tests on a real disk: a 64k tmpfs, which needs root (CI runs as root).
// full-disk-simulated.test.ts runs the same tests everywhere.
const disk = mountFullDisk('64k');
if (!disk.dir) console.warn(`skipping the full-disk tests on a tmpfs: ${disk.reason}`);
afterAll(() => disk.unmount());

describeFullDisk('on a full disk (a 64k tmpfs)', disk);
