/**
 * One import conversion: a DOCX or Markdown upload into a plan body and the list of what was
 * left out. Runs inside an export worker; creating the plan happens back on the main thread.
 */
import type { JSONContent } from '@tiptap/core';
import type { ImportFormat, ImportNote } from '../../shared/export.ts';
import { importDocx } from './docx-import.ts';
import { firstHeadingText } from './html-to-plan.ts';
import { importMarkdown } from './markdown-import.ts';

/** An upload to convert. */
export interface ImportRequest {
  format: ImportFormat;
  bytes: Uint8Array;
}

/** A converted upload. */
export interface ImportResult {
  content: JSONContent;
  /** The first heading's text, to title the plan when the person gave none. */
  heading: string | null;
  notes: ImportNote[];
}

/** Convert an upload; refusals are TaskErrors with a message for the person. */
export async function importPlanFile(request: ImportRequest): Promise<ImportResult> {
  const { content, notes } = request.format === 'docx' ? await importDocx(request.bytes) : importMarkdown(request.bytes);
  if (!content.content?.length) content.content = [{ type: 'paragraph' }];
  return { content, heading: firstHeadingText(content), notes: notes.list() };
}
