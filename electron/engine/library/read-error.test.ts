import { readdir, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readErrorReason } from './read-error.js';

const errorOf = async (attempt: () => unknown): Promise<unknown> => {
  try {
    await attempt();
  } catch (error) {
    return error;
  }
  throw new Error('it did not fail');
};

describe('readErrorReason', () => {
  it('words file-system errors without their code, syscall and path', async () => {
    expect(readErrorReason(await errorOf(() => stat('/no/such/place')))).toBe('no such file');
    expect(readErrorReason(await errorOf(() => stat('/no/such/place')), 'no such file or folder')).toBe('no such file or folder');
    expect(readErrorReason(await errorOf(() => readdir(fileURLToPath(import.meta.url))))).toBe('not a directory');
  });

  it("gives zlib's reason as not valid gzip data, and any other error's first line", async () => {
    expect(readErrorReason(await errorOf(() => gunzipSync(Buffer.from('not gzip'))))).toBe('not valid gzip data: incorrect header check');
    expect(readErrorReason(new Error('Invalid Input Error: No magic bytes found\n\nLINE 1: SELECT ...'))).toBe('Invalid Input Error: No magic bytes found');
    expect(readErrorReason('plain text')).toBe('plain text');
  });
});
