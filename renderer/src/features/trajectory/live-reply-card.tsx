import type { LiveReply } from '../../store/run-feed.js';
import { FoldedText } from '../../ui/folded-text.js';

/** What the model is streaming on the current turn, as it arrives. */
export function LiveReplyCard({ live }: { live: LiveReply }) {
  return (
    <div className="live-reply" aria-label="Streaming reply">
      <div className="message-head">
        <span className="role">assistant</span>
        <span className="badge tone-info">streaming</span>
      </div>
      {live.reasoning && (
        <details className="reasoning" open>
          <summary>Reasoning</summary>
          <FoldedText text={live.reasoning} title={`Turn ${live.turn}: streamed reasoning`} className="reasoning-text" />
        </details>
      )}
      {live.content && <FoldedText text={live.content} title={`Turn ${live.turn}: streamed text`} className="message-text" />}
      {live.toolCalls.map((call) => (
        <div key={call.index} className="tool-call">
          <div className="tool-call-head">
            <span className="role">tool call</span>
            <code className="tool-name">{call.name || '…'}</code>
          </div>
          <FoldedText text={call.arguments} title={`Turn ${live.turn}: streamed arguments`} className="code" />
        </div>
      ))}
    </div>
  );
}
