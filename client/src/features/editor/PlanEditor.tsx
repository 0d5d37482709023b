/** The page column: formatting toolbar (for people who may edit), the editable plan and the link dialog. */
import './editor.css';
import { useState } from 'react';
import { EditorContent, type Editor } from '@tiptap/react';
import { LinkDialog } from './LinkDialog.tsx';
import { Toolbar } from './Toolbar.tsx';

interface PlanEditorProps {
  editor: Editor;
  editable: boolean;
  linkDialogOpen: boolean;
  setLinkDialogOpen: (open: boolean) => void;
  /** Start a comment on the selection from the toolbar. */
  onRequestComment?: () => void;
}

/** Toolbar + A4-like page holding the Tiptap editor. */
export function PlanEditor({ editor, editable, linkDialogOpen, setLinkDialogOpen, onRequestComment }: PlanEditorProps) {
  return (
    <>
      {editable && <Toolbar editor={editor} onRequestLink={() => setLinkDialogOpen(true)} onRequestComment={onRequestComment} />}
      <div className="page">
        <EditorContent editor={editor} className="page__content" />
      </div>
      {editable && <LinkDialog editor={editor} open={linkDialogOpen} onClose={() => setLinkDialogOpen(false)} />}
    </>
  );
}

/** Open/close state for the link dialog, shared between Mod-K and the toolbar button. */
export function useLinkDialog() {
  const [open, setOpen] = useState(false);
  return { linkDialogOpen: open, setLinkDialogOpen: setOpen };
}
