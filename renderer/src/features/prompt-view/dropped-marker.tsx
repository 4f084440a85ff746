import { useState } from 'react';
import type { ChatMessage } from '#shared/model/chat.js';
import { PromptMessage } from './prompt-message.js';

const PAGE = 50;

/** Where messages were left out of the prompt: collapsed; open it to see them greyed. */
export function DroppedMarker({ trajectory, start, end }: { trajectory: readonly ChatMessage[]; start: number; end: number }) {
  const [open, setOpen] = useState(false);
  const [shown, setShown] = useState(PAGE);
  const count = end - start;
  const last = Math.min(end, start + shown);
  return (
    <details className="dropped" open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>
        {count.toLocaleString('en-US')} {count === 1 ? 'message' : 'messages'} dropped
      </summary>
      {open && (
        <div className="dropped-list">
          {Array.from({ length: last - start }, (_, i) => (
            <PromptMessage key={start + i} message={trajectory[start + i]!} index={start + i} cut={null} dropped />
          ))}
          {last < end && (
            <button type="button" className="link-button" onClick={() => setShown(shown + PAGE)}>
              Show {Math.min(PAGE, end - last)} more
            </button>
          )}
        </div>
      )}
    </details>
  );
}
