/**
 * The editor's extension list, shared by the browser editor and the server (templates,
 * validation, later exports and diffs), so both read the document exactly as it is written.
 */
import { getSchema, type AnyExtension } from '@tiptap/core';
import StarterKit from '@tiptap/starter-kit';
import { TableKit } from '@tiptap/extension-table';
import { ALLOWED_LINK_PROTOCOLS, isSafeHref } from './links.ts';
import { DeletionMark, FormatChangeMark, InsertionMark, SuggestionBlocks } from './suggestion-marks.ts';

/** Heading levels a plan uses: 1 for the plan title, 2–3 for sections. */
export const HEADING_LEVELS = [1, 2, 3] as const;

/**
 * The document extensions (nodes and marks). Collaboration, carets and UI-only plugins are
 * added by the client on top of these; undo/redo comes from the collaboration extension.
 */
export function planExtensions(options: { document?: false } = {}): AnyExtension[] {
  return [
    StarterKit.configure({
      undoRedo: false,
      ...options,
      heading: { levels: [...HEADING_LEVELS] },
      link: {
        openOnClick: false,
        autolink: true,
        protocols: [...ALLOWED_LINK_PROTOCOLS],
        defaultProtocol: 'https',
        isAllowedUri: (url) => isSafeHref(url),
        shouldAutoLink: (url) => isSafeHref(url.includes(':') ? url : `https://${url}`),
        HTMLAttributes: { rel: 'noopener noreferrer nofollow', target: '_blank' },
      },
    }),
    TableKit.configure({ table: { resizable: false } }),
    InsertionMark,
    DeletionMark,
    FormatChangeMark,
    SuggestionBlocks,
  ];
}

/** The ProseMirror schema of a plan, built from the shared extension list. */
export const planSchema = getSchema(planExtensions());
