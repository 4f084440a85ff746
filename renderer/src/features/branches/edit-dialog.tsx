import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { BranchChange } from '#shared/api/contract.js';
import type { RunSnapshot } from '#shared/run/run-state.js';
import type { EditTarget } from '../../store/dialog-slice.js';
import { useStore } from '../../store/store.js';
import { EditForm } from '../../ui/edit-form.js';
import { contentText } from '../../ui/content-text.js';
import { indentJson, prettyJson } from '../../ui/pretty-json.js';
import { MonacoEditor, type EditorProblem } from '../monaco/monaco-editor.js';
import { pendingToolCalls } from '../trajectory/pending-calls.js';
import { playsRecording, toolParameters } from '../trajectory/pending-tool-calls.js';
import { AskOnceForm } from '../intervene/ask-once-dialog.js';
import './edit-dialog.css';
import { typedMaxTokens, typedTemperature } from '../../ui/sampling-fields.js';
import { messageOf } from '#shared/rpc/errors.js';

/** `JSON.parse`'s complaint about a text, or null when it parses. */
export function jsonProblem(text: string): string | null {
  try {
    JSON.parse(text);
    return null;
  } catch (error) {
    return messageOf(error);
  }
}

function Shell({ title, children, onClose }: { title: string; children: ReactNode; onClose(): void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    if (!dialog.current?.open) dialog.current?.showModal();
  }, []);
  return (
    <dialog ref={dialog} className="edit-dialog" aria-labelledby="edit-title" onClose={onClose}>
      <header className="dialog-head">
        <h2 id="edit-title">{title}</h2>
      </header>
      {children}
    </dialog>
  );
}

/** Starts the branch, keeping engine errors inline; closes the dialog once the branch runs. */
function useBranch(runId: string) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [startPaused, setStartPaused] = useState(false);
  const close = useStore((s) => s.openEdit);
  async function start(change: BranchChange, reuseToolResults = false): Promise<void> {
    setError(null);
    setBusy(true);
    try {
      await useStore.getState().branchRun(runId, change, { reuseToolResults, startPaused });
      close(null);
    } catch (e) {
      setError(messageOf(e));
      setBusy(false);
    }
  }
  return { error, busy, start, startPaused, setStartPaused };
}

function Actions({ busy, disabled, label, error, onCancel, startPaused, setStartPaused }: ReturnType<typeof useBranch> & { disabled?: boolean; label: string; onCancel(): void }) {
  return (
    <>
      <label className="toggle">
        <input type="checkbox" checked={startPaused} onChange={(e) => setStartPaused(e.target.checked)} />
        Pause at the fork (then Step or Run, with the breakpoints set above)
      </label>
      {error && (
        <p role="alert" className="form-alert">
          The branch could not start: {error}
        </p>
      )}
      <div className="dialog-actions">
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="primary" disabled={busy || disabled}>
          {busy ? 'Starting…' : label}
        </button>
      </div>
    </>
  );
}

const FORK_NOTE = 'A new branch runs from here against the model and the real tools; this run stays as it is.';

