import { describe, expect, it } from 'vitest';
import { applyModelCallEdit, buildChatRequest, describeModelCallEdit, isEmptyEdit, recordedChatRequest, requestParamsOf } from './chat-request.js';

const tool = { type: 'function' as const, function: { name: 'read_file' } };

describe('buildChatRequest', () => {
  it('orders the body as the reference builds chat_kwargs, tools and max_tokens only when set', () => {
    const body = buildChatRequest({ messages: [{ role: 'user', content: 'u' }], temperature: 0.5, maxTokens: 10, tools: [tool] });
    expect(Object.keys(body)).toEqual(['messages', 'n', 'temperature', 'tools', 'max_tokens']);
    expect(buildChatRequest({ messages: [], temperature: 1, maxTokens: null, tools: [] })).toEqual({ messages: [], n: 1, temperature: 1 });
  });

  it('records the parameters of a request and rebuilds the request from them', () => {
    const body = buildChatRequest({ messages: [{ role: 'user', content: 'u' }], temperature: 0.5, maxTokens: 10, tools: [tool] });
    const params = requestParamsOf(body);
    expect(params).toEqual({ n: 1, temperature: 0.5, max_tokens: 10, tools: true });
    expect(recordedChatRequest(body.messages, params, [tool])).toEqual(body);
  });
});

describe('applyModelCallEdit', () => {
  const request = buildChatRequest({ messages: [{ role: 'user', content: 'u' }], temperature: 1, maxTokens: 10, tools: [tool] });

  it('changes only what the edit gives, and can remove max tokens and tools', () => {
    expect(applyModelCallEdit(request, {})).toEqual(request);
    expect(applyModelCallEdit(request, { temperature: 0, model: 'm' })).toEqual({ ...request, temperature: 0, model: 'm' });
    const bare = applyModelCallEdit(request, { maxTokens: null, tools: [], messages: [{ role: 'user', content: 'v' }] });
    expect(bare).toEqual({ messages: [{ role: 'user', content: 'v' }], n: 1, temperature: 1 });
  });

  it('says what an edit changed', () => {
    expect(isEmptyEdit({})).toBe(true);
    expect(isEmptyEdit({ temperature: 0 })).toBe(false);
    expect(describeModelCallEdit({ temperature: 0.2, maxTokens: null, messages: [{ role: 'user' }] })).toBe('temperature 0.2, no max tokens, messages');
  });
});
