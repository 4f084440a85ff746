import { useLayoutEffect, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import type { ResizablePanel } from '../store/layout-slice.js';
import { useStore } from '../store/store.js';
import './splitter.css';

/** How far one arrow key press moves a splitter (px). */
const KEY_STEP = 24;

function sizeOf(element: Element, orientation: 'horizontal' | 'vertical'): number {
  const box = element.getBoundingClientRect();
  return Math.round(orientation === 'horizontal' ? box.height : box.width);
}

/**
 * A handle that resizes the panel it sits in, by pointer or arrow keys; the size is kept in the
 * layout. `orientation` is the handle's own line: horizontal between stacked panels, vertical
 * between columns. `grow` is +1 when dragging down/right enlarges the panel, -1 when up/left does.
 */
export function Splitter({ panel, label, orientation, grow, min, max }: { panel: ResizablePanel; label: string; orientation: 'horizontal' | 'vertical'; grow: 1 | -1; min: number; max: () => number }) {
  const stored = useStore((s) => s.layout.sizes[panel]);
  const setPanelSize = useStore((s) => s.setPanelSize);
  const ref = useRef<HTMLDivElement>(null);
  const drag = useRef<{ from: number; size: number } | null>(null);
  const [measured, setMeasured] = useState<number | null>(null);
  useLayoutEffect(() => {
    const target = ref.current?.parentElement;
    if (target) setMeasured(sizeOf(target, orientation));
  }, [stored, orientation]);
  const current = (): number => {
    const target = ref.current?.parentElement;
    return target ? sizeOf(target, orientation) : (stored ?? min);
  };
  const resize = (px: number) => setPanelSize(panel, Math.min(Math.max(px, min), Math.max(min, max())));
  const at = (e: PointerEvent) => (orientation === 'horizontal' ? e.clientY : e.clientX);
  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    e.currentTarget.setPointerCapture(e.pointerId);
    drag.current = { from: at(e), size: current() };
    e.preventDefault();
  };
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    if (drag.current) resize(drag.current.size + grow * (at(e) - drag.current.from));
  };
  const onPointerUp = () => {
    drag.current = null;
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const keys = orientation === 'horizontal' ? { ArrowDown: 1, ArrowUp: -1 } : { ArrowRight: 1, ArrowLeft: -1 };
    const step = keys[e.key as keyof typeof keys];
    if (step === undefined) return;
    e.preventDefault();
    resize(current() + grow * step * KEY_STEP);
  };
  const value = stored ?? measured ?? min;
  return (
    <div
      ref={ref}
      className={`splitter is-${orientation}`}
      role="separator"
      aria-label={label}
      aria-orientation={orientation}
      aria-valuenow={value}
      aria-valuemin={min}
      aria-valuemax={Math.max(min, Math.round(max()))}
      tabIndex={0}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerCancel={onPointerUp}
      onKeyDown={onKeyDown}
    />
  );
}
