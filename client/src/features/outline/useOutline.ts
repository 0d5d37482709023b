/** The plan's headings (levels 1–3), read from the editor and kept current as anyone types. */
import { useEffect, useState } from 'react';
import type { Editor } from '@tiptap/react';
import type { Node as ProseMirrorNode } from '@tiptap/pm/model';
import { HEADING_LEVELS } from '../../../../shared/schema.ts';
import { idleTask } from '../../lib/idle.ts';

/** One entry of the outline. */
export interface OutlineHeading {
  level: number;
  text: string;
  /** Position of the heading node in the document. */
  pos: number;
}

/** Collect the top-level headings of a document. */
export function collectHeadings(doc: ProseMirrorNode): OutlineHeading[] {
  const headings: OutlineHeading[] = [];
  doc.descendants((node, pos) => {
    if (node.type.name === 'heading') {
      const level = Number(node.attrs.level);
      if ((HEADING_LEVELS as readonly number[]).includes(level)) headings.push({ level, text: node.textContent, pos });
      return false;
    }
    // Headings only live at block level; do not walk into paragraphs' text.
    return node.isBlock && !node.isTextblock;
  });
  return headings;
}

function sameHeadings(a: OutlineHeading[], b: OutlineHeading[]): boolean {
  return a.length === b.length && a.every((h, i) => h.level === b[i].level && h.text === b[i].text && h.pos === b[i].pos);
}

/** The outline of the editor's document, updated after every change (local or remote) once the browser is idle. */
export function useOutline(editor: Editor | null): OutlineHeading[] {
  const [headings, setHeadings] = useState<OutlineHeading[]>([]);
  useEffect(() => {
    if (!editor) return;
    const update = () => {
      if (editor.isDestroyed) return;
      setHeadings((previous) => {
        const next = collectHeadings(editor.state.doc);
        return sameHeadings(previous, next) ? previous : next;
      });
    };
    // Walking the plan's blocks is not worth doing inside a keystroke: the outline follows when idle.
    const task = idleTask(update);
    const onTransaction = ({ transaction }: { transaction: { docChanged: boolean } }) => {
      if (transaction.docChanged) task.schedule();
    };
    update();
    // 'transaction' also covers remote changes applied by the collaboration plugin.
    editor.on('transaction', onTransaction);
    return () => {
      editor.off('transaction', onTransaction);
      task.cancel();
    };
  }, [editor]);
  return headings;
}
