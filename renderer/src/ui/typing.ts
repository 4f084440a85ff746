const NOT_TYPED = new Set(['checkbox', 'radio', 'button', 'submit', 'reset', 'file']);

/** Whether a key went to a control being typed in (keyboard shortcuts leave it alone). */
export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target.closest('.monaco-editor')) return true;
  if (target instanceof HTMLInputElement) return !NOT_TYPED.has(target.type);
  return target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement;
}
