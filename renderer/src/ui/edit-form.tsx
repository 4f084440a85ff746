import type { ReactNode } from 'react';

/** The form of an edit dialog: submitting it (its button or Enter) calls `onSubmit`, with the browser's own validation off. */
export function EditForm({ onSubmit, children }: { onSubmit(): void; children: ReactNode }) {
  return (
    <form
      className="edit-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit();
      }}
    >
      {children}
    </form>
  );
}
