/**
 * Turning an edit into a suggestion. In "Sugerir" mode every local transaction is rewritten
 * before it is applied: inserted content gets the person's insertion mark (new blocks get the
 * suggestedInsert attribute), deleted text stays and gets their deletion mark, and text they
 * themselves proposed is really removed (editing one's own proposal). A replacement becomes
 * one suggestion: deletion and insertion share an id. Bold, italic, underline and strike
 * applied or removed become a formatting suggestion (the formatting shows, a formatChange mark
 * records what changed). A paragraph made a heading, or a heading's level changed, becomes a
 * block type suggestion (suggestedType records the type before). What cannot be proposed yet
 * (other formatting, links, restructuring lists or tables) is refused with a reason instead of
 * being applied silently.
 */
import type { EditorState, Transaction } from '@tiptap/pm/state';
import { TextSelection } from '@tiptap/pm/state';
import { AddMarkStep, RemoveMarkStep, ReplaceAroundStep, ReplaceStep } from '@tiptap/pm/transform';
import type { Mark, Node as PMNode } from '@tiptap/pm/model';
import { FORMAT_MARKS, formatMarkList, RETYPABLE_BLOCKS, SuggestionMark, SUGGESTABLE_BLOCKS, type BlockTypeChangeAttrs, type SuggestionAttrs } from '../../../../shared/suggestion-marks.ts';
import { BLOCK_SUGGESTION_ATTR, BLOCK_TYPE_ATTR } from '../../../../shared/suggestions.ts';

/** Who is suggesting (the mark attributes other than id and time). */
export interface Suggester {
  authorId: string;
  authorName: string;
  color: string;
}

/** The outcome of rewriting: a transaction to apply, or a reason it cannot be proposed. */
export type SuggestOutcome = { transaction: Transaction; newSuggestionIds: string[] } | { refused: string };

/** Meta key on transactions that must pass unchanged (decisions, our own rewrites). */
export const SUGGESTION_BYPASS = 'minga-suggestion-bypass';

/** A fresh suggestion id. */
export function newSuggestionId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(9));
  return 's' + Array.from(bytes, (b) => b.toString(36).padStart(2, '0')).join('').slice(0, 15);
}

function ownMark(marks: readonly Mark[], name: string, authorId: string): Mark | undefined {
  return marks.find((m) => m.type.name === name && m.attrs.authorId === authorId);
}

/** The attributes of an own suggestion mark touching `pos` (to keep typing in one suggestion). */
function adjacentOwn(doc: PMNode, pos: number, name: string, authorId: string): SuggestionAttrs | null {
  const $pos = doc.resolve(pos);
  for (const node of [$pos.nodeBefore, $pos.nodeAfter]) {
    const mark = node?.isText ? ownMark(node.marks, name, authorId) : undefined;
    if (mark) return mark.attrs as SuggestionAttrs;
  }
  return null;
}

/**
 * A transaction that only adds or removes marks (Ctrl+B on a selection, say), as a formatting
 * suggestion: the formatting is applied and each changed piece of text gets `who`'s formatChange
 * mark, whose added/removed lists say what to undo on rejecting. Changing one's own proposal
 * again updates its lists (bold then not bold leaves no suggestion). Text `who` proposed to
 * insert is formatted directly (it is theirs until decided). Null when the transaction is not
 * marks only.
 */
function suggestFormatting(state: EditorState, tr: Transaction, who: Suggester): SuggestOutcome | null {
  const steps = tr.steps;
  if (!steps.every((step) => step instanceof AddMarkStep || step instanceof RemoveMarkStep)) return null;
  const markSteps = steps as Array<(AddMarkStep | RemoveMarkStep) & { from: number; to: number; mark: Mark }>;
  if (!markSteps.every((step) => (FORMAT_MARKS as readonly string[]).includes(step.mark.type.name))) return { refused: 'structure' };
  const formatType = state.schema.marks[SuggestionMark.format];
  const out = state.tr;
  out.setMeta(SUGGESTION_BYPASS, true);
  const createdAt = new Date().toISOString();
  let newId: string | null = null;
  for (const step of markSteps) {
    const adding = step instanceof AddMarkStep;
    const name = step.mark.type.name;
    const pieces: Array<{ from: number; to: number; marks: readonly Mark[] }> = [];
    out.doc.nodesBetween(step.from, step.to, (node, pos) => {
      if (node.isText) pieces.push({ from: Math.max(step.from, pos), to: Math.min(step.to, pos + node.nodeSize), marks: node.marks });
      return !node.isText;
    });
    for (const piece of pieces) {
      if (piece.marks.some((m) => m.type === step.mark.type) === adding) continue; // already so
      if (adding) out.addMark(piece.from, piece.to, step.mark);
      else out.removeMark(piece.from, piece.to, step.mark.type);
      if (ownMark(piece.marks, SuggestionMark.insertion, who.authorId)) continue;
      const existing = piece.marks.find((m) => m.type === formatType);
      if (existing && existing.attrs.authorId !== who.authorId) return { refused: 'overlap' };
      const added = formatMarkList(existing?.attrs.added);
      const removed = formatMarkList(existing?.attrs.removed);
      const [undone, done] = adding ? [removed, added] : [added, removed];
      if (undone.includes(name)) undone.splice(undone.indexOf(name), 1);
      else done.push(name);
      if (added.length === 0 && removed.length === 0) {
        out.removeMark(piece.from, piece.to, formatType);
        continue;
      }
      if (!existing) newId ??= newSuggestionId();
      const base = existing ? (existing.attrs as SuggestionAttrs) : { suggestionId: newId!, ...who, createdAt };
      out.addMark(piece.from, piece.to, formatType.create({ ...base, added, removed }));
    }
  }
  out.setSelection(state.selection.map(out.doc, out.mapping));
  return { transaction: out, newSuggestionIds: newId ? [newId] : [] };
}

