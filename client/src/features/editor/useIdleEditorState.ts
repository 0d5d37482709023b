/**
 * Editor-derived state for screens around the editor (toolbar buttons, the comment panel's
 * selection), recomputed when the browser is idle after transactions instead of synchronously
 * inside each one, and stored only when it changed: a keystroke neither waits for the selector
 * nor re-renders the component unless what it shows changed.
 */
import { useEffect, useRef, useState } from 'react';
import type { Editor } from '@tiptap/react';
import { idleTask } from '../../lib/idle.ts';

/** Whether two flat records hold the same values (the usual shape of selected editor state). */
export function shallowEqual<T>(a: T, b: T): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const keys = Object.keys(a) as Array<keyof T>;
  return keys.length === Object.keys(b).length && keys.every((key) => Object.is(a[key], b[key]));
}

/** `select(editor)`, kept current after every transaction once the browser is idle. */
export function useIdleEditorState<T>(editor: Editor, select: (editor: Editor) => T, equal: (a: T, b: T) => boolean = shallowEqual): T {
  const latest = useRef({ select, equal });
  latest.current = { select, equal };
  const [value, setValue] = useState(() => select(editor));
  useEffect(() => {
    const task = idleTask(() => {
      if (editor.isDestroyed) return;
      const next = latest.current.select(editor);
      setValue((previous) => (latest.current.equal(previous, next) ? previous : next));
    });
    // Anything that happened between the first render and this effect.
    task.schedule();
    editor.on('transaction', task.schedule);
    return () => {
      editor.off('transaction', task.schedule);
      task.cancel();
    };
  }, [editor]);
  return value;
}
