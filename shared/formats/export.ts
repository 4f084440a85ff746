import { trajectoryHtml } from './export-html.js';
import { trajectoryMarkdown } from './export-markdown.js';
import { shareGptLine } from './export-sharegpt.js';
import { deriveAgentResult, type Trajectory } from './trajectory.js';
import type { ChatMessage } from '../model/chat.js';
import { INTERVENTION_MARK_KEY } from '../run/intervention.js';

/** The formats `convert --to` writes. */
export type ExportFormat = 'agent-result' | 'openai-jsonl' | 'sharegpt' | 'html' | 'markdown';

export const EXPORT_FORMATS: readonly ExportFormat[] = ['agent-result', 'openai-jsonl', 'sharegpt', 'html', 'markdown'];

/** True for the report formats, which hold exactly one trajectory. */
export function isSingleTrajectoryFormat(format: ExportFormat): boolean {
  return format === 'html' || format === 'markdown';
}

/** An input the export format cannot write (several trajectories for a report, or none). */
export class ExportError extends Error {
  override readonly name = 'ExportError';
}

/** Options of an export. */
export interface ExportOptions {
  /** The clock for `sharegpt`'s `timestamp` (hermes writes the time of saving). */
  now?: () => Date;
}

/** Writes an export as trajectories arrive: the text to append for each, then at the end. */
export interface ExportWriter {
  write(t: Trajectory): string;
  end(): string;
}

function tooMany(format: ExportFormat, count?: number): ExportError {
  const held = count === undefined ? 'more than one' : String(count);
  return new ExportError(`${format} exports one trajectory, and the input holds ${held}: pick one with --index N (from 0; --list shows them)`);
}

/**
 * A writer for one export format. `agent-result` writes one pretty JSON when the input holds
 * exactly one trajectory, else one JSON per line, so it keeps the first back until a second
 * arrives; the JSONL formats write each trajectory at once (memory does not grow with the input);
 * `html` and `markdown` report one trajectory and throw `ExportError` at a second one.
 */
export function createExportWriter(format: ExportFormat, options: ExportOptions = {}): ExportWriter {
  const writer = formatWriter(format, options);
  let last: Trajectory | null = null;
  // JSON.stringify recurses: a trajectory nested thousands deep (which the iterative JSON.parse
  // reads) overflows the stack. That is a trajectory this format cannot write, not a crash.
  const guarded = (run: () => string): string => {
    try {
      return run();
    } catch (error) {
      if (error instanceof RangeError) throw new ExportError(`${format} cannot write trajectory ${last?.id ?? ''}: ${error.message} (nested too deep, or too long, for JSON)`);
      throw error;
    }
  };
  return {
    write(t) {
      last = t;
      return guarded(() => writer.write(t));
    },
    end: () => guarded(() => writer.end()),
  };
}

function formatWriter(format: ExportFormat, options: ExportOptions): ExportWriter {
  const now = options.now ?? (() => new Date());
  const line = (value: unknown): string => `${JSON.stringify(value)}\n`;
  switch (format) {
    case 'openai-jsonl':
      // OpenAI's chat fine-tuning layout: the tools the model was offered go beside the messages.
      return {
        write(t) {
          const messages = t.messages.map(openAiChatMessage);
          return line(t.tools && t.tools.length > 0 ? { messages, tools: t.tools } : { messages });
        },
        end: () => '',
      };
    case 'sharegpt':
      return { write: (t) => `${shareGptLine(t, now())}\n`, end: () => '' };
    case 'agent-result': {
      let first: Trajectory | null = null;
      let count = 0;
      return {
        write(t) {
          count += 1;
          if (count === 1) {
            first = t;
            return '';
          }
          const held = first ? line(deriveAgentResult(first).result) : '';
          first = null;
          return held + line(deriveAgentResult(t).result);
        },
        end: () => (first ? `${JSON.stringify(deriveAgentResult(first).result, null, 2)}\n` : ''),
      };
    }
    case 'html':
    case 'markdown': {
      let only: Trajectory | null = null;
      return {
        write(t) {
          if (only) throw tooMany(format);
          only = t;
          return '';
        },
        end() {
          if (!only) throw new ExportError(`${format} exports one trajectory, and the input holds none`);
          return format === 'html' ? trajectoryHtml(only) : trajectoryMarkdown(only);
        },
      };
    }
  }
}

/** The keys of a chat message in OpenAI's fine-tuning format, with the reference's `reasoning_content`. */
const OPENAI_MESSAGE_KEYS = ['role', 'content', 'name', 'tool_calls', 'tool_call_id', 'function_call', 'weight', 'reasoning_content'] as const;

/** Fields a reply sets to null when it has none (the OpenAI SDKs' dumps, LiteLLM): left out as absent. */
const NULL_MEANS_NONE: ReadonlySet<string> = new Set(['tool_calls', 'function_call']);

/**
 * A message with its chat fields only. An imported message may carry what its source kept beside
 * them (a timestamp, a row id, `refusal`, `annotations`, a stop reason), which the message checks
 * of fine-tuning tools count as unrecognized keys; a null `tool_calls` or `function_call` is none. A tool call keeps its id, type and function, and
 * the mark of a call changed at a breakpoint ({@link INTERVENTION_MARK_KEY}).
 */
export function openAiChatMessage(message: ChatMessage): ChatMessage {
  const out: Record<string, unknown> = {};
  for (const key of OPENAI_MESSAGE_KEYS) if (Object.hasOwn(message, key) && message[key] !== undefined && !(message[key] === null && NULL_MEANS_NONE.has(key))) out[key] = message[key];
  if (message.tool_calls) {
    out.tool_calls = message.tool_calls.map((call) => ({
      ...(call.id !== undefined ? { id: call.id } : {}),
      type: call.type,
      function: { name: call.function.name, arguments: call.function.arguments },
      ...(Object.hasOwn(call, INTERVENTION_MARK_KEY) ? { [INTERVENTION_MARK_KEY]: call[INTERVENTION_MARK_KEY] } : {}),
    }));
  }
  return out as ChatMessage;
}

/**
 * The text of a file in an export format (see {@link createExportWriter}). `agent-result`: the
 * reference AgentResult (recorded fields kept, the rest derived); `openai-jsonl`: one
 * `{"messages": [...]}` per line; `sharegpt`: hermes-agent's ShareGPT trajectory JSONL; `html` and
 * `markdown`: a report of one trajectory.
 */
export function exportText(trajectories: readonly Trajectory[], format: ExportFormat, options: ExportOptions = {}): string {
  if (isSingleTrajectoryFormat(format) && trajectories.length > 1) throw tooMany(format, trajectories.length);
  const writer = createExportWriter(format, options);
  let text = '';
  for (const t of trajectories) text += writer.write(t);
  return text + writer.end();
}