const isRetypable = (node: PMNode): boolean => (RETYPABLE_BLOCKS as readonly string[]).includes(node.type.name);

/**
 * The blocks `after` retypes relative to `before` (a paragraph made a heading, a heading's level
 * changed), with their positions; null unless that is the only difference between the two
 * documents. Unchanged blocks are the same node objects, so this follows the edit's size.
 */
function retypedBlocks(before: PMNode, after: PMNode): Array<{ pos: number; from: PMNode; to: PMNode }> | null {
  const found: Array<{ pos: number; from: PMNode; to: PMNode }> = [];
  const compare = (x: PMNode, y: PMNode, start: number): boolean => {
    if (x.childCount !== y.childCount) return false;
    let pos = start;
    for (let i = 0; i < x.childCount; i++) {
      const a = x.child(i);
      const b = y.child(i);
      if (a !== b && !a.eq(b)) {
        if (!a.sameMarkup(b)) {
          const retype = isRetypable(a) && isRetypable(b) && (a.type !== b.type || a.attrs.level !== b.attrs.level) && a.content.eq(b.content);
          if (!retype) return false;
          found.push({ pos, from: a, to: b });
        } else if (a.isText || !compare(a, b, pos + 1)) return false;
      }
      pos += a.nodeSize;
    }
    return true;
  };
  return compare(before, after, 0) && found.length > 0 ? found : null;
}

/**
 * A transaction that only changes the type of paragraphs and headings (the toolbar's ¶ and
 * T1–T3), as a block type suggestion: the blocks take the new type, and `who`'s suggestedType
 * attribute records the type before, for rejecting. Retyping one's own proposal again keeps
 * its record (back to the recorded type: no suggestion left); a block `who` proposed as new is
 * retyped directly. Null when the transaction is something else.
 */
function suggestRetype(state: EditorState, tr: Transaction, who: Suggester): SuggestOutcome | null {
  if (!tr.steps.every((step) => step instanceof ReplaceAroundStep)) return null;
  const changes = retypedBlocks(state.doc, tr.doc);
  if (!changes) return null;
  const out = state.tr;
  out.setMeta(SUGGESTION_BYPASS, true);
  const createdAt = new Date().toISOString();
  let newId: string | null = null;
  for (const { pos, from, to } of changes) {
    const proposedBlock = from.attrs[BLOCK_SUGGESTION_ATTR] as SuggestionAttrs | null;
    const existing = from.attrs[BLOCK_TYPE_ATTR] as BlockTypeChangeAttrs | null;
    if ((proposedBlock && proposedBlock.authorId !== who.authorId) || (existing && existing.authorId !== who.authorId)) return { refused: 'overlap' };
    let record: BlockTypeChangeAttrs | null = null;
    if (!proposedBlock) {
      const fromType = existing?.fromType ?? from.type.name;
      const fromLevel = existing ? existing.fromLevel : from.type.name === 'heading' ? Number(from.attrs.level) : null;
      const backToRecorded = to.type.name === fromType && (fromType !== 'heading' || Number(to.attrs.level) === fromLevel);
      if (!backToRecorded) {
        if (!existing) newId ??= newSuggestionId();
        record = existing ? { ...existing } : { suggestionId: newId!, ...who, createdAt, fromType, fromLevel };
      }
    }
    out.setNodeMarkup(pos, to.type, { ...to.attrs, [BLOCK_SUGGESTION_ATTR]: proposedBlock, [BLOCK_TYPE_ATTR]: record });
  }
  out.setSelection(state.selection.map(out.doc, out.mapping));
  return { transaction: out, newSuggestionIds: newId ? [newId] : [] };
}

