import { z } from 'zod';
import type { ChatRequest, ModelCallEdit } from '#shared/loop/chat-request.js';
import { chatMessageSchema, toolSchemaSchema } from '#shared/model/chat.js';
import { typedMaxTokens, typedTemperature } from '../../ui/sampling-fields.js';

/** A model call as its form edits it: every field as typed. */
export interface CallDraft {
  model: string;
  temperature: string;
  maxTokens: string;
  messages: string;
  /** The tool schemas sent with the call, as JSON (`[]`: none, and no `tools` key is sent). */
  tools: string;
}

/** The form's starting point: the call as the loop built it. */
export function draftOf(request: ChatRequest, model: string): CallDraft {
  return {
    model: request.model ?? model,
    temperature: String(request.temperature),
    maxTokens: request.max_tokens?.toString() ?? '',
    messages: JSON.stringify(request.messages, null, 2),
    tools: JSON.stringify(request.tools ?? [], null, 2),
  };
}

/** The problems of a draft, by field; empty when it can be sent. */
export type CallProblems = Partial<Record<'temperature' | 'maxTokens' | 'messages' | 'tools', string>>;

const messagesSchema = z.array(chatMessageSchema).min(1);
const toolsSchema = z.array(toolSchemaSchema);

/** A JSON field of the form, parsed, or the problem to show beside it. */
function parsedJson(text: string): { value: unknown } | { problem: string } {
  try {
    return { value: JSON.parse(text) };
  } catch (error) {
    return { problem: `Not valid JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/**
 * What the draft changes in `base` (fields equal to the base's are left out), or the problems
 * that keep it from being sent. `model` is the model the base call goes to.
 */
export function editOf(draft: CallDraft, base: ChatRequest, model: string): { edit: ModelCallEdit } | { problems: CallProblems } {
  const problems: CallProblems = {};
  const edit: ModelCallEdit = {};
  const chosen = draft.model.trim();
  if (chosen !== '' && chosen !== (base.model ?? model)) edit.model = chosen;
  const temperature = typedTemperature(draft.temperature);
  if ('problem' in temperature) problems.temperature = temperature.problem;
  else if (temperature.value !== base.temperature) edit.temperature = temperature.value;
  const maxTokens = typedMaxTokens(draft.maxTokens);
  if ('problem' in maxTokens) problems.maxTokens = maxTokens.problem;
  else if (maxTokens.value !== (base.max_tokens ?? null)) edit.maxTokens = maxTokens.value;
  const messagesJson = parsedJson(draft.messages);
  if ('problem' in messagesJson) problems.messages = messagesJson.problem;
  else {
    const messages = messagesSchema.safeParse(messagesJson.value);
    if (!messages.success) problems.messages = 'Messages must be a list of at least one chat message, each with a role';
    else if (JSON.stringify(messages.data) !== JSON.stringify(base.messages)) edit.messages = messages.data;
  }
  const toolsJson = parsedJson(draft.tools.trim() === '' ? '[]' : draft.tools);
  if ('problem' in toolsJson) problems.tools = toolsJson.problem;
  else {
    const tools = toolsSchema.safeParse(toolsJson.value);
    if (!tools.success) problems.tools = 'Tools must be a list of tool schemas, each {"type": "function", "function": {"name": ...}}';
    else if (JSON.stringify(tools.data) !== JSON.stringify(base.tools ?? [])) edit.tools = tools.data;
  }
  return Object.keys(problems).length > 0 ? { problems } : { edit };
}

/** The fields of one model call: model, temperature, max tokens, the messages and the tool schemas. */
export function CallFields({ id, draft, problems, update }: { id: string; draft: CallDraft; problems: CallProblems; update(draft: CallDraft): void }) {
  const set = <K extends keyof CallDraft>(key: K, value: CallDraft[K]) => update({ ...draft, [key]: value });
  return (
    <div className="call-fields">
      <div className="field-row">
        <div className="field">
          <label htmlFor={`${id}-model`}>Model</label>
          <input id={`${id}-model`} value={draft.model} placeholder="the endpoint's model" onChange={(e) => set('model', e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-temperature`}>Temperature</label>
          <input id={`${id}-temperature`} value={draft.temperature} onChange={(e) => set('temperature', e.target.value)} aria-invalid={problems.temperature !== undefined} />
          {problems.temperature && <p className="field-error">{problems.temperature}</p>}
        </div>
        <div className="field">
          <label htmlFor={`${id}-max-tokens`}>Max tokens</label>
          <input id={`${id}-max-tokens`} value={draft.maxTokens} placeholder="server default" onChange={(e) => set('maxTokens', e.target.value)} aria-invalid={problems.maxTokens !== undefined} />
          {problems.maxTokens && <p className="field-error">{problems.maxTokens}</p>}
        </div>
      </div>
      <JsonField id={`${id}-messages`} label="Messages (JSON)" rows={12} value={draft.messages} problem={problems.messages} onChange={(v) => set('messages', v)} />
      <JsonField id={`${id}-tools`} label="Tools (JSON)" rows={6} value={draft.tools} problem={problems.tools} onChange={(v) => set('tools', v)} />
    </div>
  );
}

/** A JSON text field of the form, with its problem (if any) announced beside it. */
function JsonField({ id, label, rows, value, problem, onChange }: { id: string; label: string; rows: number; value: string; problem: string | undefined; onChange(value: string): void }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea id={id} className="call-messages" rows={rows} spellCheck={false} value={value} onChange={(e) => onChange(e.target.value)} aria-invalid={problem !== undefined} />
      {problem && (
        <p role="alert" className="field-error">
          {problem}
        </p>
      )}
    </div>
  );
}
