import type { RunSettings } from '#shared/api/contract.js';

/** The settings without the API key: what a settings store may keep. */
export function withoutApiKey(settings: RunSettings): RunSettings {
  const { apiKey: _apiKey, ...endpoint } = settings.endpoint;
  return { ...settings, endpoint };
}

/** Where the last run settings are remembered (never with the API key). */
export interface SettingsStore {
  load(): RunSettings | null;
  save(settings: RunSettings): void;
}

/**
 * Where the API key is kept: the OS keychain through Electron's safeStorage in the desktop app,
 * memory only in serve mode. Never a run file, an export or a log.
 */
export interface SecretStore {
  readonly kind: 'os-keychain' | 'memory';
  getApiKey(): string | null;
  setApiKey(key: string): void;
}

/** A secret store that forgets the key when the process ends (serve mode, tests). */
export function memorySecretStore(): SecretStore {
  let key: string | null = null;
  return {
    kind: 'memory',
    getApiKey: () => key,
    setApiKey: (value) => {
      key = value;
    },
  };
}
