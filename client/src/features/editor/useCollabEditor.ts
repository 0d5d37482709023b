/**
 * The Tiptap editor of a plan: the shared extension list (shared/schema.ts) plus collaboration
 * (bound to the connection's Y.Doc, with its own undo that only undoes this person's changes)
 * and named carets from the provider's awareness.
 */
import { useEffect, useRef } from 'react';
import { Extension, type AnyExtension } from '@tiptap/core';
import { useEditor, type Editor } from '@tiptap/react';
import Collaboration from '@tiptap/extension-collaboration';
import CollaborationCaret from '@tiptap/extension-collaboration-caret';
import { planExtensions } from '../../../../shared/schema.ts';
import { BlockGroupEditing, GroupedDocument, PlanChunk } from './blockGroups.ts';
import { YName } from '../../../../shared/protocol.ts';
import type { Role } from '../../../../shared/roles.ts';
import type { SessionUser } from '../../lib/api.ts';
import type { CollabConnection } from '../connection/collabConnection.ts';
import { SuggestMode, type SuggestModeStorage } from '../suggestions/suggestMode.ts';
import { LiveSelectionBlocks } from './liveSelectionBlocks.ts';
import { CaretBlockBoundary } from './caretBlockBoundary.ts';
import { SteadyCaret } from './steadyCaret.ts';
import { TypedCharacters } from './typedCharacters.ts';

/** What the editor needs to know about the person and the screen around it. */
export interface CollabEditorOptions {
  connection: CollabConnection;
  user: SessionUser;
  role: Role;
  editable: boolean;
  /** Accessible name of the editing area ("Plan"). */
  label: string;
  /** Open the link dialog (Mod-K). */
  onRequestLink: () => void;
  /** Whether typing becomes suggestions ("Sugerir" mode). */
  suggesting: boolean;
  /** Told about suggestions this person just started, and edits that could not be proposed. */
  onSuggestionsCreated: (ids: string[]) => void;
  onSuggestionRefused: (reason: string) => void;
  /** Features' own extensions (comment highlights); read once, when the editor is created. */
  extensions?: AnyExtension[];
}

/** The awareness `user` field this client announces (the server overwrites it from the session). */
export function awarenessUser(user: SessionUser, role: Role) {
  return { id: user.id, name: user.name, delegation: user.delegation, color: user.color, role };
}

function editorAttributes(label: string): Record<string, string> {
  return { 'aria-label': label, role: 'textbox', 'aria-multiline': 'true', spellcheck: 'true', class: 'plan-body' };
}

/** Create the collaborative editor for a connection; recreated only when the connection changes. */
export function useCollabEditor({ connection, user, role, editable, label, onRequestLink, suggesting, onSuggestionsCreated, onSuggestionRefused, extensions = [] }: CollabEditorOptions): Editor | null {
  const requestLink = useRef(onRequestLink);
  requestLink.current = onRequestLink;

  const editor = useEditor(
    {
      extensions: [
        ...planExtensions({ document: false }),
        GroupedDocument,
        PlanChunk,
        BlockGroupEditing,
        Collaboration.configure({ document: connection.doc, field: YName.body }),
        CollaborationCaret.configure({ provider: connection.provider, user: awarenessUser(user, role) }),
        SuggestMode,
        LiveSelectionBlocks,
        CaretBlockBoundary,
        SteadyCaret,
        TypedCharacters,
        ...extensions,
        Extension.create({
          name: 'mingaShortcuts',
          addKeyboardShortcuts: () => ({
            'Mod-k': () => {
              requestLink.current();
              return true;
            },
          }),
        }),
      ],
      editable,
      editorProps: { attributes: editorAttributes(label) },
    },
    [connection],
  );

  useEffect(() => {
    if (editor && editor.isEditable !== editable) editor.setEditable(editable);
  }, [editor, editable]);

  useEffect(() => {
    if (!editor) return;
    const storage = (editor.storage as unknown as { suggestMode: SuggestModeStorage }).suggestMode;
    storage.enabled = suggesting;
    storage.suggester = { authorId: user.id, authorName: user.name, color: user.color };
    storage.onCreated = onSuggestionsCreated;
    storage.onRefused = onSuggestionRefused;
  }, [editor, suggesting, user, onSuggestionsCreated, onSuggestionRefused]);

  useEffect(() => {
    editor?.setOptions({ editorProps: { attributes: editorAttributes(label) } });
  }, [editor, label]);

  useEffect(() => {
    // Keep the announced role current (it changes on role-changed notices).
    if (editor && !editor.isDestroyed) editor.commands.updateUser(awarenessUser(user, role));
  }, [editor, user, role]);

  return editor;
}