function ArgumentsEditor({ snapshot, turn, index, onCancel }: { snapshot: RunSnapshot; turn: number; index: number; onCancel(): void }) {
  const call = snapshot.turns[turn - 1]!.toolCalls[index]!;
  const initial = useMemo(() => (jsonProblem(call.arguments) === null ? prettyJson(call.arguments) : call.arguments), [call]);
  const [text, setText] = useState(initial);
  const [problems, setProblems] = useState<EditorProblem[]>([]);
  const [reuse, setReuse] = useState(false);
  const schema = toolParameters(snapshot, call.name);
  const parseError = jsonProblem(text);
  const schemaIssues = parseError === null ? problems : [];
  const branch = useBranch(snapshot.runId);
  const { start } = branch;
  const others = snapshot.turns[turn - 1]!.toolCalls.length - 1;
  return (
    <EditForm
      onSubmit={() => {
        if (parseError === null) void start({ kind: 'tool_arguments', turn, arguments: [{ index, arguments: text }] }, reuse);
      }}
    >
      <p className="hint">{FORK_NOTE}</p>
      <div className="edit-columns">
        <div className="edit-main">
          <h3 className="field-label" id="edit-args-label">
            Raw arguments{schema ? ` (checked against ${call.name}'s parameter schema)` : ' (the run has no schema for this tool)'}
          </h3>
          <MonacoEditor initial={initial} language="json" label={`Arguments of ${call.name}`} schema={schema} onChange={setText} onProblems={setProblems} className="edit-editor" />
        </div>
        <div className="edit-side">
          <h3 className="field-label">Normalized by the engine</h3>
          <pre className="code">{call.normalizedArguments === null ? '(unknown tool: not normalized)' : indentJson(call.normalizedArguments)}</pre>
        </div>
      </div>
      {parseError !== null && (
        <p role="alert" className="field-error">
          Not valid JSON: {parseError}
        </p>
      )}
      <SchemaWarning tool={call.name} issues={schemaIssues} />
      <label className="toggle">
        <input type="checkbox" checked={reuse} onChange={(e) => setReuse(e.target.checked)} />
        Reuse recorded tool results for calls that did not change{others > 0 ? ` (the other ${others} of this turn and later identical calls)` : ''}
      </label>
      <Actions {...branch} disabled={parseError !== null} label="Re-run turn" onCancel={onCancel} />
    </EditForm>
  );
}

/** Problems the editor found against the tool's schema, with the warning that they may still be sent. */
function SchemaWarning({ tool, issues }: { tool: string; issues: EditorProblem[] }) {
  if (issues.length === 0) return null;
  return (
    <div role="status" className="schema-warning">
      <p>These arguments do not match {tool}'s parameter schema. You can still send them: the tool sees them as they are.</p>
      <ul>
        {issues.map((p, i) => (
          <li key={i}>
            line {p.line}, column {p.column}: {p.message}
          </li>
        ))}
      </ul>
    </div>
  );
}

/**
 * The arguments of a tool call that has not run yet, while the run waits before it: saved on the
 * run itself (no branch), to run when the user continues. A replay runs no tools: there the
 * arguments continue as a branch from the turn, the replay left as it is.
 */
