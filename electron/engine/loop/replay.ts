import type { AssistantReply, ChatMessage, ToolSchema } from '#shared/model/chat.js';
import { calledNames, pairToolResults } from '#shared/formats/trajectory.js';
import { isKnownTool, recordedExceptionText } from '#shared/loop/tool-outcome.js';
import type { EngineTools } from './run-handle.js';
import type { ModelClient } from '../model/model-client.js';

/** A recorded trajectory to replay, with what its file says of how it ended (when it says). */
export interface RecordedTrajectory {
  messages: ChatMessage[];
  turnsUsed?: number;
  finishedNaturally?: boolean;
}

/** What the engine needs to replay a trajectory: initial messages, a model and tools that answer from the record. */
export interface ReplayPlan {
  initialMessages: ChatMessage[];
  model: ModelClient;
  tools: EngineTools;
  /** The turn limit that ends the replay where the recording ended. */
  maxTurns: number;
  /** Model replies in the recording. */
  replies: number;
}

/** The error a replayed model call raises once the recording has no more replies. */
export class RecordingEnded extends Error {
  constructor(turn: number) {
    super(`the recorded trajectory has no model reply for turn ${turn}`);
    this.name = 'RecordingEnded';
  }
}

/** A recorded tool exception is raised again, so the replay records it as an exception too. */
function recordedException(result: string): Error | null {
  const text = recordedExceptionText(result);
  if (text === null) return null;
  const split = text.indexOf(': ');
  const error = new Error(split < 0 ? text : text.slice(split + 2));
  error.name = split < 0 ? 'Error' : text.slice(0, split);
  return error;
}

/** The reply a server would have sent for a recorded assistant message. */
function replyOf(message: ChatMessage): AssistantReply {
  const reply: AssistantReply = { role: 'assistant', content: message.content ?? null, tool_calls: message.tool_calls ?? null };
  if (message.reasoning_content !== undefined) reply.reasoning_content = message.reasoning_content;
  return reply;
}

/**
 * Plans a replay: the recorded assistant messages become the model's replies and the recorded
 * tool messages the tools' results, so the engine recomputes prompt views, metrics and errors
 * under any budget. Tool names are valid when `toolSchemas` declares them, or, without schemas,
 * when they occur in the trajectory.
 */
export function planReplay(recording: RecordedTrajectory, toolSchemas?: readonly ToolSchema[]): ReplayPlan {
  const { messages } = recording;
  const firstReply = messages.findIndex((m) => m.role === 'assistant');
  const initialMessages = firstReply < 0 ? [...messages] : messages.slice(0, firstReply);
  const turns: Array<{ reply: AssistantReply; results: Array<string | undefined> }> = [];
  for (let i = initialMessages.length; i < messages.length; i++) {
    const message = messages[i]!;
    if (message.role !== 'assistant') continue;
    const results: ChatMessage[] = [];
    for (let j = i + 1; j < messages.length && messages[j]!.role === 'tool'; j++) results.push(messages[j]!);
    turns.push({ reply: replyOf(message), results: pairToolResults(message.tool_calls ?? [], results) });
  }
  const names = toolSchemas
    ? new Set(toolSchemas.map((s) => s.function.name))
    : new Set(turns.flatMap((t) => calledNames(t.reply.tool_calls ?? [])));
  const schemas = toolSchemas ? [...toolSchemas] : [...names].map((name): ToolSchema => ({ type: 'function', function: { name, parameters: { type: 'object' } } }));

  let turnIndex = -1;
  let queue: Array<string | undefined> = [];
  const model: ModelClient = {
    async chatCompletion() {
      turnIndex += 1;
      const turn = turns[turnIndex];
      if (!turn) throw new RecordingEnded(turnIndex + 1);
      const calls = turn.reply.tool_calls ?? [];
      queue = turn.results.filter((_, k) => isKnownTool(names, calls[k]!.function.name));
      return { choices: [{ message: structuredClone(turn.reply) }] };
    },
  };
  const tools: EngineTools = {
    schemas,
    validNames: names,
    async call(name) {
      if (queue.length === 0) throw new Error(`the recorded trajectory has no result for this call of '${name}'`);
      const result = queue.shift();
      if (result === undefined) throw new Error(`the recorded trajectory has no result for this call of '${name}'`);
      const exception = recordedException(result);
      if (exception) throw exception;
      return result;
    },
  };
  // A run cut off by its turn limit replays with that limit, zero or negative included (the
  // reference then makes no call and reports it as turns_used); otherwise one turn per reply.
  const maxTurns = recording.finishedNaturally === false && recording.turnsUsed !== undefined ? recording.turnsUsed : Math.max(1, turns.length);
  return { initialMessages, model, tools, maxTurns, replies: turns.length };
}
