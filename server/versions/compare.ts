/**
 * Comparing two states of a plan: the newer document with insertions and deletions marked
 * inline, each inserted run attributed to the person whose Yjs client wrote it.
 *
 * 1. Align top-level blocks (block-diff.ts).
 * 2. Diff each differing run of blocks token by token (token-diff.ts: prosemirror-changeset's
 *    diff, with a word pass first for long runs), and simplify the result with
 *    prosemirror-changeset to whole words where insertions and deletions mix.
 * 3. Walk the newer document and emit it as a DiffElement tree: inserted ranges marked,
 *    deleted slices of the older document placed where they were removed.
 */
import { Change, simplifyChanges } from '@tiptap/pm/changeset';
import type { Mark, Node as PMNode, Slice } from '@tiptap/pm/model';
import { isSafeHref } from '../../shared/links.ts';
import { SuggestionMark } from '../../shared/suggestion-marks.ts';
import type { ChangeKind, DiffElement, DiffMark, DiffNode, DiffText } from '../../shared/versions.ts';
import type { TextClients } from './attribution.ts';
import { blockHunks, blockKeys, blockOffsets } from './block-diff.ts';
import { diffFragments, type DiffWork, type TokenEncoder } from './token-diff.ts';

/** Node attributes the compare view keeps (the rest is editor detail). */
const KEPT_ATTRS = new Set(['level', 'start', 'colspan', 'rowspan', 'language']);

/** What the diff treats as equal: characters by code, nodes by type (and heading level); marks are ignored. */
export const encoder: TokenEncoder<number | string> = {
  encodeCharacter: (char) => char,
  encodeNodeStart: (node) => (node.type.name === 'heading' ? `heading:${node.attrs.level}` : node.type.name),
  encodeNodeEnd: (node) => `/${node.type.name}`,
  compareTokens: (a, b) => a === b,
};

/** The changed ranges between two documents, in positions of both (changeset's Change). */
export function diffDocuments(older: PMNode, newer: PMNode, work?: DiffWork): readonly Change[] {
  const [keysA, keysB] = blockKeys([older, newer]);
  const hunks = blockHunks(keysA, keysB);
  if (hunks.length === 0) return [];
  const offA = blockOffsets(older);
  const offB = blockOffsets(newer);
  const changes: Change[] = [];
  for (const h of hunks) {
    const fromA = offA[h.a0];
    const fromB = offB[h.b0];
    const range = { fromA, toA: offA[h.a1], fromB, toB: offB[h.b1] };
    for (const [fa, ta, fb, tb] of diffFragments(older.content, newer.content, range, encoder, work)) {
      const deleted = ta > fa ? [{ length: ta - fa, data: null }] : [];
      const inserted = tb > fb ? [{ length: tb - fb, data: null }] : [];
      changes.push(Change.fromJSON({ fromA: fromA + fa, toA: fromA + ta, fromB: fromB + fb, toB: fromB + tb, deleted, inserted }));
    }
  }
  return simplifyChanges(changes, newer);
}

/** One inserted or deleted run as the walk met it, for the list of changes. */
export interface ChangeRun {
  kind: ChangeKind;
  text: string;
  author: number | null;
  /** Position in the newer document (to find its section). */
  at: number;
  /** Which change it belongs to, and in which textblock (to join runs into passages). */
  change: number;
  block: number;
}

/** The inputs of the walk that renders a comparison. */
export interface DiffInput {
  older: PMNode;
  newer: PMNode;
  changes: readonly Change[];
  /** Client id of each character of the newer document, per textblock. */
  clients: TextClients;
  /** Index into the authors table for a Yjs client id, or null when unknown. */
  authorOf: (client: number) => number | null;
}

