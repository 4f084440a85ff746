import type { Breakpoints } from '#shared/api/contract.js';
import { useStore } from '../../store/store.js';

const TOGGLES: Array<[keyof Breakpoints, string]> = [
  ['beforeModel', 'Break before model call'],
  ['beforeTools', 'Break before tools'],
  ['onToolError', 'Break on tool error'],
];

function BreakpointToggle({ name, label }: { name: keyof Breakpoints; label: string }) {
  const on = useStore((s) => s.breakpoints[name]);
  const setBreakpoint = useStore((s) => s.setBreakpoint);
  return (
    <label className="toggle">
      <input type="checkbox" checked={on} onChange={(e) => void setBreakpoint(name, e.target.checked)} />
      {label}
    </label>
  );
}

/** The breakpoint checkboxes: they apply to the selected run and to runs started from here. */
export function BreakpointToggles() {
  return (
    <fieldset className="breakpoints">
      <legend className="visually-hidden">Breakpoints</legend>
      {TOGGLES.map(([name, label]) => (
        <BreakpointToggle key={name} name={name} label={label} />
      ))}
    </fieldset>
  );
}
