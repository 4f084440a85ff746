import { describe, expect, it } from 'vitest';
import { buildChatRequest } from '#shared/loop/chat-request.js';
import { draftOf, editOf } from './call-fields.js';

const tool = { type: 'function' as const, function: { name: 'read_file' } };
const base = buildChatRequest({ messages: [{ role: 'user', content: 'u' }], temperature: 1, maxTokens: 100, tools: [tool] });

describe('editOf', () => {
  it('changes nothing for the draft of the call itself', () => {
    expect(editOf(draftOf(base, 'm'), base, 'm')).toEqual({ edit: {} });
  });

  it('keeps only the fields that differ from the call', () => {
    const draft = { ...draftOf(base, 'm'), model: 'other', temperature: '0.5', maxTokens: '', tools: '[]', messages: '[{"role": "user", "content": "v"}]' };
    expect(editOf(draft, base, 'm')).toEqual({ edit: { model: 'other', temperature: 0.5, maxTokens: null, tools: [], messages: [{ role: 'user', content: 'v' }] } });
  });

  it('sends changed tool schemas (a description, a new tool), and none for an empty list', () => {
    const described = { type: 'function' as const, function: { name: 'read_file', description: 'Read one file of the workspace' } };
    const grep = { type: 'function' as const, function: { name: 'grep', parameters: { type: 'object' } } };
    expect(editOf({ ...draftOf(base, 'm'), tools: JSON.stringify([described, grep]) }, base, 'm')).toEqual({ edit: { tools: [described, grep] } });
    expect(editOf({ ...draftOf(base, 'm'), tools: '' }, base, 'm')).toEqual({ edit: { tools: [] } });
    expect(editOf({ ...draftOf(base, 'm'), tools: '[{"name": "x"}]' }, base, 'm')).toEqual({ problems: { tools: expect.stringMatching(/list of tool schemas/) } });
  });

  it('names each field that cannot be sent', () => {
    const draft = { ...draftOf(base, 'm'), temperature: '3', maxTokens: '0', messages: '[' };
    const result = editOf(draft, base, 'm');
    expect(result).toEqual({ problems: { temperature: expect.stringMatching(/from 0 to 2/), maxTokens: expect.stringMatching(/above 0/), messages: expect.stringMatching(/^Not valid JSON/) } });
    expect(editOf({ ...draftOf(base, 'm'), messages: '[]' }, base, 'm')).toEqual({ problems: { messages: expect.stringMatching(/at least one chat message/) } });
  });
});
