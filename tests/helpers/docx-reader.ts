/**
 * An independent reader of DOCX files for tests: unzips with fflate and reads the WordprocessingML
 * with regular expressions (not with the code under test), so exports are checked against the
 * file format itself.
 */
import { strFromU8, unzipSync } from 'fflate';

/** One paragraph of a DOCX body as a reader sees it. */
export interface DocxParagraph {
  style: string | null;
  /** Visible text (inserted runs included, deleted runs not). */
  text: string;
  /** Text of deleted runs. */
  deleted: string;
  numbered: { numId: string; level: number } | null;
  xml: string;
}

const unescapeXml = (text: string): string =>
  text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');

/** The parts of a DOCX package, as text. */
export function docxParts(bytes: Uint8Array): Record<string, string> {
  const files = unzipSync(bytes);
  return Object.fromEntries(Object.entries(files).map(([name, data]) => [name, strFromU8(data)]));
}

/** Every paragraph of document.xml, in order (table cells included). */
export function docxParagraphs(documentXml: string): DocxParagraph[] {
  return [...documentXml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)].map(([xml]) => {
    const text = [...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => unescapeXml(m[1])).join('');
    const deleted = [...xml.matchAll(/<w:delText(?: [^>]*)?>([^<]*)<\/w:delText>/g)].map((m) => unescapeXml(m[1])).join('');
    const style = /<w:pStyle w:val="([^"]+)"/.exec(xml)?.[1] ?? null;
    const num = /<w:numPr><w:ilvl w:val="(\d+)"\/><w:numId w:val="(\d+)"\/><\/w:numPr>/.exec(xml);
    return { style, text, deleted, numbered: num ? { level: Number(num[1]), numId: num[2] } : null, xml };
  });
}

/** Text of every table cell, row by row. */
export function docxTableCells(documentXml: string): string[][] {
  return [...documentXml.matchAll(/<w:tr[ >][\s\S]*?<\/w:tr>/g)].map(([row]) =>
    [...row.matchAll(/<w:tc>[\s\S]*?<\/w:tc>/g)].map(([cell]) => docxParagraphs(cell).map((p) => p.text).join('\n')),
  );
}

/** External hyperlinks: relationship id → target. */
export function docxHyperlinks(parts: Record<string, string>): Array<{ text: string; target: string }> {
  const rels = parts['word/_rels/document.xml.rels'] ?? '';
  const targets = new Map([...rels.matchAll(/<Relationship [^>]*Id="([^"]+)"[^>]*Target="([^"]+)"[^>]*TargetMode="External"/g)].map((m) => [m[1], unescapeXml(m[2])]));
  return [...(parts['word/document.xml'] ?? '').matchAll(/<w:hyperlink [^>]*r:id="([^"]+)"[^>]*>([\s\S]*?)<\/w:hyperlink>/g)].map((m) => ({
    target: targets.get(m[1]) ?? '',
    text: [...m[2].matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((t) => unescapeXml(t[1])).join(''),
  }));
}

/** Native Word comments: id, author and text. */
export function docxComments(parts: Record<string, string>): Array<{ id: string; author: string; text: string }> {
  return [...(parts['word/comments.xml'] ?? '').matchAll(/<w:comment [^>]*>[\s\S]*?<\/w:comment>/g)].map(([xml]) => ({
    id: /w:id="(\d+)"/.exec(xml)![1],
    author: unescapeXml(/w:author="([^"]*)"/.exec(xml)?.[1] ?? ''),
    text: docxParagraphs(xml).map((p) => p.text).join('\n'),
  }));
}

/** The body text a comment's range covers (between its range start and end). */
export function docxCommentedText(documentXml: string, id: string): string {
  const start = documentXml.indexOf(`<w:commentRangeStart w:id="${id}"/>`);
  const end = documentXml.indexOf(`<w:commentRangeEnd w:id="${id}"/>`);
  if (start < 0 || end < start) return '';
  const between = documentXml.slice(start, end);
  return [...between.matchAll(/<w:(t|delText)(?: [^>]*)?>([^<]*)<\/w:\1>/g)].map((m) => unescapeXml(m[2])).join('');
}

/** Tracked changes: kind, author, date and text. */
export function docxTrackedChanges(documentXml: string): Array<{ kind: 'ins' | 'del'; author: string; date: string; text: string }> {
  return [...documentXml.matchAll(/<w:(ins|del) ([^>]*)>([\s\S]*?)<\/w:\1>/g)].map((m) => ({
    kind: m[1] as 'ins' | 'del',
    author: unescapeXml(/w:author="([^"]*)"/.exec(m[2])?.[1] ?? ''),
    date: /w:date="([^"]*)"/.exec(m[2])?.[1] ?? '',
    text: [...m[3].matchAll(/<w:(?:t|delText)(?: [^>]*)?>([^<]*)<\/w:(?:t|delText)>/g)].map((t) => unescapeXml(t[1])).join(''),
  }));
}
