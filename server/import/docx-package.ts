/**
 * Checks a DOCX upload before anything parses it. A DOCX is a zip of XML parts; a hostile one
 * can be a zip bomb (tiny on the wire, gigabytes inflated), declare external XML entities, or
 * make a reader fetch remote images. We read the zip's central directory ourselves, refuse on
 * the declared entry count and sizes before inflating anything, then inflate each part with a
 * hard output cap (so a part that lies about its size is caught too), and scan the XML.
 * Only a package that passes reaches mammoth.
 */
import { inflateRawSync } from 'node:zlib';
import { TaskError } from '../export/task-error.ts';

/** Limits of a DOCX package. */
export const DOCX_LIMITS = {
  /** Most parts in a package (Word writes a few dozen). */
  entries: 2000,
  /** Most bytes of all parts together, inflated. */
  totalBytes: 100 * 1024 * 1024,
  /** Most bytes of one part, inflated. */
  entryBytes: 50 * 1024 * 1024,
  /** Highest inflated/compressed ratio for a part over 1 MB (XML compresses ~10–30×; zeros ~1000×). */
  ratio: 200,
} as const;

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/** One part of the package, inflated. */
export type DocxParts = Map<string, Uint8Array>;

function refuse(code: string, message: string): never {
  throw new TaskError(400, code, message);
}

const NOT_DOCX = 'This file is not a Word document (.docx). Save it from Word or LibreOffice as “Word Document (.docx)” and try again.';

/** Where the end-of-central-directory record is, searching back over a possible comment. */
function findEndOfDirectory(data: Buffer): number {
  for (let at = data.length - 22; at >= Math.max(0, data.length - 22 - 0xffff); at--) {
    if (data.readUInt32LE(at) === EOCD) return at;
  }
  return refuse('not_docx', NOT_DOCX);
}

/** Read the central directory, refuse bombs on its declarations, inflate every part under a cap. */
export function readDocxPackage(bytes: Uint8Array): DocxParts {
  const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (data.length < 22 || data.readUInt32LE(0) !== LOCAL) refuse('not_docx', NOT_DOCX);
  const end = findEndOfDirectory(data);
  const count = data.readUInt16LE(end + 10);
  const directorySize = data.readUInt32LE(end + 12);
  const directoryOffset = data.readUInt32LE(end + 16);
  if (count === 0xffff || directoryOffset === 0xffffffff) refuse('zip_unsupported', 'This file uses a zip format (ZIP64) that Word documents never need; it was refused.');
  if (count > DOCX_LIMITS.entries) refuse('zip_bomb', `This file has ${count} parts inside; a Word document has far fewer. It was refused as unsafe.`);
  if (directoryOffset + directorySize > end) refuse('not_docx', NOT_DOCX);

  const entries: Array<{ name: string; method: number; compressed: number; size: number; local: number }> = [];
  let total = 0;
  for (let at = directoryOffset, i = 0; i < count; i++) {
    if (at + 46 > data.length || data.readUInt32LE(at) !== CENTRAL) refuse('not_docx', NOT_DOCX);
    const flags = data.readUInt16LE(at + 8);
    const method = data.readUInt16LE(at + 10);
    const compressed = data.readUInt32LE(at + 20);
    const size = data.readUInt32LE(at + 24);
    const nameLength = data.readUInt16LE(at + 28);
    const extraLength = data.readUInt16LE(at + 30);
    const commentLength = data.readUInt16LE(at + 32);
    const local = data.readUInt32LE(at + 42);
    const name = data.toString('utf8', at + 46, at + 46 + nameLength);
    at += 46 + nameLength + extraLength + commentLength;
    if (flags & 1) refuse('encrypted_docx', 'This Word document is password-protected. Remove the password in Word and try again.');
    if (method !== 0 && method !== 8) refuse('not_docx', NOT_DOCX);
    total += size;
    if (size > DOCX_LIMITS.entryBytes || total > DOCX_LIMITS.totalBytes) {
      refuse('zip_bomb', `This file would take more than ${DOCX_LIMITS.totalBytes / 1024 / 1024} MB once unpacked; it was refused as unsafe.`);
    }
    if (size > 1024 * 1024 && size / Math.max(compressed, 1) > DOCX_LIMITS.ratio) {
      refuse('zip_bomb', `A part of this file (“${name.slice(0, 80)}”) is compressed far more than any real document; it was refused as a zip bomb.`);
    }
    entries.push({ name, method, compressed, size, local });
  }

  const parts: DocxParts = new Map();
  for (const entry of entries) {
    if (entry.name.endsWith('/')) continue;
    if (entry.local + 30 > data.length || data.readUInt32LE(entry.local) !== LOCAL) refuse('not_docx', NOT_DOCX);
    const start = entry.local + 30 + data.readUInt16LE(entry.local + 26) + data.readUInt16LE(entry.local + 28);
    const raw = data.subarray(start, start + entry.compressed);
    if (raw.length !== entry.compressed) refuse('not_docx', NOT_DOCX);
    let content: Buffer;
    try {
      // The cap is the declared size: a part that inflates to more than it declared is lying.
      content = entry.method === 0 ? raw : inflateRawSync(raw, { maxOutputLength: Math.max(entry.size, 1) });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
        refuse('zip_bomb', `A part of this file (“${entry.name.slice(0, 80)}”) unpacks to more than it declares; it was refused as a zip bomb.`);
      }
      refuse('not_docx', `${NOT_DOCX} (A part could not be unpacked.)`);
    }
    if (content.length !== entry.size) refuse('zip_bomb', `A part of this file (“${entry.name.slice(0, 80)}”) does not match its declared size; it was refused.`);
    parts.set(entry.name, content);
  }
  if (!parts.has('[Content_Types].xml') || !parts.has('word/document.xml')) refuse('not_docx', NOT_DOCX);
  return parts;
}

/** Text of a part (XML is UTF-8 in every DOCX Word writes). */
export function partText(parts: DocxParts, name: string): string {
  const part = parts.get(name);
  return part ? Buffer.from(part).toString('utf8') : '';
}

/** Refuse XML with DOCTYPE or entity declarations, and packages that point at remote images. */
export function checkDocxContent(parts: DocxParts): void {
  for (const [name, content] of parts) {
    if (!/\.(xml|rels|vml)$/i.test(name)) continue;
    const text = Buffer.from(content).toString('utf8');
    if (/<!DOCTYPE|<!ENTITY/i.test(text)) {
      refuse('xml_entities', `This file declares XML entities or a DOCTYPE (in ${name}), which Word documents never do and which can be used to read files on the server. It was refused.`);
    }
    if (name.endsWith('.rels')) {
      for (const relationship of text.match(/<Relationship\b[^>]*>/g) ?? []) {
        if (/TargetMode\s*=\s*["']External["']/i.test(relationship) && /Type\s*=\s*["'][^"']*\/image["']/i.test(relationship)) {
          const target = /Target\s*=\s*["']([^"']*)["']/i.exec(relationship)?.[1] ?? '';
          refuse('remote_image', `This file shows an image from another server (${target.slice(0, 120)}). Insert the image into the document itself, or remove it, and try again.`);
        }
      }
    } else if (/INCLUDEPICTURE\s+(?:\\[a-z]\s+)*"?(?:https?|ftp|file):/i.test(text) || /\b(?:o:href|src)\s*=\s*["'](?:https?|ftp|file):/i.test(text)) {
      refuse('remote_image', 'This file shows an image from another server (a linked picture). Insert the image into the document itself, or remove it, and try again.');
    }
  }
}
