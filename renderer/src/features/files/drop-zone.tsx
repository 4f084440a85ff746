import { useEffect, useState } from 'react';
import { useStore } from '../../store/store.js';
import './drop-zone.css';

function hasFiles(event: DragEvent): boolean {
  return event.dataTransfer?.types.includes('Files') ?? false;
}

/** Dropping a file anywhere on the window opens it; a banner says so while a file is dragged over. */
export function DropZone() {
  const [over, setOver] = useState(false);
  useEffect(() => {
    let depth = 0;
    function onDragEnter(event: DragEvent): void {
      if (!hasFiles(event)) return;
      depth += 1;
      setOver(true);
    }
    function onDragLeave(event: DragEvent): void {
      if (!hasFiles(event)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) setOver(false);
    }
    function onDragOver(event: DragEvent): void {
      if (!hasFiles(event)) return;
      event.preventDefault();
      if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
    }
    function onDrop(event: DragEvent): void {
      if (!hasFiles(event)) return;
      // Never let the browser navigate to the dropped file.
      event.preventDefault();
      depth = 0;
      setOver(false);
      const file = event.dataTransfer?.files[0];
      if (file) void useStore.getState().openDropped(file);
    }
    window.addEventListener('dragenter', onDragEnter);
    window.addEventListener('dragleave', onDragLeave);
    window.addEventListener('dragover', onDragOver);
    window.addEventListener('drop', onDrop);
    return () => {
      window.removeEventListener('dragenter', onDragEnter);
      window.removeEventListener('dragleave', onDragLeave);
      window.removeEventListener('dragover', onDragOver);
      window.removeEventListener('drop', onDrop);
    };
  }, []);
  if (!over) return null;
  return (
    <div className="drop-overlay" aria-hidden="true">
      Drop a trajectory file to open it
    </div>
  );
}
