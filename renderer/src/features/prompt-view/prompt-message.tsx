import { memo } from 'react';
import type { ChatMessage } from '#shared/model/chat.js';
import { contentText } from '../../ui/content-text.js';
import { FoldedText } from '../../ui/folded-text.js';

/**
 * One message of a prompt as it was sent, marked when its content was shortened. Memoized: the
 * next turn's prompt shares most of its messages, and those rows do not render again.
 */
export const PromptMessage = memo(function PromptMessage({ message, index, cut, dropped = false }: { message: ChatMessage; index: number; cut: number | null; dropped?: boolean }) {
  const text = contentText(message.content);
  const calls = message.tool_calls ?? [];
  return (
    <div className={`prompt-message role-${message.role}${dropped ? ' is-dropped' : ''}`}>
      <div className="message-head">
        <span className="role">{message.role}</span>
        <span className="muted">#{index + 1}</span>
        {cut !== null && <span className="badge tone-warn">shortened: {cut.toLocaleString('en-US')} characters cut</span>}
      </div>
      {text && <FoldedText text={text} title={`Prompt message ${index + 1} (${message.role})`} className="message-text" />}
      {calls.length > 0 && <p className="muted">tool calls: {calls.map((c) => c.function?.name).join(', ')}</p>}
    </div>
  );
});
