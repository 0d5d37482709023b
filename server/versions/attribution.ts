/**
 * Who wrote each character of a plan, as far as Yjs can tell: every character is an item
 * created by one Yjs client id, and the workspace remembers which person wrote with which
 * client id. Deletions carry no author in Yjs (a delete set has no client ids), so deleted
 * text stays unattributed: the compare view says "unknown" rather than guess.
 */
import * as Y from 'yjs';
import type { Node as PMNode } from '@tiptap/pm/model';

/** For each textblock (by the position where its content starts): the client id of each character, -1 where none. */
export type TextClients = Map<number, Float64Array>;

/** Client ids of the visible characters of a Y.XmlText, written into `out` from `at`; returns the next index. */
function collectText(text: Y.XmlText, out: Float64Array, at: number): number {
  let i = at;
  // Walk the item list directly: deleted items and formatting items are not characters.
  for (let item = text._start; item !== null; item = item.right) {
    if (item.deleted || !item.countable) continue;
    if (item.content instanceof Y.ContentString) {
      const end = i + item.length;
      if (end > out.length) return -1;
      out.fill(item.id.client, i, end);
      i = end;
    } else {
      i += item.length;
    }
  }
  return i;
}

/**
 * Align a ProseMirror document with the Y.XmlFragment it was built from and record, per
 * textblock, the client id of each character. Parts that do not align (content the conversion
 * had to drop) are left out and read as "unknown".
 */
export function textClients(fragment: Y.XmlFragment, doc: PMNode): TextClients {
  const out: TextClients = new Map();
  const walk = (y: Y.XmlFragment | Y.XmlElement, node: PMNode, contentStart: number): void => {
    const children = y.toArray();
    if (node.inlineContent) {
      const ids = new Float64Array(node.content.size).fill(-1);
      let i = 0;
      for (const child of children) {
        if (child instanceof Y.XmlText) i = collectText(child, ids, i);
        else i += 1; // an inline node (hard break) is one position
        if (i < 0) return;
      }
      if (i === node.content.size) out.set(contentStart, ids);
      return;
    }
    if (children.length !== node.childCount) return;
    node.forEach((child, offset, index) => {
      const yChild = children[index];
      if (yChild instanceof Y.XmlElement && !child.isLeaf && yChild.nodeName === child.type.name) walk(yChild, child, contentStart + offset + 1);
    });
  };
  walk(fragment, doc, 0);
  return out;
}
