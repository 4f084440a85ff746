import { LOOP_DEFAULTS } from '#shared/loop/defaults.js';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { ChatMessage } from '#shared/model/chat.js';
import { urlHasCredentials } from '#shared/api/contract.js';
import { createEngine } from '../engine/loop/engine.js';
import { type RunOutcome } from '../engine/loop/run-handle.js';
import { createOpenAIModelClient, describeRetryPolicy } from '../engine/model/openai-client.js';
import { createRunFile } from '../engine/persistence/run-file.js';
import { openToolSources, ToolSourceError } from '../engine/tools/open-tools.js';
import { redactingTools } from '../engine/tools/redact-secret.js';
import { readMessagesFile, readToolsFile } from './input-files.js';
import { intOption, joinNegativeNumbers, jsonObjectOption, loopIntOption, numberOption } from './options.js';
import { writeJsonFile } from './output-files.js';
import { progressPrinter } from './progress.js';
import { UsageError } from './usage-error.js';

export const RUN_USAGE = `Usage: trajdbg run --base-url URL --model NAME (--messages FILE | --user TEXT [--system TEXT]) [options]

Runs the agent loop against an OpenAI-compatible server and writes its AgentResult.
  --base-url URL          OpenAI-compatible endpoint (or OPENAI_BASE_URL), e.g. http://127.0.0.1:8000/v1
  --api-key KEY           API key (or OPENAI_API_KEY); never written to any file
  --model NAME            model name sent with each request
  --messages FILE         initial messages: a JSON array of chat messages
  --system TEXT, --user TEXT   initial messages given inline instead of --messages
  --tools FILE            OpenAI tool schemas (JSON array); the valid tool names are theirs
  --tool-endpoint URL     executes the --tools tools: POST {tool_name, arguments, task_id}
  --mcp CMD               an MCP server command line (repeatable); its tools are offered
  --builtin-tools LIST    comma-separated: terminal,read_file,write_file (off unless listed);
                          terminal commands run without asking (there is no one to approve them here)
  --workspace DIR         folder the built-in tools are confined to (default: current folder)
  --max-turns N           (${LOOP_DEFAULTS.maxTurns})   --temperature T (${LOOP_DEFAULTS.temperature.toFixed(1)})   --max-tokens N   --max-context-tokens N
  --task-id ID            task id passed to tools (default: a random UUID)
  --extra-body JSON       extra request fields passed through, e.g. '{"top_k": 20}'
  --no-stream             use non-streaming requests
  --out FILE              write the AgentResult as JSON
  --run-file FILE         write the full run record (JSONL of events, appended as they happen)

Model calls: ${describeRetryPolicy({})}`;

const BUILTIN = ['terminal', 'read_file', 'write_file'] as const;
type BuiltinName = (typeof BUILTIN)[number];

/** The run's tools from the command line; a source that cannot be opened is bad usage. */
async function openTools(values: Record<string, string | string[] | boolean | undefined>, stderr: (line: string) => void) {
  const schemas = typeof values.tools === 'string' ? readToolsFile(values.tools) : [];
  const endpointURL = typeof values['tool-endpoint'] === 'string' ? values['tool-endpoint'] : null;
  // With no schemas the endpoint is never called (no tool name is valid): allowed, as the reference allows an empty list.
  if (endpointURL && schemas.length === 0) stderr('warning: --tool-endpoint: no --tools schemas, so no tool call reaches it');
  const builtin = typeof values['builtin-tools'] === 'string' ? values['builtin-tools'].split(',').map((s) => s.trim()).filter(Boolean) : [];
  for (const name of builtin) {
    if (!BUILTIN.includes(name as BuiltinName)) throw new UsageError(`--builtin-tools: unknown tool '${name}' (choose from ${BUILTIN.join(', ')})`);
  }
  try {
    return await openToolSources({
      schemas,
      endpointURL,
      mcpCommands: (values.mcp as string[] | undefined) ?? [],
      builtin: builtin as BuiltinName[],
      workspace: builtin.length > 0 ? resolve(typeof values.workspace === 'string' ? values.workspace : '.') : null,
    });
  } catch (error) {
    if (error instanceof ToolSourceError) throw new UsageError(`${error.source === 'mcp' ? '--mcp' : error.source === 'builtin' ? '--workspace' : '--tool-endpoint'}: ${error.message}`);
    throw error;
  }
}

function initialMessages(values: Record<string, unknown>): ChatMessage[] {
  if (typeof values.messages === 'string') {
    if (values.user !== undefined || values.system !== undefined) throw new UsageError('--messages: give either --messages or --system/--user, not both');
    return readMessagesFile(values.messages);
  }
  if (typeof values.user !== 'string') throw new UsageError('give the initial messages with --messages FILE or --user TEXT');
  const messages: ChatMessage[] = [];
  if (typeof values.system === 'string') messages.push({ role: 'system', content: values.system });
  messages.push({ role: 'user', content: values.user });
  return messages;
}

