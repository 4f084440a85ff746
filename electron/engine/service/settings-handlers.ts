import type { ApiHandlers } from '#shared/api/contract.js';
import { describeRetryPolicy } from '../model/openai-client.js';
import type { SecretStore, SettingsStore } from '../persistence/settings.js';

/** What the app and settings methods read. */
export interface SettingsHandlerDeps {
  mode: 'desktop' | 'serve';
  version: string;
  settings: SettingsStore;
  secrets: SecretStore;
  /** Lines the user must see; read live. */
  notices?: readonly string[];
}

/** The API methods on the app itself and the remembered settings (the key is never returned). */
export function createSettingsHandlers(deps: SettingsHandlerDeps): Pick<ApiHandlers, 'app.info' | 'settings.load'> {
  return {
    async 'app.info'() {
      return { mode: deps.mode, version: deps.version, keyStorage: deps.secrets.kind, retryPolicy: describeRetryPolicy({}), notices: [...(deps.notices ?? [])] };
    },
    async 'settings.load'() {
      return { settings: deps.settings.load(), hasApiKey: deps.secrets.getApiKey() !== null };
    },
  };
}
