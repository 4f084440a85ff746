/**
 * Every conformance case's model replies, served by the scripted server over real HTTP and read
 * back by the OpenAI client, streaming and not: each reply must come back as the case wrote it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ChatMessage, ToolSchema } from '../../../shared/model/chat.js';
import { loadScript, startScriptedServer } from '../scripted-server/scripted-server.js';
import type { ChatRequest } from './model-client.js';
import { createOpenAIModelClient, ModelCallError } from './openai-client.js';

const CASES_DIR = process.env.TRAJDBG_CONFORMANCE_CASES ?? fileURLToPath(new URL('../../../../shared/conformance/cases/', import.meta.url));

interface CaseFile {
  config?: { temperature?: number; max_tokens?: number | null };
  tools?: ToolSchema[];
  messages: ChatMessage[];
  model: unknown[];
}

const files = readdirSync(CASES_DIR).filter((f) => f.endsWith('.json')).sort();

describe('conformance cases through the scripted server and the OpenAI client', () => {
  it('finds all 24 cases', () => {
    expect(files).toHaveLength(24);
  });

  describe.each(files)('%s', (file) => {
    const data = JSON.parse(readFileSync(join(CASES_DIR, file), 'utf8')) as CaseFile;

    it.each([true, false])('returns every scripted reply unchanged (stream: %s)', async (stream) => {
      const script = loadScript(data);
      const server = await startScriptedServer({ script });
      try {
        const model = createOpenAIModelClient({ baseURL: server.url, model: 'scripted', stream, maxRetries: 0 });
        const request: ChatRequest = {
          messages: data.messages,
          n: 1,
          temperature: data.config?.temperature ?? 1.0,
          ...(data.tools?.length ? { tools: data.tools } : {}),
          ...(data.config?.max_tokens != null ? { max_tokens: data.config.max_tokens } : {}),
        };
        for (const [i, reply] of script.entries()) {
          const call = model.chatCompletion(request);
          if ('http_error' in reply) {
            const error = await call.then(() => null, (e: unknown) => e);
            expect(error, `reply ${i}`).toBeInstanceOf(ModelCallError);
            expect((error as ModelCallError).status).toBe(reply.http_error);
            continue;
          }
          const response = await call;
          if ('empty' in reply) {
            expect(response?.choices, `reply ${i}`).toEqual([]);
            continue;
          }
          const got = response!.choices[0]!.message;
          const want = reply.message;
          if (stream) {
            expect(got.content, `reply ${i} content`).toBe(want.content ?? null);
            expect(got.tool_calls, `reply ${i} tool_calls`).toEqual(want.tool_calls?.length ? want.tool_calls : null);
            for (const field of ['reasoning_content', 'reasoning', 'reasoning_details'] as const) {
              expect(got[field], `reply ${i} ${field}`).toEqual(want[field]);
            }
          } else {
            expect(got, `reply ${i}`).toEqual({ role: 'assistant', ...want });
          }
        }
        expect(server.requests).toHaveLength(script.length);
        for (const sent of server.requests) {
          expect(sent).toMatchObject({ ...request, model: 'scripted', stream });
        }
      } finally {
        await server.close();
      }
    });
  });
});
