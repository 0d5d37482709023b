/**
 * Where comment threads point, in ProseMirror positions of the exported plan.
 *
 * A thread's anchor is a pair of Yjs relative positions into the plan body. Exports walk the
 * ProseMirror document that `yXmlFragmentToProsemirrorJSON` builds from that same body, so
 * the Yjs tree and the ProseMirror tree have the same shape: we turn the absolute Yjs position
 * (type, index) into a ProseMirror position by adding up node sizes the way y-prosemirror
 * lays them out (an element is 1 + content + 1, a leaf is 1, text is one per character). This
 * needs no editor binding. When the anchor no longer resolves (its passage was deleted) we
 * fall back to finding the thread's quoted text; failing that the thread is kept unanchored.
 */
import * as Y from 'yjs';
import type { Node as PMNode } from '@tiptap/pm/model';
import { planSchema } from '../../shared/schema.ts';
import { YName } from '../../shared/protocol.ts';
import type { Thread } from '../../shared/threads.ts';

/** A comment thread with the passage it covers in the exported document (null: unanchored). */
export interface AnchoredThread {
  thread: Thread;
  range: { from: number; to: number } | null;
  /** How the range was found: the Yjs anchor, the quoted text, or not at all. */
  resolvedBy: 'anchor' | 'quote' | 'none';
}

type YNode = Y.XmlElement | Y.XmlText;

/** Sizes already computed: an export reads a document that no longer changes, so they hold. */
const sizes = new WeakMap<YNode, number>();

/** Size a Yjs node takes in ProseMirror positions. */
function nodeSize(node: YNode): number {
  if (node instanceof Y.XmlText) return node.length;
  const known = sizes.get(node);
  if (known !== undefined) return known;
  let size = 1;
  if (!planSchema.nodes[node.nodeName]?.isLeaf) {
    size = 2;
    for (const child of node.toArray()) size += nodeSize(child as YNode);
  }
  sizes.set(node, size);
  return size;
}

/** ProseMirror position where the content of a Yjs parent (fragment or element) starts. */
function contentStart(type: Y.XmlFragment | Y.XmlElement, body: Y.XmlFragment): number | null {
  if (type === body) return 0;
  const start = nodeStart(type as Y.XmlElement, body);
  return start === null ? null : start + 1;
}

/** ProseMirror position just before a Yjs node (or null if it is not in the body). */
function nodeStart(node: YNode, body: Y.XmlFragment): number | null {
  const parent = node.parent as Y.XmlFragment | Y.XmlElement | null;
  if (!parent) return null;
  const start = contentStart(parent, body);
  if (start === null) return null;
  let pos = start;
  for (const sibling of parent.toArray()) {
    if (sibling === node) return pos;
    pos += nodeSize(sibling as YNode);
  }
  return null;
}

/** Turn an encoded (base64) Yjs relative position into a ProseMirror position, if it still resolves. */
export function yjsToPmPosition(doc: Y.Doc, encoded: string): number | null {
  let absolute: Y.AbsolutePosition | null;
  try {
    absolute = Y.createAbsolutePositionFromRelativePosition(Y.decodeRelativePosition(Buffer.from(encoded, 'base64')), doc);
  } catch {
    return null;
  }
  if (!absolute) return null;
  const body = doc.getXmlFragment(YName.body);
  const type = absolute.type as unknown;
  if (type instanceof Y.XmlText) {
    const start = nodeStart(type, body);
    return start === null ? null : start + absolute.index;
  }
  if (type === body || type instanceof Y.XmlElement) {
    const parent = type as Y.XmlFragment | Y.XmlElement;
    const start = contentStart(parent, body);
    if (start === null) return null;
    let pos = start;
    parent.toArray().slice(0, absolute.index).forEach((child) => (pos += nodeSize(child as YNode)));
    return pos;
  }
  return null;
}

/** Find a quoted passage in the document's text blocks; the first occurrence wins. */
export function findQuote(doc: PMNode, quote: string): { from: number; to: number } | null {
  const needle = quote.split('\n').find((line) => line.trim().length > 0)?.trim();
  if (!needle) return null;
  let found: { from: number; to: number } | null = null;
  doc.descendants((node, pos) => {
    if (found) return false;
    if (!node.isTextblock) return true;
    // Map every character of the block's text to its document position (inline leaves count 1).
    let text = '';
    const positions: number[] = [];
    node.forEach((child, offset) => {
      if (child.isText) {
        for (let i = 0; i < child.text!.length; i++) positions.push(pos + 1 + offset + i);
        text += child.text;
      } else {
        positions.push(pos + 1 + offset);
        text += '\n';
      }
    });
    const at = text.indexOf(needle);
    if (at >= 0) found = { from: positions[at], to: positions[at + needle.length - 1] + 1 };
    return false;
  });
  return found;
}

/** Resolve every open comment thread of a document to a range of the exported ProseMirror doc. */
export function anchorThreads(ydoc: Y.Doc, doc: PMNode, threads: Thread[]): AnchoredThread[] {
  return threads.map((thread) => {
    if (thread.anchor) {
      const from = yjsToPmPosition(ydoc, thread.anchor.start);
      const to = yjsToPmPosition(ydoc, thread.anchor.end);
      if (from !== null && to !== null && to > from && to <= doc.content.size) return { thread, range: { from, to }, resolvedBy: 'anchor' as const };
    }
    const quoted = findQuote(doc, thread.quote);
    return quoted ? { thread, range: quoted, resolvedBy: 'quote' as const } : { thread, range: null, resolvedBy: 'none' as const };
  });
}
