import { afterEach } from 'vitest';
import { startScriptedServer, type ScriptedReply, type ScriptedServer } from '../scripted-server/scripted-server.js';

/**
 * For a test file: a function that starts a scripted model server, every one of which is closed
 * after each test.
 */
export function useScriptedServers(): (script: ScriptedReply[]) => Promise<ScriptedServer> {
  const servers: ScriptedServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });
  return async (script) => {
    const server = await startScriptedServer({ script });
    servers.push(server);
    return server;
  };
}
