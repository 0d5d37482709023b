/**
 * DOCX import: check the package (docx-package.ts), convert it with mammoth to semantic HTML
 * (headings from Word heading styles, nested lists, tables, links), then into a plan body
 * through the shared schema. Everything Word can hold that a plan cannot is counted from the
 * document's XML and from mammoth's warnings, and reported.
 */
import mammoth from 'mammoth';
import type { JSONContent } from '@tiptap/core';
import { checkDocxContent, partText, readDocxPackage, type DocxParts } from './docx-package.ts';
import { htmlToPlan } from './html-to-plan.ts';
import { ImportNotes } from './notes.ts';

/** Style mappings beyond mammoth's defaults (which already map Heading 1–6 and lists). */
const STYLE_MAP = ["p[style-name='Title'] => h1:fresh", "p[style-name='Subtitle'] => p:fresh", 'u => u', 'strike => s'];

/** Count what the plan cannot hold, straight from the document's parts. */
function countUnsupported(parts: DocxParts, notes: ImportNotes): void {
  const body = partText(parts, 'word/document.xml');
  const count = (pattern: RegExp) => body.match(pattern)?.length ?? 0;
  notes.add('footnotes', count(/<w:footnoteReference\b/g));
  notes.add('endnotes', count(/<w:endnoteReference\b/g));
  notes.add('comments', count(/<w:commentReference\b/g));
  notes.add('tracked-changes', count(/<w:(?:ins|del)\b/g));
  notes.add('text-boxes', count(/<w:txbxContent\b/g));
  notes.add('equations', count(/<m:oMath\b/g));
  for (const [name] of parts) {
    if (/^word\/(header|footer)\d*\.xml$/.test(name) && /<w:t[ >]/.test(partText(parts, name))) notes.add('headers-footers', 1, name.slice(5));
  }
}

/** Convert a checked DOCX upload into a plan body. */
export async function importDocx(bytes: Uint8Array): Promise<{ content: JSONContent; notes: ImportNotes }> {
  const parts = readDocxPackage(bytes);
  checkDocxContent(parts);
  const notes = new ImportNotes();
  countUnsupported(parts, notes);
  const result = await mammoth.convertToHtml(
    { buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) },
    {
      styleMap: STYLE_MAP,
      externalFileAccess: false,
      // Images are counted (and left out) when the HTML is read; never encode their bytes.
      convertImage: mammoth.images.imgElement(async () => ({ src: '' })),
    },
  );
  for (const message of result.messages) {
    const style = /Unrecognised (?:paragraph|run|table) style: '([^']*)'/.exec(message.message);
    if (style) notes.add('styles', 1, style[1]);
  }
  return { content: htmlToPlan(result.value, notes, 'docx'), notes };
}
