import { Component, type ErrorInfo, type ReactNode } from 'react';
import { useStore } from '../store/store.js';

interface BoundaryProps {
  /** The panel's accessible name, also the fallback's. */
  name: string;
  /** The panel's classes, so that the fallback takes its place in the layout. */
  className: string;
  /** When this changes, a failed panel draws again (another run or turn was selected). */
  resetKey: string;
  children: ReactNode;
}

interface BoundaryState {
  error: Error | null;
  resetKey: string;
}

/**
 * Keeps a panel that throws while drawing to itself: React unmounts the whole tree on an error
 * nothing catches, which left a blank window (and every other panel's state lost) for one value
 * a view did not expect. The panel says it failed and why; the others go on working, and it
 * draws again when asked to or when another run or turn is selected.
 */
class Boundary extends Component<BoundaryProps, BoundaryState> {
  override state: BoundaryState = { error: null, resetKey: this.props.resetKey };

  static getDerivedStateFromError(error: unknown): Partial<BoundaryState> {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  static getDerivedStateFromProps(props: BoundaryProps, state: BoundaryState): Partial<BoundaryState> | null {
    if (props.resetKey === state.resetKey) return null;
    return { resetKey: props.resetKey, error: null };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    console.error(`The ${this.props.name} panel could not be drawn:`, error, info.componentStack);
  }

  override render(): ReactNode {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <section aria-label={this.props.name} className={`${this.props.className} panel-failed`}>
        <h2 className="panel-title">{this.props.name}</h2>
        <div role="alert" className="form-alert">
          This panel could not be drawn: {error.message || error.name}. The other panels still work; selecting another turn or run
          draws it again.
        </div>
        <button type="button" onClick={() => this.setState({ error: null })}>
          Draw it again
        </button>
      </section>
    );
  }
}

/** {@link Boundary} for one panel, drawn again when the selected run or turn changes. */
export function PanelBoundary({ name, className, children }: Omit<BoundaryProps, 'resetKey'>) {
  const resetKey = useStore((s) => `${s.selectedRunId ?? ''}#${s.selectedTurn ?? ''}`);
  return (
    <Boundary name={name} className={className} resetKey={resetKey}>
      {children}
    </Boundary>
  );
}
