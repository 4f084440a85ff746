import { createServer } from 'node:net';
import { expect } from 'vitest';
import type { ScriptedServer } from '../scripted-server/scripted-server.js';
import type { ChatRequest, ModelResponse } from '../engine/model/model-client.js';
import { createOpenAIModelClient, ModelCallError, type OpenAIClientOptions } from '../engine/model/openai-client.js';

/** The API key every model client test plants, to check that no message ever holds it. */
export const KEY = 'sk-PLANTED-test-key-0123456789abcdef';

/** An OpenAI client for a scripted server (or a URL), with the planted key and no retries. */
export function client(server: ScriptedServer | string, options: Partial<OpenAIClientOptions> = {}) {
  const baseURL = typeof server === 'string' ? server : server.url;
  return createOpenAIModelClient({ baseURL, apiKey: KEY, model: 'test-model', maxRetries: 0, ...options });
}

/** A small chat request. */
export function request(over: Partial<ChatRequest> = {}): ChatRequest {
  return { messages: [{ role: 'system', content: 'be brief' }, { role: 'user', content: 'hi' }], n: 1, temperature: 1, ...over };
}

/** The ModelCallError a call rejects with, checked to be one line and free of the key. */
export async function failure(promise: Promise<unknown>): Promise<ModelCallError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(ModelCallError);
    const error = err as ModelCallError;
    // Every message is one line and never holds the key.
    expect(error.message).not.toContain(KEY);
    expect(error.message).not.toMatch(/\n/);
    expect(String(error.stack)).not.toContain(KEY);
    expect(JSON.stringify(error)).not.toContain(KEY);
    return error;
  }
  throw new Error('expected the model call to fail');
}

/** A port on 127.0.0.1 nothing listens on. */
export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** The one choice's message of a response. */
export function message(response: ModelResponse | null) {
  expect(response?.choices.length).toBe(1);
  return response!.choices[0]!.message;
}
