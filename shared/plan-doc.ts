/** Conversions between a plan's Y.Doc and ProseMirror JSON, using the shared schema. */
import * as Y from 'yjs';
import type { JSONContent } from '@tiptap/core';
import { prosemirrorJSONToYXmlFragment, yXmlFragmentToProsemirrorJSON } from '@tiptap/y-tiptap';
import { planSchema } from './schema.ts';
import { YName } from './protocol.ts';

/** Write ProseMirror JSON into a Y.Doc's plan body (which must be empty). */
export function writePlanContent(doc: Y.Doc, content: JSONContent): void {
  const fragment = doc.getXmlFragment(YName.body);
  prosemirrorJSONToYXmlFragment(planSchema, content, fragment);
}

/** A new Y.Doc update holding the given content, ready to be stored as a plan's first state. */
export function encodePlanContent(content: JSONContent): Uint8Array {
  const doc = new Y.Doc();
  writePlanContent(doc, content);
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return update;
}

/** The plan body of a Y.Doc as ProseMirror JSON. */
export function readPlanContent(doc: Y.Doc): JSONContent {
  return yXmlFragmentToProsemirrorJSON(doc.getXmlFragment(YName.body)) as JSONContent;
}

/** The plain text of a plan body, one block per line (for tests, search and previews). */
export function planText(content: JSONContent): string {
  const lines: string[] = [];
  const walk = (node: JSONContent, line: string[]): void => {
    if (node.type === 'text') {
      line.push(node.text ?? '');
      return;
    }
    const isBlock = node.type === 'paragraph' || node.type === 'heading';
    const inner: string[] = isBlock ? [] : line;
    for (const child of node.content ?? []) walk(child, inner);
    if (isBlock) lines.push(inner.join(''));
  };
  walk(content, []);
  return lines.join('\n');
}
