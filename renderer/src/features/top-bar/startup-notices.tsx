import { useState } from 'react';
import { useStore } from '../../store/store.js';

const NONE: readonly string[] = [];

/** What the engine says the user must know from the start (a corrupt settings file set aside), until dismissed. */
export function StartupNotices() {
  const notices = useStore((s) => s.appInfo?.notices ?? NONE);
  const [dismissed, setDismissed] = useState(false);
  if (dismissed || notices.length === 0) return null;
  return (
    <div role="alert" className="action-error startup-notices">
      <ul>
        {notices.map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
      <button type="button" onClick={() => setDismissed(true)} aria-label="Dismiss notices">
        ×
      </button>
    </div>
  );
}