function PendingArgumentsEditor({ snapshot, turn, index, onCancel }: { snapshot: RunSnapshot; turn: number; index: number; onCancel(): void }) {
  const record = snapshot.turns[turn - 1];
  const call = record ? pendingToolCalls(record).find((c) => c.index === index) : undefined;
  const modelArguments = record?.reply?.tool_calls?.[index]?.function.arguments ?? '';
  const current = call?.arguments ?? modelArguments;
  const initial = useMemo(() => (jsonProblem(current) === null ? prettyJson(current) : current), [current]);
  const [text, setText] = useState(initial);
  const [problems, setProblems] = useState<EditorProblem[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const name = call?.name ?? 'tool call';
  const schema = toolParameters(snapshot, name);
  const parseError = jsonProblem(text);
  const recording = playsRecording(snapshot);
  const branch = useBranch(snapshot.runId);
  async function save(): Promise<void> {
    setBusy(true);
    setError(null);
    try {
      await useStore.getState().interveneToolCall(snapshot.runId, turn, index, { action: 'edit', arguments: text });
      onCancel();
    } catch (e) {
      setError(messageOf(e));
      setBusy(false);
    }
  }
  return (
    <EditForm
      onSubmit={() => {
        if (parseError === null && call) {
          if (recording) void branch.start({ kind: 'tool_arguments', turn, arguments: [{ index, arguments: text }] });
          else void save();
        }
      }}
    >
      <p className="hint">
        {recording
          ? `A recording cannot run tools: this continues as a branch from turn ${turn}, its calls run with these arguments against the model and tools you choose. This replay stays as it is.`
          : "The run waits before this call. It runs with these arguments in this run (no branch) when you continue; the model's arguments are kept in the run file beside them."}
      </p>
      <div className="edit-columns">
        <div className="edit-main">
          <h3 className="field-label">Raw arguments{schema ? ` (checked against ${name}'s parameter schema)` : ' (the run has no schema for this tool)'}</h3>
          <MonacoEditor initial={initial} language="json" label={`Arguments of ${name}`} schema={schema} onChange={setText} onProblems={setProblems} className="edit-editor" />
        </div>
        <div className="edit-side">
          <h3 className="field-label">Arguments the model sent</h3>
          <pre className="code">{jsonProblem(modelArguments) === null ? prettyJson(modelArguments) : modelArguments}</pre>
        </div>
      </div>
      {!call && (
        <p role="alert" className="form-alert">
          This call is no longer pending: it has run, or the run went on.
        </p>
      )}
      {parseError !== null && (
        <p role="alert" className="field-error">
          Not valid JSON: {parseError}
        </p>
      )}
      <SchemaWarning tool={name} issues={parseError === null ? problems : []} />
      {recording ? (
        <Actions {...branch} disabled={parseError !== null || !call} label="Continue as branch" onCancel={onCancel} />
      ) : (
        <>
          {error && (
            <p role="alert" className="form-alert">
              The arguments could not be saved: {error}
            </p>
          )}
          <div className="dialog-actions">
            <button type="button" onClick={onCancel}>
              Cancel
            </button>
            <button type="submit" className="primary" disabled={busy || parseError !== null || !call}>
              {busy ? 'Saving…' : 'Use these arguments'}
            </button>
          </div>
        </>
      )}
    </EditForm>
  );
}

function TextEditor({ snapshot, target, onCancel }: { snapshot: RunSnapshot; target: Extract<EditTarget, { kind: 'tool_result' | 'assistant_message' }>; onCancel(): void }) {
  const turn = snapshot.turns[target.turn - 1]!;
  const initial = target.kind === 'tool_result' ? (turn.toolCalls[target.index]?.result ?? '') : contentText(turn.reply?.content ?? '');
  const [text, setText] = useState(initial);
  const branch = useBranch(snapshot.runId);
  const { start } = branch;
  const change = (): BranchChange =>
    target.kind === 'tool_result'
      ? { kind: 'tool_result', turn: target.turn, index: target.index, content: text }
      : {
          kind: 'assistant_message',
          turn: target.turn,
          content: text,
          toolCalls: turn.toolCalls.map((c) => ({ id: c.id, name: c.name, arguments: c.arguments })),
        };
  return (
    <EditForm
      onSubmit={() => {
        void start(change());
      }}
    >
      <p className="hint">
        {target.kind === 'tool_result'
          ? `The loop continues from turn ${target.turn + 1} with this result in place of the recorded one. `
          : `Turn ${target.turn}'s reply with this text (its tool calls run again). `}
        {FORK_NOTE}
      </p>
      <MonacoEditor initial={initial} language={jsonProblem(initial) === null && initial.trim() !== '' ? 'json' : 'plaintext'} label={target.kind === 'tool_result' ? 'Tool result' : 'Assistant message'} onChange={setText} className="edit-editor" />
      <Actions {...branch} label="Edit and continue" onCancel={onCancel} />
    </EditForm>
  );
}

function PromptEditor({ snapshot, onCancel }: { snapshot: RunSnapshot; onCancel(): void }) {
  const system = snapshot.messages.find((m) => m.role === 'system');
  const user = snapshot.messages.find((m) => m.role === 'user');
  const [systemText, setSystem] = useState(contentText(system?.content ?? ''));
  const [userText, setUser] = useState(contentText(user?.content ?? ''));
  const branch = useBranch(snapshot.runId);
  const { start } = branch;
  return (
    <EditForm
      onSubmit={() => {
        if (userText.trim() !== '') void start({ kind: 'prompt', system: systemText, user: userText });
      }}
    >
      <p className="hint">The loop runs again from turn 1 with this prompt. {FORK_NOTE}</p>
      <div className="field">
        <label htmlFor="edit-system">System prompt</label>
        <textarea id="edit-system" rows={6} value={systemText} onChange={(e) => setSystem(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor="edit-user">User prompt</label>
        <textarea id="edit-user" rows={6} value={userText} onChange={(e) => setUser(e.target.value)} aria-invalid={userText.trim() === ''} />
      </div>
      <Actions {...branch} disabled={userText.trim() === ''} label="Edit and continue" onCancel={onCancel} />
    </EditForm>
  );
}

function ResampleEditor({ snapshot, turn, onCancel }: { snapshot: RunSnapshot; turn: number; onCancel(): void }) {
  const request = snapshot.turns[turn - 1]?.request;
  const [temperature, setTemperature] = useState(String(request?.temperature ?? snapshot.config.temperature));
  const [maxTokens, setMaxTokens] = useState(request?.max_tokens?.toString() ?? '');
  const branch = useBranch(snapshot.runId);
  const { start } = branch;
  const t = typedTemperature(temperature);
  const max = typedMaxTokens(maxTokens);
  const badTemperature = 'problem' in t;
  const badMax = 'problem' in max;
  return (
    <EditForm
      onSubmit={() => {
        if ('problem' in t || 'problem' in max) return;
        void start({ kind: 'resample', turn, temperature: t.value, maxTokens: max.value });
      }}
    >
      <p className="hint">
        Calls the model again with exactly turn {turn}'s prompt view, then goes on. {FORK_NOTE}
      </p>
      <div className="field-row">
        <div className="field">
          <label htmlFor="resample-temperature">Temperature</label>
          <input id="resample-temperature" value={temperature} onChange={(e) => setTemperature(e.target.value)} aria-invalid={badTemperature} />
          {'problem' in t && <p className="field-error">{t.problem}</p>}
        </div>
        <div className="field">
          <label htmlFor="resample-max-tokens">Max tokens</label>
          <input id="resample-max-tokens" value={maxTokens} placeholder="server default" onChange={(e) => setMaxTokens(e.target.value)} aria-invalid={badMax} />
          {'problem' in max && <p className="field-error">{max.problem}</p>}
        </div>
      </div>
      <Actions {...branch} disabled={badTemperature || badMax} label="Re-sample turn" onCancel={onCancel} />
    </EditForm>
  );
}

function titleOf(target: EditTarget, snapshot: RunSnapshot): string {
  switch (target.kind) {
    case 'tool_arguments':
      return `Edit arguments: ${snapshot.turns[target.turn - 1]?.toolCalls[target.index]?.name ?? 'tool call'} (turn ${target.turn})`;
    case 'pending_arguments':
      return `Edit arguments: ${snapshot.turns[target.turn - 1]?.reply?.tool_calls?.[target.index]?.function.name ?? 'tool call'} (turn ${target.turn}, before it runs)`;
    case 'tool_result':
      return `Edit result: ${snapshot.turns[target.turn - 1]?.toolCalls[target.index]?.name ?? 'tool call'} (turn ${target.turn})`;
    case 'assistant_message':
      return `Edit reply (turn ${target.turn})`;
    case 'resample':
      return `Re-sample turn ${target.turn}`;
    case 'prompt':
      return 'Edit prompt';
    case 'ask_once':
      return `Ask the model once (turn ${target.turn})`;
  }
}

/** The dialog that edits one part of a run (arguments, a reply, a result, the prompt) and starts a branch from it. */
export function EditDialog() {
  const target = useStore((s) => s.editing);
  const snapshot = useStore((s) => (s.editing ? s.runs[s.editing.runId]?.feed.snapshot : null));
  const close = useStore((s) => s.openEdit);
  if (!target || !snapshot) return null;
  const cancel = () => close(null);
  return (
    <Shell title={titleOf(target, snapshot)} onClose={cancel}>
      {target.kind === 'tool_arguments' && <ArgumentsEditor snapshot={snapshot} turn={target.turn} index={target.index} onCancel={cancel} />}
      {target.kind === 'pending_arguments' && <PendingArgumentsEditor snapshot={snapshot} turn={target.turn} index={target.index} onCancel={cancel} />}
      {(target.kind === 'tool_result' || target.kind === 'assistant_message') && <TextEditor snapshot={snapshot} target={target} onCancel={cancel} />}
      {target.kind === 'prompt' && <PromptEditor snapshot={snapshot} onCancel={cancel} />}
      {target.kind === 'resample' && <ResampleEditor snapshot={snapshot} turn={target.turn} onCancel={cancel} />}
      {target.kind === 'ask_once' && <AskOnceForm snapshot={snapshot} turn={target.turn} onCancel={cancel} />}
    </Shell>
  );
}
