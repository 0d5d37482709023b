/**
 * Comment anchors: a passage of the plan as two Yjs relative positions (base64) into the body
 * fragment, so the passage follows its words through everyone's concurrent edits. The start
 * sticks to the passage's first character and the end to its last, so text typed just before
 * or just after the passage stays outside it.
 */
import * as Y from 'yjs';
import { fromBase64, toBase64 } from 'lib0/buffer';
import type { EditorState } from '@tiptap/pm/state';
import type { Node as PMNode } from '@tiptap/pm/model';
import { absolutePositionToRelativePosition, relativePositionToAbsolutePosition, ySyncPluginKey, type ProsemirrorBinding } from '@tiptap/y-tiptap';
import type { ThreadAnchor } from '../../../../shared/threads.ts';
import { toFlat, toGrouped } from '../editor/blockGroups.ts';

/** A passage in ProseMirror positions. */
export interface PassageRange {
  from: number;
  to: number;
}

/** The y-prosemirror binding of an editor state, once the document is rendered. */
export function syncBinding(state: EditorState): ProsemirrorBinding | null {
  const binding = (ySyncPluginKey.getState(state) as { binding?: ProsemirrorBinding } | undefined)?.binding;
  return binding && binding.mapping.size > 0 ? binding : null;
}

/**
 * Narrow a selection to the text it covers: a cell selection or a range starting between
 * blocks then anchors inside text, where relative positions follow characters.
 */
export function textBounds(doc: PMNode, from: number, to: number): PassageRange | null {
  let first = -1;
  let last = -1;
  doc.nodesBetween(from, to, (node, pos) => {
    if (!node.isText) return true;
    const start = Math.max(from, pos);
    const end = Math.min(to, pos + node.nodeSize);
    if (end > start) {
      if (first < 0) first = start;
      last = end;
    }
    return false;
  });
  return first >= 0 && last > first ? { from: first, to: last } : null;
}

/** The anchor of a passage [from, to) of the editor's document, or null if it holds no text. */
export function createAnchor(state: EditorState, from: number, to: number): ThreadAnchor | null {
  const binding = syncBinding(state);
  const bounds = textBounds(state.doc, from, to);
  if (!binding || !bounds) return null;
  // The binding works on the flat document (blockGroups.ts): positions cross over.
  const startRel = absolutePositionToRelativePosition(toFlat(state.doc, bounds.from), binding.type, binding.mapping) as Y.RelativePosition;
  const endRel = absolutePositionToRelativePosition(toFlat(state.doc, bounds.to), binding.type, binding.mapping) as Y.RelativePosition;
  // The binding's positions lean left (assoc -1): right for the end, but the start must lean
  // on the passage's first character or text typed just before it would join the passage.
  const startAbs = Y.createAbsolutePositionFromRelativePosition(startRel, binding.doc);
  const start = startAbs ? Y.createRelativePositionFromTypeIndex(startAbs.type, startAbs.index, 0) : startRel;
  return { start: toBase64(Y.encodeRelativePosition(start)), end: toBase64(Y.encodeRelativePosition(endRel)) };
}

function decode(encoded: string): Y.RelativePosition | null {
  try {
    return Y.decodeRelativePosition(fromBase64(encoded));
  } catch {
    return null;
  }
}

/**
 * Where an anchor is in the editor's document now, or null when the passage is gone (deleted,
 * emptied, or pointing outside the body): such a thread is "detached" and keeps its quote.
 */
export function resolveAnchor(state: EditorState, anchor: ThreadAnchor | null): PassageRange | null {
  const binding = syncBinding(state);
  if (!binding || !anchor) return null;
  const start = decode(anchor.start);
  const end = decode(anchor.end);
  if (!start || !end) return null;
  try {
    const flatFrom = relativePositionToAbsolutePosition(binding.doc, binding.type, start, binding.mapping);
    const flatTo = relativePositionToAbsolutePosition(binding.doc, binding.type, end, binding.mapping);
    const from = flatFrom === null ? null : toGrouped(state.doc, flatFrom);
    const to = flatTo === null ? null : toGrouped(state.doc, flatTo);
    if (from === null || to === null || from < 0 || to > state.doc.content.size || from >= to) return null;
    // Only block boundaries left between the two ends: every word of the passage was deleted.
    return textBounds(state.doc, from, to) ? { from, to } : null;
  } catch {
    // A position into content this client has not rendered yet: treat as detached for now.
    return null;
  }
}

/** The text of a passage, as quoted on its thread. */
export function quoteOf(doc: PMNode, range: PassageRange, max = 2000): string {
  return doc.textBetween(range.from, range.to, '\n', ' ').replace(/\s+\n/g, '\n').trim().slice(0, max);
}
