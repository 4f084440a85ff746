import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { memorySecretStore, type SecretStore } from '../engine/persistence/settings.js';
import { writeFileAtomic } from '../engine/persistence/atomic-file.js';
import { messageOf } from '#shared/rpc/errors.js';


/** Where problems are reported (console in the app, a spy in tests). */
export type Reporter = Pick<Console, 'error' | 'warn'>;
/** The part of Electron's safeStorage the secret store uses (the asynchronous API). */
export interface SafeStorageApi {
  isAsyncEncryptionAvailable(): Promise<boolean>;
  encryptStringAsync(plainText: string): Promise<Buffer>;
  decryptStringAsync(encrypted: Buffer): Promise<{ shouldReEncrypt: boolean; result: string }>;
  getSelectedStorageBackend(): string;
}

/** A SecretStore whose writes to disk finish in the background; `flush` waits for them. */
export interface DesktopSecretStore extends SecretStore {
  flush(): Promise<void>;
}

export interface SecretStoreOptions {
  /** The app's userData folder; the key's ciphertext is kept in `api-key.enc` there. */
  dir: string;
  safeStorage: SafeStorageApi;
  platform?: NodeJS.Platform;
  report?: Reporter;
  /** How long to wait for the OS to say whether it can encrypt (then: memory only). */
  timeoutMs?: number;
}

/**
 * Whether safeStorage protects the key with the OS: on Linux without a keyring Chromium falls back
 * to 'basic_text', a key hard-coded in Chromium, which is obfuscation rather than protection.
 */
async function osEncryptionAvailable(safeStorage: SafeStorageApi, platform: NodeJS.Platform, timeoutMs: number): Promise<boolean> {
  // A keyring that never answers must not keep the window from opening.
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  const available = await Promise.race([safeStorage.isAsyncEncryptionAvailable(), timedOut]).finally(() => clearTimeout(timer));
  if (!available) return false;
  if (platform !== 'linux') return true;
  const backend = safeStorage.getSelectedStorageBackend();
  return backend !== 'basic_text' && backend !== 'unknown';
}

/**
 * The desktop's SecretStore: the API key encrypted by the OS keychain through safeStorage, its
 * ciphertext (base64) alone in `api-key.enc`. The plain key is held in memory only. When the OS
 * offers no encryption the key stays in memory and the store says so (`kind: 'memory'`).
 * Call after the app is ready. Uses safeStorage's asynchronous API (the synchronous one is
 * deprecated in Electron 45), so writes complete in the background: `flush` before quitting.
 */
export async function openSecretStore(options: SecretStoreOptions): Promise<DesktopSecretStore> {
  const { dir, safeStorage, platform = process.platform, report = console, timeoutMs = 10_000 } = options;
  const file = join(dir, 'api-key.enc');

  if (!(await osEncryptionAvailable(safeStorage, platform, timeoutMs))) {
    report.warn('OS encryption (safeStorage) is not available: the API key will be kept in memory only and asked for again next time.');
    return { ...memorySecretStore(), flush: async () => {} };
  }

  let key: string | null = null;
  let writes: Promise<void> = Promise.resolve();

  async function persist(value: string | null): Promise<void> {
    if (value === null) {
      rmSync(file, { force: true });
      return;
    }
    const ciphertext = await safeStorage.encryptStringAsync(value);
    writeFileAtomic(file, ciphertext.toString('base64'), 0o600);
  }

  function queue(value: string | null): void {
    writes = writes.then(() => persist(value)).catch((error: unknown) => {
      report.error(`The API key could not be stored in ${file}: ${messageOf(error)}`);
    });
  }

  if (existsSync(file)) {
    try {
      const { result, shouldReEncrypt } = await safeStorage.decryptStringAsync(Buffer.from(readFileSync(file, 'utf8').trim(), 'base64'));
      key = result;
      if (shouldReEncrypt) queue(key);
    } catch (error) {
      // Left in place: the keychain may only be locked. Setting a new key replaces it.
      report.error(`The stored API key in ${file} could not be decrypted: ${messageOf(error)}`);
    }
  }

  return {
    kind: 'os-keychain',
    getApiKey: () => key,
    setApiKey(value: string): void {
      // An empty key clears the stored one.
      key = value === '' ? null : value;
      queue(key);
    },
    flush: () => writes,
  };
}