/** Rewrite a local transaction as a suggestion by `who`, against the state it applies to. */
export function suggestTransaction(state: EditorState, tr: Transaction, who: Suggester): SuggestOutcome {
  const steps = tr.steps;
  if (steps.length === 0) return { transaction: tr, newSuggestionIds: [] };
  const formatting = suggestFormatting(state, tr, who) ?? suggestRetype(state, tr, who);
  if (formatting) return formatting;
  if (steps.length !== 1 || !(steps[0] instanceof ReplaceStep)) {
    return { refused: 'structure' };
  }
  const step = steps[0] as ReplaceStep & { from: number; to: number; slice: import('@tiptap/pm/model').Slice };
  const { from, to, slice } = step;
  const schema = state.schema;
  const out = state.tr;
  out.setMeta(SUGGESTION_BYPASS, true);
  const createdAt = new Date().toISOString();
  const newIds: string[] = [];
  // One suggestion for a replacement; typing on continues the neighbouring own suggestion
  // (same id and time, so it reads and renders as one proposal).
  const existing =
    (slice.size > 0 ? adjacentOwn(state.doc, from, SuggestionMark.insertion, who.authorId) ?? adjacentOwn(state.doc, from, SuggestionMark.deletion, who.authorId) : null) ??
    (from < to ? adjacentOwn(state.doc, from, SuggestionMark.deletion, who.authorId) ?? adjacentOwn(state.doc, to, SuggestionMark.deletion, who.authorId) : null);
  const id = existing?.suggestionId ?? newSuggestionId();
  if (!existing) newIds.push(id);
  const attrsFor = (suggestionId: string): SuggestionAttrs => (existing ? { ...existing } : { suggestionId, ...who, createdAt });

  // 1. The deleted range: own proposals go, everything else is marked for deletion.
  const remove: Array<[number, number]> = [];
  let marked = false;
  if (from < to) {
    state.doc.nodesBetween(from, to, (node, pos) => {
      if (!node.isText) return true;
      const start = Math.max(from, pos);
      const end = Math.min(to, pos + node.nodeSize);
      if (ownMark(node.marks, SuggestionMark.insertion, who.authorId)) remove.push([start, end]);
      else if (!node.marks.some((m) => m.type.name === SuggestionMark.deletion)) {
        if (node.marks.some((m) => m.type.name === SuggestionMark.insertion)) return false; // someone else's proposal: not ours to touch
        out.addMark(start, end, schema.marks[SuggestionMark.deletion].create(attrsFor(id)));
        marked = true;
      }
      return false;
    });
    for (const [start, end] of remove.reverse()) out.delete(start, end);
  }

  // 2. The inserted content goes after what stays, marked as proposed.
  let cursor: number;
  if (slice.size > 0) {
    const at = out.mapping.map(to, 1);
    const stepsBefore = out.steps.length;
    out.replace(at, at, slice);
    const inserted = out.mapping.slice(stepsBefore);
    const insertStart = inserted.map(at, -1);
    const insertEnd = inserted.map(at, 1);
    out.removeMark(insertStart, insertEnd, schema.marks[SuggestionMark.deletion]);
    out.addMark(insertStart, insertEnd, schema.marks[SuggestionMark.insertion].create(attrsFor(id)));
    // Blocks whose opening was inserted (Enter, a new row or list item) are proposed as a whole.
    out.doc.nodesBetween(insertStart, insertEnd, (node, pos) => {
      if (pos >= insertStart && pos < insertEnd && (SUGGESTABLE_BLOCKS as readonly string[]).includes(node.type.name) && !node.attrs[BLOCK_SUGGESTION_ATTR]) {
        out.setNodeMarkup(pos, undefined, { ...node.attrs, [BLOCK_SUGGESTION_ATTR]: attrsFor(id) });
      }
      return true;
    });
    cursor = insertEnd;
  } else {
    // Backspace leaves the caret before the marked text; Delete moves past it.
    const backwards = state.selection.empty && state.selection.from === to;
    cursor = backwards ? out.mapping.map(from, -1) : out.mapping.map(to, 1);
  }
  if (!marked && remove.length === 0 && slice.size === 0) {
    // Nothing to propose (e.g. deleting text already proposed for deletion): just move on.
    newIds.length = 0;
  }
  out.setSelection(TextSelection.near(out.doc.resolve(Math.max(0, Math.min(cursor, out.doc.content.size)))));
  out.scrollIntoView();
  return { transaction: out, newSuggestionIds: newIds };
}
