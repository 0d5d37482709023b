/**
 * Accepting, rejecting and withdrawing suggestions as one ProseMirror transaction (one undo
 * step). Accepting keeps proposed text and removes text proposed for deletion; rejecting does
 * the opposite; withdrawing is rejecting one's own. Proposed blocks are kept (accept) or folded
 * back into the block they were split from, or removed when they were wholly new (reject).
 * Proposed formatting stays (accept) or is undone (reject: the marks it added go, those it
 * removed come back). A proposed block type stays (accept) or the recorded one comes back.
 */
import type { EditorState, Transaction } from '@tiptap/pm/state';
import { canJoin } from '@tiptap/pm/transform';
import { formatMarkList, SuggestionMark, type BlockTypeChangeAttrs } from '../../../../shared/suggestion-marks.ts';
import { BLOCK_SUGGESTION_ATTR, BLOCK_TYPE_ATTR, settledBlockType } from '../../../../shared/suggestions.ts';
import { SUGGESTION_BYPASS } from './suggestTransaction.ts';

/** What to do with the chosen suggestions. */
export type Decision = 'accept' | 'reject';

type Operation =
  | { kind: 'unmark'; from: number; to: number; mark: string }
  | { kind: 'unformat'; from: number; to: number; added: string[]; removed: string[] }
  | { kind: 'delete'; from: number; to: number }
  | { kind: 'keepBlock'; pos: number }
  | { kind: 'settleType'; pos: number; restore: boolean }
  | { kind: 'dropBlock'; pos: number; size: number; textblock: boolean };

/** Build the transaction that applies `decision` to every suggestion whose id is in `ids`. */
export function decideSuggestions(state: EditorState, ids: ReadonlySet<string>, decision: Decision): Transaction | null {
  const ops: Operation[] = [];
  state.doc.descendants((node, pos) => {
    const block = node.attrs?.[BLOCK_SUGGESTION_ATTR] as { suggestionId?: string } | null | undefined;
    if (block?.suggestionId && ids.has(block.suggestionId)) {
      ops.push(decision === 'accept' ? { kind: 'keepBlock', pos } : { kind: 'dropBlock', pos, size: node.nodeSize, textblock: node.isTextblock });
    }
    const retype = node.attrs?.[BLOCK_TYPE_ATTR] as BlockTypeChangeAttrs | null | undefined;
    if (retype?.suggestionId && ids.has(retype.suggestionId)) {
      ops.push({ kind: 'settleType', pos, restore: decision === 'reject' });
    }
    if (!node.isText) return true;
    for (const mark of node.marks) {
      if (!ids.has(mark.attrs.suggestionId as string)) continue;
      const range = { from: pos, to: pos + node.nodeSize };
      if (mark.type.name === SuggestionMark.format) {
        ops.push(decision === 'accept' ? { kind: 'unmark', ...range, mark: mark.type.name } : { kind: 'unformat', ...range, added: formatMarkList(mark.attrs.added), removed: formatMarkList(mark.attrs.removed) });
        continue;
      }
      const isInsertion = mark.type.name === SuggestionMark.insertion;
      const keepText = (decision === 'accept') === isInsertion;
      ops.push(keepText ? { kind: 'unmark', ...range, mark: mark.type.name } : { kind: 'delete', ...range });
    }
    return false;
  });
  if (ops.length === 0) return null;
  const tr = state.tr;
  tr.setMeta(SUGGESTION_BYPASS, true);
  // Later positions first, so earlier ones stay valid; map anyway for nested cases.
  const position = (op: Operation): number => ('pos' in op ? op.pos : op.from);
  for (const op of ops.sort((a, b) => position(b) - position(a))) {
    const map = (p: number, assoc = 1): number => tr.mapping.map(p, assoc);
    if (op.kind === 'unmark') tr.removeMark(map(op.from), map(op.to, -1), state.schema.marks[op.mark]);
    else if (op.kind === 'unformat') {
      const [from, to] = [map(op.from), map(op.to, -1)];
      for (const name of op.added) tr.removeMark(from, to, state.schema.marks[name]);
      for (const name of op.removed) tr.addMark(from, to, state.schema.marks[name].create());
      tr.removeMark(from, to, state.schema.marks[SuggestionMark.format]);
    }
    else if (op.kind === 'delete') tr.delete(map(op.from), map(op.to, -1));
    else if (op.kind === 'settleType') {
      const pos = map(op.pos);
      const node = tr.doc.nodeAt(pos);
      const settled = node && settledBlockType(node, op.restore);
      if (settled) tr.setNodeMarkup(pos, settled.type, settled.attrs);
    } else if (op.kind === 'keepBlock') {
      const pos = map(op.pos);
      const node = tr.doc.nodeAt(pos);
      if (node) tr.setNodeMarkup(pos, undefined, { ...node.attrs, [BLOCK_SUGGESTION_ATTR]: null });
    } else {
      const pos = map(op.pos);
      const node = tr.doc.nodeAt(pos);
      if (!node) continue;
      if (op.textblock && canJoin(tr.doc, pos)) tr.join(pos); // fold a proposed split back
      else if (node.textContent.length === 0 || !op.textblock) tr.delete(pos, pos + node.nodeSize);
      else tr.setNodeMarkup(pos, undefined, { ...node.attrs, [BLOCK_SUGGESTION_ATTR]: null });
    }
  }
  return tr;
}
