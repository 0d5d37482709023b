/** Starting a comment on the editor's selection (panel button, margin button, toolbar, Ctrl/Cmd+Alt+M). */
import type { Editor } from '@tiptap/react';
import { createAnchor, quoteOf, textBounds } from './anchors.ts';
import type { CommentsController } from './commentsController.ts';

/** Open a draft thread on the selected text; false when no text is selected. */
export function startCommentOnSelection(editor: Editor, controller: CommentsController): boolean {
  const { from, to, empty } = editor.state.selection;
  const bounds = empty ? null : textBounds(editor.state.doc, from, to);
  const anchor = bounds ? createAnchor(editor.state, bounds.from, bounds.to) : null;
  if (!bounds || !anchor) return false;
  controller.setDraft({ anchor, quote: quoteOf(editor.state.doc, bounds) });
  return true;
}
