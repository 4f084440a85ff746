import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AssistantReply, ChatMessage, ToolSchema } from '#shared/model/chat.js';
import { parseJsonExact } from '#shared/model/exact-json.js';
import { pyJsonDumps } from '#shared/python/json.js';
import type { LoopConfig } from '#shared/run/events.js';
import type { AgentResult } from '#shared/run/run-state.js';
import type { EngineTools } from '../engine/loop/run-handle.js';
import type { ChatRequest, ModelClient } from '../engine/model/model-client.js';
import { LOOP_DEFAULTS } from '#shared/loop/defaults.js';

/** A model reply in a conformance case (and in scripted-server scripts). */
export type CaseReply = { message: AssistantReply } | { http_error: number } | { empty: true };
/** A tool result in a conformance case. */
export type CaseToolOut = { result: string } | { raise: string } | { echo: true };

/** One conformance case: inputs and the reference loop's exact outputs. */
export interface ConformanceCase {
  name: string;
  config: { max_turns?: number; temperature?: number; max_tokens?: number | null; max_context_tokens?: number | null; task_id?: string };
  tools: ToolSchema[];
  messages: ChatMessage[];
  model: CaseReply[];
  tools_out: CaseToolOut[];
  expected: { result: AgentResult; requests: Array<Record<string, unknown>> };
}

/** The folder of the reference cases, beside this repository. */
export const CONFORMANCE_DIR = resolve(fileURLToPath(import.meta.url), '../../../../shared/conformance');

/** Corners this project pinned, with expectations produced by the reference (`npm run conformance:regen`). */
export const EXTRA_CASES_DIR = resolve(fileURLToPath(import.meta.url), '../cases');

/** Every reference case and every extra case, sorted by name within each folder. */
export function loadConformanceCases(dirs: string[] = [join(CONFORMANCE_DIR, 'cases'), EXTRA_CASES_DIR]): ConformanceCase[] {
  const cases: ConformanceCase[] = [];
  for (const dir of dirs) {
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
      // Integers beyond 2^53 stay exact, as the reference reads them.
      const data = parseJsonExact(readFileSync(join(dir, file), 'utf8')) as Omit<ConformanceCase, 'name'>;
      cases.push({ ...data, config: data.config ?? {}, tools: data.tools ?? [], tools_out: data.tools_out ?? [], name: file.replace(/\.json$/, '') });
    }
  }
  return cases;
}

/** The loop settings of a case, with the reference's defaults (and run_case.py's task id). */
export function caseConfig(c: ConformanceCase): LoopConfig {
  return {
    maxTurns: c.config.max_turns ?? LOOP_DEFAULTS.maxTurns,
    temperature: c.config.temperature ?? LOOP_DEFAULTS.temperature,
    maxTokens: c.config.max_tokens ?? LOOP_DEFAULTS.maxTokens,
    maxContextTokens: c.config.max_context_tokens ?? LOOP_DEFAULTS.maxContextTokens,
    taskId: c.config.task_id ?? 'conformance',
  };
}

/** A Python exception as run_case.py raises it, so error texts match byte for byte. */
export class PythonException extends Error {
  constructor(type: string, message: string) {
    super(message);
    this.name = type;
  }
}

/** run_case.py's `ScriptedServer`, in process: replies in order, requests recorded as sent. */
export function scriptedModel(replies: readonly CaseReply[]): ModelClient & { requests: ChatRequest[] } {
  const queue = [...replies];
  const requests: ChatRequest[] = [];
  return {
    requests,
    async chatCompletion(request) {
      requests.push(JSON.parse(JSON.stringify(request)) as ChatRequest);
      const reply = queue.shift();
      if (!reply) throw new Error('scripted model: no reply left');
      if ('http_error' in reply) throw new PythonException('RuntimeError', `HTTP ${reply.http_error}`);
      if ('empty' in reply) return { choices: [] };
      return { choices: [{ message: { content: null, tool_calls: null, ...structuredClone(reply.message) } }] };
    },
  };
}

/** run_case.py's `tool_handler_for`: results in call order; `echo` dumps the normalized args. */
export function scriptedTools(schemas: ToolSchema[], outs: readonly CaseToolOut[]): EngineTools {
  const queue = [...outs];
  return {
    schemas,
    validNames: new Set(schemas.map((s) => s.function.name)),
    async call(name, args) {
      const out = queue.shift();
      if (!out) throw new Error('scripted tools: no result left');
      if ('raise' in out) throw new PythonException('RuntimeError', out.raise);
      if ('echo' in out) return pyJsonDumps(new Map([['tool', name], ['args', args]]), { sortKeys: true });
      return out.result;
    },
  };
}
