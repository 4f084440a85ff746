import type { ReactNode } from 'react';
import type { FieldErrors, FormField, NewRunForm } from './form-values.js';

/** What every field group gets: the form, its errors, and a way to change one field. */
export interface FieldGroupProps {
  form: NewRunForm;
  errors: FieldErrors;
  update<F extends FormField>(field: F, value: NewRunForm[F]): void;
}

/** The ids that tie a field to its hint and error for screen readers. */
export function describedBy(field: string, errors: FieldErrors, hint?: boolean): string | undefined {
  const ids = [hint ? `${field}-hint` : null, errors[field as FormField] ? `${field}-error` : null].filter(Boolean);
  return ids.length > 0 ? ids.join(' ') : undefined;
}

/** A field's error, shown under it. */
export function FieldError({ field, errors }: { field: FormField; errors: FieldErrors }) {
  const error = errors[field];
  return error ? (
    <p id={`${field}-error`} className="field-error">
      {error}
    </p>
  ) : null;
}

/** A field's label, its hint and its error around the control itself. */
function FieldShell({ field, label, hint, errors, children }: { field: FormField; label: string; hint?: ReactNode; errors: FieldGroupProps['errors']; children: ReactNode }) {
  return (
    <div className="field">
      <label htmlFor={field}>{label}</label>
      {children}
      {hint !== undefined && (
        <p id={`${field}-hint`} className="hint">
          {hint}
        </p>
      )}
      <FieldError field={field} errors={errors} />
    </div>
  );
}

/** A labelled text-like input with its hint and error. */
export function TextField({
  field,
  label,
  props,
  hint,
  type = 'text',
  ...rest
}: FieldGroupProps & { field: Exclude<FormField, 'stream' | 'builtin' | 'schemas' | 'startPaused' | 'approveTerminal'>; label: string; hint?: ReactNode; type?: string; props?: Record<string, unknown> }) {
  const { form, errors, update } = rest;
  return (
    <FieldShell field={field} label={label} hint={hint} errors={errors}>
      <input
        id={field}
        name={field}
        type={type}
        value={form[field]}
        aria-invalid={errors[field] ? true : undefined}
        aria-describedby={describedBy(field, errors, hint !== undefined)}
        onChange={(e) => update(field, e.target.value)}
        {...props}
      />
    </FieldShell>
  );
}

/** A labelled textarea with its error. */
export function TextArea({ field, label, rows = 3, hint, ...rest }: FieldGroupProps & { field: 'system' | 'user' | 'mcpCommands'; label: string; rows?: number; hint?: string }) {
  const { form, errors, update } = rest;
  return (
    <FieldShell field={field} label={label} hint={hint} errors={errors}>
      <textarea
        id={field}
        name={field}
        rows={rows}
        value={form[field]}
        aria-invalid={errors[field] ? true : undefined}
        aria-describedby={describedBy(field, errors, hint !== undefined)}
        onChange={(e) => update(field, e.target.value)}
      />
    </FieldShell>
  );
}
