import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi, type Mock } from 'vitest';
import { openSecretStore, type SafeStorageApi } from './secret-store.js';

const KEY = 'sk-live-0123456789abcdef';

/** A stand-in for Electron's safeStorage: XOR with a byte and a marker, reversible, never plain. */
function fakeSafeStorage(overrides: Partial<SafeStorageApi> = {}) {
  const xor = (bytes: Buffer) => Buffer.from(bytes.map((b) => b ^ 0x5a));
  const safeStorage = {
    isAsyncEncryptionAvailable: vi.fn(async () => true),
    getSelectedStorageBackend: vi.fn(() => 'gnome_libsecret'),
    encryptStringAsync: vi.fn(async (plain: string) => Buffer.concat([Buffer.from('v10'), xor(Buffer.from(plain, 'utf8'))])),
    decryptStringAsync: vi.fn(async (encrypted: Buffer) => {
      if (encrypted.subarray(0, 3).toString() !== 'v10') throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      return { shouldReEncrypt: false, result: xor(encrypted.subarray(3)).toString('utf8') };
    }),
    ...overrides,
  };
  return safeStorage;
}

/** Every byte under `dir`, to prove the plain key is nowhere on disk. */
function everythingOnDisk(dir: string): string {
  return readdirSync(dir).map((name) => readFileSync(join(dir, name), 'latin1')).join('\n');
}

let dir: string;
type Log = (message: string) => void;
let report: { error: Mock<Log>; warn: Mock<Log> };

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'trajdbg-secrets-'));
  report = { error: vi.fn<Log>(), warn: vi.fn<Log>() };
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('openSecretStore with OS encryption', () => {
  it('keeps the key encrypted by safeStorage, as base64 ciphertext alone in its file', async () => {
    const safeStorage = fakeSafeStorage();
    const store = await openSecretStore({ dir, safeStorage, platform: 'linux', report });
    expect(store.kind).toBe('os-keychain');
    expect(store.getApiKey()).toBeNull();

    store.setApiKey(KEY);
    expect(store.getApiKey()).toBe(KEY);
    await store.flush();

    expect(safeStorage.encryptStringAsync).toHaveBeenCalledExactlyOnceWith(KEY);
    const ciphertext = await vi.mocked(safeStorage.encryptStringAsync).mock.results[0]!.value;
    expect(readdirSync(dir)).toEqual(['api-key.enc']);
    expect(readFileSync(join(dir, 'api-key.enc'), 'utf8')).toBe(ciphertext.toString('base64'));
    expect(statSync(join(dir, 'api-key.enc')).mode & 0o777).toBe(0o600);
    expect(report.error).not.toHaveBeenCalled();
  });

  it('never writes the plain key, in any encoding', async () => {
    const store = await openSecretStore({ dir, safeStorage: fakeSafeStorage(), platform: 'darwin', report });
    store.setApiKey(KEY);
    await store.flush();
    const disk = everythingOnDisk(dir);
    expect(disk).not.toContain(KEY);
    expect(disk).not.toContain(Buffer.from(KEY).toString('base64'));
    expect(disk).not.toContain(Buffer.from(KEY).toString('hex'));
  });

  it('reads the key back through safeStorage when the app starts again', async () => {
    const first = await openSecretStore({ dir, safeStorage: fakeSafeStorage(), platform: 'win32', report });
    first.setApiKey(KEY);
    await first.flush();

    const safeStorage = fakeSafeStorage();
    const second = await openSecretStore({ dir, safeStorage, platform: 'win32', report });
    expect(safeStorage.decryptStringAsync).toHaveBeenCalledOnce();
    expect(second.getApiKey()).toBe(KEY);
  });

  it('writes the key again when safeStorage asks for re-encryption', async () => {
    const first = await openSecretStore({ dir, safeStorage: fakeSafeStorage(), platform: 'darwin', report });
    first.setApiKey(KEY);
    await first.flush();

    const base = fakeSafeStorage();
    const safeStorage = fakeSafeStorage({ decryptStringAsync: async (b) => ({ ...(await base.decryptStringAsync(b)), shouldReEncrypt: true }) });
    const second = await openSecretStore({ dir, safeStorage, platform: 'darwin', report });
    await second.flush();
    expect(safeStorage.encryptStringAsync).toHaveBeenCalledExactlyOnceWith(KEY);
  });

  it('clears the stored key when set to the empty string', async () => {
    const store = await openSecretStore({ dir, safeStorage: fakeSafeStorage(), platform: 'darwin', report });
    store.setApiKey(KEY);
    await store.flush();
    store.setApiKey('');
    await store.flush();
    expect(store.getApiKey()).toBeNull();
    expect(existsSync(join(dir, 'api-key.enc'))).toBe(false);
  });

  it('reports a key it cannot decrypt and keeps the file (the keychain may just be locked)', async () => {
    writeFileSync(join(dir, 'api-key.enc'), Buffer.from('garbage').toString('base64'));
    const store = await openSecretStore({ dir, safeStorage: fakeSafeStorage(), platform: 'darwin', report });
    expect(store.getApiKey()).toBeNull();
    expect(report.error).toHaveBeenCalledWith(expect.stringContaining('could not be decrypted'));
    expect(existsSync(join(dir, 'api-key.enc'))).toBe(true);
  });

  it('reports a failed encryption, keeping the key for this session', async () => {
    const safeStorage = fakeSafeStorage({ encryptStringAsync: async () => Promise.reject(new Error('keychain locked')) });
    const store = await openSecretStore({ dir, safeStorage, platform: 'darwin', report });
    store.setApiKey(KEY);
    await store.flush();
    expect(store.getApiKey()).toBe(KEY);
    expect(report.error).toHaveBeenCalledWith(expect.stringContaining('keychain locked'));
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('openSecretStore without OS encryption', () => {
  it.each([
    ['safeStorage has no encryption', 'darwin', fakeSafeStorage({ isAsyncEncryptionAvailable: async () => false })],
    ["Linux has no keyring (Chromium's hard-coded 'basic_text' key)", 'linux', fakeSafeStorage({ getSelectedStorageBackend: () => 'basic_text' })],
  ] as const)('keeps the key in memory only, says so, and writes nothing when %s', async (_why, platform, safeStorage) => {
    const store = await openSecretStore({ dir, safeStorage, platform, report });
    expect(store.kind).toBe('memory');
    expect(report.warn).toHaveBeenCalledWith(expect.stringContaining('memory'));
    store.setApiKey(KEY);
    await store.flush();
    expect(store.getApiKey()).toBe(KEY);
    expect(readdirSync(dir)).toEqual([]);
    expect(safeStorage.encryptStringAsync).not.toHaveBeenCalled();
  });

  it('does not wait forever for a keyring that never answers', async () => {
    const safeStorage = fakeSafeStorage({ isAsyncEncryptionAvailable: () => new Promise<boolean>(() => {}) });
    const store = await openSecretStore({ dir, safeStorage, platform: 'linux', report, timeoutMs: 20 });
    expect(store.kind).toBe('memory');
  });
});
