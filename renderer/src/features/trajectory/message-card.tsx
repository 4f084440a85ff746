import type { ChatMessage } from '#shared/model/chat.js';
import { jsonTruthy } from '#shared/loop/json-semantics.js';
import { contentText } from '../../ui/content-text.js';
import { FoldedText } from '../../ui/folded-text.js';
import { prettyJson } from '../../ui/pretty-json.js';
import { useStore } from '../../store/store.js';
import { MessageImages } from './message-images.js';
import { ReasoningBlock } from './reasoning-block.js';
import { ToolResult } from './tool-result.js';

/**
 * One message of the trajectory before the run's first turn: the system and user prompt, or, for
 * a retry, the whole trajectory it continues (assistant replies with their tool calls, results).
 */
export function MessageCard({ message, index, runId }: { message: ChatMessage; index: number; runId?: string }) {
  const openEdit = useStore((s) => s.openEdit);
  const promptPart = runId !== undefined && (message.role === 'system' || message.role === 'user');
  const text = contentText(message.content);
  const title = `Message ${index + 1} (${message.role})`;
  const calls = message.tool_calls ?? [];
  return (
    <article className={`message-card role-${message.role}`} aria-label={`Message ${index + 1}: ${message.role}`}>
      <div className="message-head">
        <span className="role">{message.role}</span>
        <span className="muted">#{index + 1}</span>
        {message.role === 'tool' && typeof message.tool_call_id === 'string' && <code className="muted">{message.tool_call_id}</code>}
        {promptPart && (
          <button type="button" className="small-button" onClick={() => openEdit({ kind: 'prompt', runId: runId! })} aria-label={`Edit prompt (${message.role})`}>
            Edit prompt
          </button>
        )}
      </div>
      {jsonTruthy(message.reasoning_content) && <ReasoningBlock reasoning={message.reasoning_content} title={`${title}: reasoning`} />}
      {text ? (
        message.role === 'tool' ? <ToolResult text={text} title={title} /> : <FoldedText text={text} title={title} className="message-text" />
      ) : (
        calls.length === 0 && <p className="muted">(no content)</p>
      )}
      <MessageImages content={message.content} />
      {calls.map((call, i) => (
        <div key={i} className="tool-call">
          <div className="tool-call-head">
            <span className="role">tool call</span>
            <code className="tool-name">{call.function?.name}</code>
          </div>
          <FoldedText text={prettyJson(String(call.function?.arguments ?? ''))} title={`${title}: arguments of ${call.function?.name}`} className="code" />
        </div>
      ))}
    </article>
  );
}