function diffMarks(marks: readonly Mark[]): DiffMark[] {
  return marks.map((mark): DiffMark => {
    const name = mark.type.name;
    if (name === 'link') {
      const href = String(mark.attrs.href ?? '');
      return { type: 'link', attrs: { href: isSafeHref(href) ? href : null } };
    }
    if (name === SuggestionMark.insertion || name === SuggestionMark.deletion) {
      const color = String(mark.attrs.color ?? '');
      return {
        type: name,
        attrs: { suggestionId: String(mark.attrs.suggestionId ?? ''), authorName: String(mark.attrs.authorName ?? ''), color: /^#[0-9a-f]{6}$/i.test(color) ? color : null },
      };
    }
    return { type: name };
  });
}

function keptAttrs(node: PMNode): Record<string, string | number | null> {
  const attrs: Record<string, string | number | null> = {};
  for (const [key, value] of Object.entries(node.attrs)) {
    if (KEPT_ATTRS.has(key) && (typeof value === 'string' || typeof value === 'number' || value === null)) attrs[key] = value;
  }
  return attrs;
}

/** A whole node (of a deleted slice, or unchanged) as a DiffElement, every text run with the given change. */
export function plainNode(node: PMNode, change: ChangeKind | null): DiffNode {
  if (node.isText) return { kind: 'text', text: node.text ?? '', marks: diffMarks(node.marks), change, author: null };
  const children: DiffNode[] = [];
  node.forEach((child) => children.push(plainNode(child, change)));
  return { kind: 'node', type: node.type.name, attrs: keptAttrs(node), change, children };
}

/** Render the newer document with the changes marked; also returns every changed run in order. */
export function renderDiff(input: DiffInput): { doc: DiffElement; runs: ChangeRun[] } {
  const { older, newer, changes, clients, authorOf } = input;
  const runs: ChangeRun[] = [];
  const inserted = changes.map((c, index) => ({ from: c.fromB, to: c.toB, index })).filter((r) => r.to > r.from);
  const deletions = new Map<number, Array<{ slice: Slice; index: number }>>();
  changes.forEach((c, index) => {
    if (c.toA > c.fromA) {
      const list = deletions.get(c.fromB) ?? [];
      list.push({ slice: older.slice(c.fromA, c.toA), index });
      deletions.set(c.fromB, list);
    }
  });
  // Every position where a text node must be split: edges of insertions and places of deletions.
  const cuts = [...new Set([...inserted.flatMap((r) => [r.from, r.to]), ...deletions.keys()])].sort((a, b) => a - b);

  const insertionAt = (pos: number): { from: number; to: number; index: number } | undefined => {
    let lo = 0;
    let hi = inserted.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const r = inserted[mid];
      if (pos < r.from) hi = mid - 1;
      else if (pos >= r.to) lo = mid + 1;
      else return r;
    }
    return undefined;
  };
  const cutsWithin = (from: number, to: number): number[] => {
    let lo = 0;
    let hi = cuts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cuts[mid] <= from) lo = mid + 1;
      else hi = mid;
    }
    const out: number[] = [];
    for (let i = lo; i < cuts.length && cuts[i] < to; i++) out.push(cuts[i]);
    return out;
  };

  /** Deleted content removed at `pos`, shaped for where it lands (inline or between blocks). */
  const emitDeletions = (pos: number, inline: boolean, out: DiffNode[], block: number): void => {
    const list = deletions.get(pos);
    if (!list) return;
    deletions.delete(pos);
    for (const { slice, index } of list) {
      const text = slice.content.textBetween(0, slice.content.size, ' ¶ ', ' ');
      runs.push({ kind: 'deleted', text, author: null, at: pos, change: index, block });
      let blocks = false;
      slice.content.forEach((node) => (blocks ||= !node.isInline));
      if (inline && blocks) out.push({ kind: 'text', text, marks: [], change: 'deleted', author: null });
      else slice.content.forEach((node) => out.push(plainNode(node, 'deleted')));
    }
  };

  /** A text node at `pos` inside the textblock whose content starts at `block`. */
  const emitText = (node: PMNode, pos: number, block: number, out: DiffNode[]): void => {
    const text = node.text ?? '';
    const marks = diffMarks(node.marks);
    const ids = clients.get(block);
    const bounds = [pos, ...cutsWithin(pos, pos + text.length), pos + text.length];
    for (let i = 0; i + 1 < bounds.length; i++) {
      const from = bounds[i];
      const to = bounds[i + 1];
      if (i > 0) emitDeletions(from, true, out, block);
      if (to <= from) continue;
      const insertion = insertionAt(from);
      if (!insertion) {
        out.push({ kind: 'text', text: text.slice(from - pos, to - pos), marks, change: null, author: null });
        continue;
      }
      // Split the inserted run by author.
      let runStart = from;
      let runAuthor = authorAt(ids, from - block);
      for (let p = from + 1; p <= to; p++) {
        const author = p < to ? authorAt(ids, p - block) : null;
        if (p < to && author === runAuthor) continue;
        const piece: DiffText = { kind: 'text', text: text.slice(runStart - pos, p - pos), marks, change: 'inserted', author: runAuthor };
        out.push(piece);
        runs.push({ kind: 'inserted', text: piece.text, author: runAuthor, at: runStart, change: insertion.index, block });
        runStart = p;
        runAuthor = author;
      }
    }
  };
  const authorCache = new Map<number, number | null>();
  const authorAt = (ids: Float64Array | undefined, offset: number): number | null => {
    const client = ids?.[offset] ?? -1;
    if (client < 0) return null;
    let author = authorCache.get(client);
    if (author === undefined) authorCache.set(client, (author = authorOf(client)));
    return author;
  };

  /** A node whose content starts at `contentStart`; `pos` is where the node itself starts. */
  const emitNode = (node: PMNode, pos: number, contentStart: number): DiffElement => {
    const children: DiffNode[] = [];
    const range = pos >= 0 ? insertionAt(pos) : undefined;
    const whole = range !== undefined && range.to >= pos + node.nodeSize;
    node.forEach((child, offset) => {
      const at = contentStart + offset;
      emitDeletions(at, node.inlineContent, children, contentStart);
      if (child.isText) emitText(child, at, contentStart, children);
      else if (child.isLeaf) {
        const leaf = plainNode(child, insertionAt(at) ? 'inserted' : null);
        children.push(leaf);
      } else children.push(emitNode(child, at, at + 1));
    });
    emitDeletions(contentStart + node.content.size, node.inlineContent, children, contentStart);
    return { kind: 'node', type: node.type.name, attrs: keptAttrs(node), change: whole ? 'inserted' : null, children };
  };

  const doc = emitNode(newer, -1, 0);
  // Anything not placed (it cannot happen with consistent changes) goes at the end rather than vanish.
  for (const pos of [...deletions.keys()]) emitDeletions(pos, false, doc.children, 0);
  return { doc, runs };
}