/** `trajdbg run`: one loop against a model server; exit 0 once it ended and its files are written. */
export async function runCommand(args: string[], env: NodeJS.ProcessEnv, stderr: (line: string) => void): Promise<number> {
  const { values } = parseArgs({
    // The reference takes a negative turn count or budget as is: so does `--max-turns -3`.
    args: joinNegativeNumbers(args, ['max-turns', 'max-context-tokens', 'max-tokens', 'temperature']),
    strict: true,
    options: {
      'base-url': { type: 'string' },
      'api-key': { type: 'string' },
      model: { type: 'string' },
      messages: { type: 'string' },
      system: { type: 'string' },
      user: { type: 'string' },
      tools: { type: 'string' },
      'tool-endpoint': { type: 'string' },
      mcp: { type: 'string', multiple: true },
      'builtin-tools': { type: 'string' },
      workspace: { type: 'string' },
      'max-turns': { type: 'string' },
      temperature: { type: 'string' },
      'max-tokens': { type: 'string' },
      'max-context-tokens': { type: 'string' },
      'task-id': { type: 'string' },
      'extra-body': { type: 'string' },
      'no-stream': { type: 'boolean' },
      out: { type: 'string' },
      'run-file': { type: 'string' },
    },
  });
  const baseURL = values['base-url'] ?? env.OPENAI_BASE_URL;
  if (!baseURL) throw new UsageError('--base-url: required (or set OPENAI_BASE_URL)');
  // Credentials in the URL would be written to the run file with it: the key has its own option.
  if (urlHasCredentials(baseURL)) throw new UsageError('--base-url: must not hold a user name or password: give the key with --api-key or OPENAI_API_KEY');
  if (!values.model) throw new UsageError('--model: required');
  const messages = initialMessages(values);
  const config = {
    maxTurns: loopIntOption('max-turns', values['max-turns'], stderr) ?? LOOP_DEFAULTS.maxTurns,
    temperature: numberOption('temperature', values.temperature) ?? LOOP_DEFAULTS.temperature,
    maxTokens: intOption('max-tokens', values['max-tokens']) ?? null,
    maxContextTokens: loopIntOption('max-context-tokens', values['max-context-tokens'], stderr) ?? null,
    ...(values['task-id'] ? { taskId: values['task-id'] } : {}),
  };
  // Accepted as the reference accepts them, but surely not what was meant.
  if (config.maxTurns <= 0) stderr(`warning: --max-turns ${config.maxTurns}: the loop makes no model call (turns_used ${config.maxTurns})`);
  if (config.maxContextTokens !== null && config.maxContextTokens <= 0) stderr(`warning: --max-context-tokens ${config.maxContextTokens}: every prompt is cut as far as the truncation goes`);
  const extraBody = jsonObjectOption('extra-body', values['extra-body']);
  const stream = !values['no-stream'];
  const apiKey = values['api-key'] ?? env.OPENAI_API_KEY;
  // Nothing started from here on (tools, MCP servers) inherits the key.
  delete env.OPENAI_API_KEY;
  let model;
  try {
    model = createOpenAIModelClient({ baseURL, apiKey, model: values.model, stream, ...(extraBody ? { extraBody } : {}) });
  } catch (error) {
    throw new UsageError(`--base-url ${baseURL}: ${(error as Error).message}`);
  }
  const runFile = values['run-file'] ? openRunFileOrFail(values['run-file']) : undefined;
  const opened = await openTools(values, stderr).catch((error: unknown) => {
    runFile?.close();
    throw error;
  });
  // A tool or a server may echo the key back: it is redacted before the loop records anything.
  const registry = redactingTools(opened.registry, apiKey);
  const sources = opened.sources;
  let outcome: RunOutcome;
  try {
    const engine = createEngine({ model, tools: registry, ...(runFile ? { sink: runFile } : {}) });
    const run = engine.start({ messages, config, source: { model: values.model, baseURL, stream, toolSources: sources } });
    run.subscribe(progressPrinter(stderr));
    const stop = () => run.stop();
    process.once('SIGINT', stop);
    outcome = await run.done;
    process.off('SIGINT', stop);
  } finally {
    runFile?.close();
    await registry.close?.();
  }
  if (values.out) writeJsonFile(values.out, outcome.result);
  if (values.out) stderr(`wrote ${values.out}`);
  // A run file the disk cut short was not written: its error (naming it) was the run's end.
  if (runFile) stderr(runFile.error ? `${runFile.path}: incomplete; ${runFile.error.message}` : `wrote ${runFile.path}`);
  return outcome.reason === 'failed' ? 1 : 0;
}

function openRunFileOrFail(path: string) {
  try {
    return createRunFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`--run-file ${path}: ${code === 'EEXIST' ? 'already exists (a run file is never overwritten)' : `cannot create it (${code ?? (error as Error).message})`}`);
  }
}
