/** One version, read-only: a Tiptap editor on the shared extensions that nobody can type into. */
import { EditorContent, useEditor } from '@tiptap/react';
import type { JSONContent } from '@tiptap/core';
import { planExtensions } from '../../../../shared/schema.ts';

/** The body of a version as the editor shows a plan, without editing. */
export function VersionViewer({ content, label }: { content: JSONContent; label: string }) {
  const editor = useEditor(
    {
      extensions: planExtensions(),
      content,
      editable: false,
      editorProps: { attributes: { 'aria-label': label, role: 'document', class: 'plan-body plan-body--version' } },
    },
    [content],
  );
  return (
    <div className="page version-viewer">
      <EditorContent editor={editor} className="page__content" />
    </div>
  );
}
