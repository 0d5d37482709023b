/**
 * Tracked suggestions as data: what the body holds (insertion and deletion marks, blocks
 * proposed as new), and the one rule the server enforces for people who may only suggest:
 *
 *   an update by person P is a pure suggestion iff the plan "without P's suggestions" is the
 *   same before and after it.
 *
 * "Without P's suggestions" removes text P proposed to insert, keeps text P proposed to delete
 * (dropping the mark), undoes formatting P proposed (the marks it added go, those it removed
 * come back), gives blocks P proposed to retype their recorded type back, and folds blocks P
 * proposed back into their neighbours. Everyone else's suggestions stay as they are. Adding,
 * changing or withdrawing one's own suggestions leaves that view unchanged; typing plain text,
 * accepting one's own suggestion, or touching anyone else's changes it.
 */
import type { JSONContent } from '@tiptap/core';
import type { Node as PMNode, NodeType } from '@tiptap/pm/model';
import { blockKind, formatMarkList, SuggestionMark, type BlockTypeChangeAttrs, type SuggestionAttrs } from './suggestion-marks.ts';

/** Block attribute that marks a whole block (paragraph, list item, table row) as proposed. */
export const BLOCK_SUGGESTION_ATTR = 'suggestedInsert';
/** Block attribute that marks a paragraph's or heading's type as proposed (BlockTypeChangeAttrs). */
export const BLOCK_TYPE_ATTR = 'suggestedType';

/**
 * The markup a block with a proposed type takes when the proposal is settled: accepted, it
 * keeps its type and drops the record; rejected, it gets the recorded type (and heading level)
 * back. A recorded type the schema lacks (a stored value is data) is settled by dropping the
 * record. Null when the block has no proposed type.
 */
export function settledBlockType(node: PMNode, restore: boolean): { type: NodeType; attrs: Record<string, unknown> } | null {
  const record = node.attrs[BLOCK_TYPE_ATTR] as BlockTypeChangeAttrs | null | undefined;
  if (!record) return null;
  const recorded = restore ? node.type.schema.nodes[record.fromType] : undefined;
  const type = recorded ?? node.type;
  const { level, ...attrs }: Record<string, unknown> = { ...node.attrs, [BLOCK_TYPE_ATTR]: null };
  if (type.name !== 'heading') return { type, attrs };
  return { type, attrs: { ...attrs, level: recorded ? (record.fromLevel ?? 1) : level } };
}

/** One suggestion found in a plan. */
export interface SuggestionSummary {
  suggestionId: string;
  authorId: string;
  authorName: string;
  color: string;
  createdAt: string;
  /** Proposed new text. */
  inserted: string;
  /** Text proposed for deletion. */
  deleted: string;
  /** Blocks proposed as new. */
  blocks: number;
  /** Text whose formatting is proposed to change. */
  formatted: string;
  /** Formatting proposed for it: marks added, marks removed (FORMAT_MARKS names, in first-seen order). */
  added: string[];
  removed: string[];
  /** Text of the blocks whose type is proposed to change. */
  retyped: string;
  /** The type proposed for them (blockKind: "paragraph", "heading2"; '' when none). */
  retypeTo: string;
}

/** Add the names in `more` that `list` lacks, in order (the summaries' format lists). */
export function unionInto(list: string[], more: readonly string[]): void {
  for (const name of more) if (!list.includes(name)) list.push(name);
}

function isSuggestion(value: unknown): value is SuggestionAttrs {
  return typeof value === 'object' && value !== null && typeof (value as SuggestionAttrs).suggestionId === 'string';
}

function isRetype(value: unknown): value is BlockTypeChangeAttrs {
  return isSuggestion(value) && typeof (value as BlockTypeChangeAttrs).fromType === 'string';
}

/** The text inside a node, for summaries. */
function textIn(node: JSONContent): string {
  return node.type === 'text' ? (node.text ?? '') : (node.content ?? []).map(textIn).join('');
}

function markOf(node: JSONContent, type: string): SuggestionAttrs | undefined {
  const mark = node.marks?.find((m) => m.type === type);
  return mark && isSuggestion(mark.attrs) ? (mark.attrs as SuggestionAttrs) : undefined;
}

/** Every suggestion of a plan, in document order. */
export function collectSuggestions(doc: JSONContent): SuggestionSummary[] {
  const found = new Map<string, SuggestionSummary>();
  const entry = (attrs: SuggestionAttrs): SuggestionSummary => {
    let s = found.get(attrs.suggestionId);
    if (!s) {
      s = { suggestionId: attrs.suggestionId, authorId: attrs.authorId, authorName: attrs.authorName, color: attrs.color, createdAt: attrs.createdAt, inserted: '', deleted: '', blocks: 0, formatted: '', added: [], removed: [], retyped: '', retypeTo: '' };
      found.set(attrs.suggestionId, s);
    }
    return s;
  };
  const walk = (node: JSONContent): void => {
    const block = node.attrs?.[BLOCK_SUGGESTION_ATTR];
    if (isSuggestion(block)) entry(block).blocks++;
    const retype = node.attrs?.[BLOCK_TYPE_ATTR];
    if (isRetype(retype)) {
      const summary = entry(retype);
      summary.retyped += (summary.retyped ? '\n' : '') + textIn(node);
      summary.retypeTo ||= blockKind(node.type ?? '', node.attrs?.level);
    }
    if (node.type === 'text') {
      const ins = markOf(node, SuggestionMark.insertion);
      const del = markOf(node, SuggestionMark.deletion);
      if (ins) entry(ins).inserted += node.text ?? '';
      if (del) entry(del).deleted += node.text ?? '';
      const format = markOf(node, SuggestionMark.format);
      if (format) {
        const summary = entry(format);
        summary.formatted += node.text ?? '';
        unionInto(summary.added, formatMarkList((format as { added?: unknown }).added));
        unionInto(summary.removed, formatMarkList((format as { removed?: unknown }).removed));
      }
    }
    node.content?.forEach(walk);
  };
  walk(doc);
  return [...found.values()];
}

