import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { WIRE_PATH } from '#shared/api/wire.js';
import { memorySecretStore } from '../engine/persistence/settings.js';
import { describeRetryPolicy } from '../engine/model/openai-client.js';
import { TOKEN_COOKIE } from './host-security.js';
import { serveApp } from './serve-app.js';
import { fileSettingsStore } from '../engine/persistence/settings-file.js';

describe('serveApp: the real API service behind the host', () => {
  it('answers app.info and runs the demo with its events pushed over the WebSocket', async () => {
    const work = mkdtempSync(join(tmpdir(), 'trajdbg-serve-app-'));
    const rendererDir = join(work, 'renderer');
    const runsDir = join(work, 'runs');
    mkdirSync(rendererDir);
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>t</title>');
    const app = await serveApp({ version: '1.2.3', rendererDir, runsDir, settings: fileSettingsStore(join(work, 'settings.json')), secrets: memorySecretStore(), log: () => {} });
    try {
      const { port } = new URL(app.origin);
      const ws = new WebSocket(`ws://127.0.0.1:${port}${WIRE_PATH}`, { origin: app.origin, headers: { Cookie: `${TOKEN_COOKIE}=${app.token}` } });
      const messages: Array<Record<string, unknown>> = [];
      const waiters: Array<() => void> = [];
      ws.on('message', (data) => {
        messages.push(JSON.parse(String(data)) as Record<string, unknown>);
        waiters.splice(0).forEach((wake) => wake());
      });
      const until = async (found: () => unknown) => {
        while (!found()) await new Promise<void>((resolve) => waiters.push(resolve));
        return found();
      };
      await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));

      ws.send(JSON.stringify({ id: 1, method: 'app.info', params: {} }));
      expect(await until(() => messages.find((m) => m.id === 1))).toEqual({ id: 1, result: { mode: 'serve', version: '1.2.3', keyStorage: 'memory', retryPolicy: describeRetryPolicy({}), notices: [] } });
      ws.send(JSON.stringify({ id: 2, method: 'settings.load', params: {} }));
      expect(await until(() => messages.find((m) => m.id === 2))).toEqual({ id: 2, result: { settings: null, hasApiKey: false } });

      ws.send(JSON.stringify({ id: 3, method: 'run.demo', params: {} }));
      const { result } = (await until(() => messages.find((m) => m.id === 3))) as { result: { runId: string } };
      const pushed = () => messages.flatMap((m) => (m.events as Array<{ type: string; runId: string }> | undefined) ?? []);
      const finished = (await until(() => pushed().find((e) => e.type === 'run_finished'))) as { runId: string };
      expect(finished.runId).toBe(result.runId);
      expect(readdirSync(runsDir)).toHaveLength(1);
      ws.close();
    } finally {
      await app.close();
    }
  });
});
