/**
 * Every conformance case's model replies, served by the scripted server over real HTTP and read
 * back by the OpenAI client, streaming and not: each reply must come back as the case wrote it.
 */
import { describe, expect, it } from 'vitest';
import { loadScript, startScriptedServer } from '../../scripted-server/scripted-server.js';
import { loadConformanceCases } from '../../testing/conformance.js';
import type { ChatRequest } from './model-client.js';
import { createOpenAIModelClient, ModelCallError } from './openai-client.js';

const cases = loadConformanceCases();

describe('conformance cases through the scripted server and the OpenAI client', () => {
  it('finds the reference cases and the extra ones', () => {
    expect(cases.length).toBeGreaterThanOrEqual(24);
  });

  describe.each(cases.map((c) => [c.name, c] as const))('%s', (_name, data) => {

    it.each([true, false])('returns every scripted reply unchanged (stream: %s)', async (stream) => {
      const script = loadScript(data);
      const server = await startScriptedServer({ script });
      try {
        const model = createOpenAIModelClient({ baseURL: server.url, model: 'scripted', stream, maxRetries: 0 });
        const request: ChatRequest = {
          messages: data.messages,
          n: 1,
          temperature: data.config.temperature ?? 1.0,
          ...(data.tools.length ? { tools: data.tools } : {}),
          ...(data.config.max_tokens != null ? { max_tokens: data.config.max_tokens } : {}),
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
              // An empty string streams as no delta at all: the same reasoning to the loop.
              expect(got[field], `reply ${i} ${field}`).toEqual(want[field] === '' ? undefined : want[field]);
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