/** Blocks whose content folds into the previous block when they are "un-proposed". */
const TEXTBLOCKS = new Set(['paragraph', 'heading']);

/**
 * The plan as it would be without one person's suggestions (see the module comment). The
 * result is only compared for equality; it need not be a valid document.
 */
export function withoutSuggestionsOf(doc: JSONContent, authorId: string): JSONContent {
  const ownBlock = (node: JSONContent): boolean => {
    const attrs = node.attrs?.[BLOCK_SUGGESTION_ATTR];
    return isSuggestion(attrs) && attrs.authorId === authorId;
  };
  const ownRetype = (node: JSONContent): BlockTypeChangeAttrs | null => {
    const attrs = node.attrs?.[BLOCK_TYPE_ATTR];
    return isRetype(attrs) && attrs.authorId === authorId ? attrs : null;
  };
  /**
   * The block's attributes without P's block suggestions (a retyped block gets its recorded
   * level back, or none); null values (defaults, which stored documents omit) are left out.
   */
  const cleanAttrs = (node: JSONContent): JSONContent['attrs'] => {
    if (!node.attrs) return node.attrs;
    const retype = ownRetype(node);
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node.attrs)) {
      if (value === null || value === undefined) continue;
      if (key === BLOCK_SUGGESTION_ATTR && ownBlock(node)) continue;
      if (key === BLOCK_TYPE_ATTR && retype) continue;
      if (key === 'level' && retype) continue;
      out[key] = value;
    }
    if (retype?.fromType === 'heading') out.level = retype.fromLevel;
    return Object.keys(out).length > 0 ? out : undefined;
  };
  /** The node's type without P's proposed retype. */
  const typeOf = (node: JSONContent): JSONContent['type'] => ownRetype(node)?.fromType ?? node.type;
  const visit = (node: JSONContent): JSONContent | null => {
    if (node.type === 'text') {
      if (markOf(node, SuggestionMark.insertion)?.authorId === authorId) return null;
      const format = markOf(node, SuggestionMark.format);
      const own = format?.authorId === authorId ? (format as { added?: unknown; removed?: unknown }) : null;
      const added = own ? formatMarkList(own.added) : [];
      const removed = own ? formatMarkList(own.removed).filter((name) => !node.marks?.some((m) => m.type === name)) : [];
      const marks = [
        ...(node.marks ?? []).filter((m) => {
          if (isSuggestion(m.attrs) && m.attrs.authorId === authorId && (m.type === SuggestionMark.deletion || m.type === SuggestionMark.format)) return false;
          return !(own && added.includes(m.type));
        }),
        ...removed.map((type) => ({ type })),
      ].sort((a, b) => a.type.localeCompare(b.type));
      return { ...node, marks: marks.length ? marks : undefined };
    }
    if (!node.content) return { ...node, type: typeOf(node), attrs: cleanAttrs(node) };
    const children: JSONContent[] = [];
    for (const child of node.content) {
      const visited = visit(child);
      if (!visited) continue;
      if (ownBlock(child)) {
        const previous = children[children.length - 1];
        if (previous && TEXTBLOCKS.has(child.type ?? '') && TEXTBLOCKS.has(previous.type ?? '')) {
          // An Enter proposed in the middle of a paragraph: fold the tail back into it.
          previous.content = mergeText([...(previous.content ?? []), ...(visited.content ?? [])]);
          continue;
        }
        const hasText = JSON.stringify(visited.content ?? []).includes('"text"');
        if (!hasText) continue; // a proposed empty block (row, item, paragraph) disappears
      }
      children.push(visited);
    }
    return { ...node, type: typeOf(node), attrs: cleanAttrs(node), content: mergeText(children) };
  };
  return visit(doc) ?? { type: 'doc' };
}

/** Merge adjacent text nodes with equal marks, so splitting a run does not count as a change. */
function mergeText(nodes: JSONContent[]): JSONContent[] {
  const out: JSONContent[] = [];
  for (const node of nodes) {
    const last = out[out.length - 1];
    if (last && last.type === 'text' && node.type === 'text' && JSON.stringify(last.marks ?? []) === JSON.stringify(node.marks ?? [])) {
      out[out.length - 1] = { ...last, text: (last.text ?? '') + (node.text ?? '') };
    } else out.push(node);
  }
  return out;
}

/** Stable JSON for comparing documents (keys sorted, undefined dropped). */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined).sort(([a], [b]) => a.localeCompare(b)));
    }
    return v;
  });
}

/** Whether going from `before` to `after` only adds, changes or withdraws `authorId`'s suggestions. */
export function onlyOwnSuggestions(before: JSONContent, after: JSONContent, authorId: string): boolean {
  return canonicalJson(withoutSuggestionsOf(before, authorId)) === canonicalJson(withoutSuggestionsOf(after, authorId));
}
