/**
 * The editor's ProseMirror document holds the plan's blocks in groups (`planChunk`, a `<div>`),
 * while the Yjs body stays a flat list of blocks: stored plans, versions, exports, the server
 * and stock y-websocket clients see no groups (docs/decisions.md, "The editor groups the plan's
 * blocks"). Why: typing in a contenteditable root with a thousand children costs the browser
 * 2–3 times what it costs with the same blocks in groups (docs/benchmarks.md, tenth pass).
 *
 * y-tiptap, which binds Yjs to ProseMirror, is given a flat view of the editor (`flatView`): its
 * state's document is the groups' blocks as one list (the very same node objects, so its
 * Yjs ↔ ProseMirror mapping is unchanged) and its `dispatch` turns a transaction on that flat
 * document into one on the grouped document (`groupTransaction`), regrouping the blocks while
 * keeping the previous boundaries. The build patches in client/build/y-tiptap-patches.ts reach
 * these helpers through `globalThis.__mingaBlockGroups`; positions cross with `toFlat` and
 * `toGrouped` wherever the real editor state meets Yjs (carets, undo, comment anchors).
 */
import { Extension, Node as TiptapNode, type Editor } from '@tiptap/core';
import { Fragment, type Node as PMNode } from '@tiptap/pm/model';
import { AllSelection, NodeSelection, Plugin, TextSelection, Transaction, type EditorState, type Selection } from '@tiptap/pm/state';
import { CellSelection } from '@tiptap/pm/tables';
import type { EditorView } from '@tiptap/pm/view';

export const GROUP_NODE = 'planChunk';
/** Most blocks a group gets when groups are made anew. */
const GROUP_MAX = 32;

export const PlanChunk = TiptapNode.create({
  name: GROUP_NODE,
  content: 'block+',
  parseHTML: () => [{ tag: 'div.plan-chunk' }],
  renderHTML: () => ['div', { class: 'plan-chunk' }, 0],
});

/** The editor's top node (StarterKit's `doc`, turned off in planExtensions): groups of blocks. */
export const GroupedDocument = TiptapNode.create({ name: 'doc', topNode: true, content: `${GROUP_NODE}+` });

/** A group grown past this by local edits (Enter, a paste) is split in two. */
const GROUP_SPLIT_ABOVE = 2 * GROUP_MAX;

/**
 * Groups are invisible to people: Backspace at the start of a group's first block and Delete at
 * the end of its last would make ProseMirror join the two groups (a change nobody sees), so the
 * groups are joined first and the key then does what it does between two blocks. Groups grown
 * by local edits are split, structure only (the flat document y-tiptap writes is unchanged).
 */
export const BlockGroupEditing = Extension.create({
  name: 'blockGroupEditing',
  priority: 1000,
  addKeyboardShortcuts() {
    const joinGroups = (forward: boolean) => ({ editor }: { editor: Editor }): boolean => {
      const { state, view } = editor;
      const { selection } = state;
      if (!selection.empty) return false;
      const $pos = selection.$from;
      if ($pos.depth < 2 || $pos.node(1).type.name !== GROUP_NODE) return false;
      const group = $pos.index(0);
      if (forward) {
        const atEnd = $pos.parentOffset === $pos.parent.content.size && $pos.pos === $pos.end(1) - ($pos.depth - 1);
        if (!atEnd || group >= state.doc.childCount - 1) return false;
        view.dispatch(state.tr.join($pos.after(1)));
      } else {
        const atStart = $pos.parentOffset === 0 && $pos.pos === $pos.start(1) + ($pos.depth - 1);
        if (!atStart || group === 0) return false;
        view.dispatch(state.tr.join($pos.before(1)));
      }
      return false; // the key's own handling runs next, on the joined groups
    };
    return { Backspace: joinGroups(false), Delete: joinGroups(true) };
  },
  addProseMirrorPlugins() {
    return [
      new Plugin({
        // The document the editor starts with (built from Yjs in one group) is split at once.
        view(view) {
          const tr = splitGrown(view.state);
          if (tr) view.dispatch(tr);
          return {};
        },
        appendTransaction(transactions, _old, state) {
          if (!transactions.some((tr) => tr.docChanged)) return null;
          return splitGrown(state);
        },
      }),
    ];
  },
});

/** A transaction splitting every group grown past GROUP_SPLIT_ABOVE blocks into groups of GROUP_MAX, or null. */
function splitGrown(state: EditorState): Transaction | null {
  if (!isGrouped(state.doc)) return null;
  let tr: Transaction | null = null;
  let pos = 0;
  state.doc.forEach((group) => {
    if (group.childCount > GROUP_SPLIT_ABOVE) {
      // Split into groups of GROUP_MAX: cut before block GROUP_MAX, 2 × GROUP_MAX, …
      let at = pos + 1;
      for (let i = 0; i < group.childCount; i++) {
        if (i > 0 && i % GROUP_MAX === 0) {
          tr ??= state.tr;
          tr.split(tr.mapping.map(at), 1);
        }
        at += group.child(i).nodeSize;
      }
    }
    pos += group.nodeSize;
  });
  return tr;
}

interface Layout {
  flat: PMNode;
  /** Grouped position where each group starts. */
  starts: number[];
  /** Flat position where each group's first block starts. */
  flatStarts: number[];
}

const layouts = new WeakMap<PMNode, Layout>();

function isGrouped(doc: PMNode): boolean {
  return doc.firstChild?.type.name === GROUP_NODE;
}

function layoutOf(doc: PMNode): Layout {
  let layout = layouts.get(doc);
  if (layout) return layout;
  const blocks: PMNode[] = [];
  const starts: number[] = [];
  const flatStarts: number[] = [];
  let pos = 0;
  let flatPos = 0;
  doc.forEach((group) => {
    starts.push(pos);
    flatStarts.push(flatPos);
    group.forEach((block) => blocks.push(block));
    pos += group.nodeSize;
    flatPos += group.content.size;
  });
  // The flat document's root is a group node: its content (block+) takes the blocks, so that
  // y-tiptap's steps on it are fitted to blocks, not wrapped into groups.
  layout = { flat: doc.type.schema.nodes[GROUP_NODE].create(null, Fragment.fromArray(blocks)), starts, flatStarts };
  layouts.set(doc, layout);
  return layout;
}

/** The last index i with list[i] <= value. */
function lastAtMost(list: number[], value: number): number {
  let lo = 0;
  let hi = list.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (list[mid] <= value) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

export function flatDoc(doc: PMNode): PMNode {
  return isGrouped(doc) ? layoutOf(doc).flat : doc;
}

export function toFlat(doc: PMNode, pos: number): number {
  if (!isGrouped(doc)) return pos;
  const { starts, flatStarts } = layoutOf(doc);
  const i = lastAtMost(starts, pos);
  if (pos === starts[i]) return flatStarts[i];
  const group = doc.child(i);
  if (pos >= starts[i] + group.nodeSize - 1) return flatStarts[i] + group.content.size;
  return pos - 2 * i - 1;
}

export function toGrouped(doc: PMNode, flatPos: number): number {
  if (!isGrouped(doc)) return flatPos;
  const { starts, flatStarts } = layoutOf(doc);
  // At a boundary between groups, the start of the next group's content.
  const i = lastAtMost(flatStarts, flatPos);
  const group = doc.child(i);
  const inner = Math.min(flatPos - flatStarts[i], group.content.size);
  return starts[i] + 1 + inner;
}

/**
 * A table cell selection from `anchor` to `head` (positions just before two cells), or null
 * when they are not two cells of one table. y-tiptap keeps only text, node and whole-document
 * selections across a remote change; a build patch asks this for a cell selection (its type
 * `cell`), so a person's selected cells stay selected while someone else types.
 */
export function cellSelection(doc: PMNode, anchor: number, head: number): Selection | null {
  if (anchor < 0 || head < 0 || anchor > doc.content.size || head > doc.content.size) return null;
  const $anchor = doc.resolve(anchor);
  const $head = doc.resolve(head);
  const isCell = (node: PMNode | null | undefined) => node != null && /cell/.test(String(node.type.spec.tableRole ?? ''));
  if (!isCell($anchor.nodeAfter) || !isCell($head.nodeAfter)) return null;
  // Both cells in one table: their rows' parent is the same node.
  if ($anchor.depth < 1 || $head.depth < 1 || $anchor.node(-1) !== $head.node(-1)) return null;
  return CellSelection.create(doc, anchor, head);
}

function flatSelection(selection: Selection, doc: PMNode, flat: PMNode): Selection {
  if (selection instanceof AllSelection) return new AllSelection(flat);
  if (selection instanceof CellSelection) {
    const cells = cellSelection(flat, toFlat(doc, selection.$anchorCell.pos), toFlat(doc, selection.$headCell.pos));
    if (cells) return cells;
  }
  if (selection instanceof NodeSelection && selection.node.type.name !== GROUP_NODE) return NodeSelection.create(flat, toFlat(doc, selection.from));
  return TextSelection.create(flat, toFlat(doc, selection.anchor), toFlat(doc, selection.head));
}

function groupedSelection(selection: Selection, doc: PMNode): Selection {
  if (selection instanceof AllSelection) return new AllSelection(doc);
  if (selection instanceof CellSelection) {
    const cells = cellSelection(doc, toGrouped(doc, selection.$anchorCell.pos), toGrouped(doc, selection.$headCell.pos));
    if (cells) return cells;
  }
  if (selection instanceof NodeSelection) {
    const pos = toGrouped(doc, selection.from);
    if (doc.resolve(pos).nodeAfter) return NodeSelection.create(doc, pos);
  }
  return TextSelection.between(doc.resolve(toGrouped(doc, selection.anchor)), doc.resolve(toGrouped(doc, selection.head)));
}

const flatStates = new WeakMap<EditorState, EditorState>();

export function flatState(state: EditorState): EditorState {
  if (!isGrouped(state.doc)) return state;
  let flat = flatStates.get(state);
  if (flat) return flat;
  const doc = flatDoc(state.doc);
  const view = Object.create(state) as EditorState;
  Object.defineProperty(view, 'doc', { value: doc });
  Object.defineProperty(view, 'selection', { value: flatSelection(state.selection, state.doc, doc) });
  Object.defineProperty(view, 'tr', { get: () => new (Transaction as unknown as new (state: EditorState) => Transaction)(view) });
  flat = view;
  flatStates.set(state, flat);
  return flat;
}

/**
 * New groups for the blocks of `flatTr`'s document: a group starts where one started before
 * (the old boundaries mapped through the flat transaction, so a changed or inserted block at a
 * group's start does not move it into the previous group) or once a group holds GROUP_MAX
 * blocks. A group whose blocks are all the same nodes as before is the old group node.
 */
function regroup(old: PMNode, flatTr: Transaction): PMNode[] {
  const boundaries = new Set<number>();
  const byFirst = new Map<PMNode, PMNode>();
  if (isGrouped(old)) {
    for (const start of layoutOf(old).flatStarts) boundaries.add(flatTr.mapping.map(start, -1));
    old.forEach((group) => group.firstChild && byFirst.set(group.firstChild, group));
  }
  const lists: PMNode[][] = [];
  let current: PMNode[] = [];
  flatTr.doc.forEach((block, pos) => {
    if (current.length > 0 && (boundaries.has(pos) || current.length >= GROUP_MAX)) {
      lists.push(current);
      current = [];
    }
    current.push(block);
  });
  if (current.length > 0) lists.push(current);
  const type = old.type.schema.nodes[GROUP_NODE];
  return lists.map((children) => {
    const previous = byFirst.get(children[0]);
    if (previous && previous.childCount === children.length && children.every((child, i) => previous.child(i) === child)) return previous;
    return type.create(null, children);
  });
}

/**
 * Where two lists of sibling nodes differ, compared by identity from both ends: `before`'s
 * children [start, oldEnd) became `after`[start, newEnd); `from`/`to` are the old ones' positions
 * (the parent's content starting at `contentStart`).
 */
function changedRange(before: PMNode, after: readonly PMNode[], contentStart: number): { from: number; to: number; start: number; newEnd: number } {
  let start = 0;
  let from = contentStart;
  while (start < before.childCount && start < after.length && before.child(start) === after[start]) {
    from += before.child(start).nodeSize;
    start++;
  }
  let oldEnd = before.childCount;
  let newEnd = after.length;
  while (oldEnd > start && newEnd > start && before.child(oldEnd - 1) === after[newEnd - 1]) {
    oldEnd--;
    newEnd--;
  }
  let to = from;
  for (let i = start; i < oldEnd; i++) to += before.child(i).nodeSize;
  return { from, to, start, newEnd };
}

function childrenOf(node: PMNode): PMNode[] {
  const children: PMNode[] = [];
  node.forEach((child) => children.push(child));
  return children;
}

/** The transaction on the grouped document that does what `flatTr` did to the flat one. */
export function groupTransaction(state: EditorState, flatTr: Transaction): Transaction {
  const tr = state.tr;
  if (flatTr.docChanged) {
    const old = state.doc;
    const groups = regroup(old, flatTr);
    const changed = changedRange(old, groups, 0);
    const oldGroup = changed.start < old.childCount ? old.child(changed.start) : null;
    const oneGroup = changed.newEnd - changed.start === 1 && oldGroup !== null && changed.to - changed.from === oldGroup.nodeSize;
    if (oneGroup) {
      // One group changed inside (a remote keystroke): a step over the blocks that changed in
      // it, not over the group, so plugins that look at what changed look at one block.
      const inside = changedRange(oldGroup, childrenOf(groups[changed.start]), changed.from + 1);
      tr.replaceWith(inside.from, inside.to, Fragment.fromArray(childrenOf(groups[changed.start]).slice(inside.start, inside.newEnd)));
    } else {
      tr.replaceWith(changed.from, changed.to, Fragment.fromArray(groups.slice(changed.start, changed.newEnd)));
    }
  }
  if (flatTr.selectionSet) tr.setSelection(groupedSelection(flatTr.selection, tr.doc));
  const meta = (flatTr as unknown as { meta: Record<string, unknown> }).meta;
  for (const key of Object.keys(meta)) tr.setMeta(key, meta[key]);
  if ((flatTr as unknown as { scrolledIntoView: boolean }).scrolledIntoView) tr.scrollIntoView();
  return tr;
}

/** What y-tiptap's binding sees of the editor: a flat document. */
export function flatView(view: EditorView): EditorView {
  if (!isGrouped(view.state.doc) && view.state.schema.topNodeType.contentMatch.defaultType?.name !== GROUP_NODE) return view;
  const facade = {
    get state() {
      return flatState(view.state);
    },
    dispatch(tr: Transaction) {
      view.dispatch(groupTransaction(view.state, tr));
    },
    hasFocus: () => view.hasFocus(),
    get _root() {
      return (view as unknown as { _root: unknown })._root;
    },
    get dom() {
      return view.dom;
    },
    get isDestroyed() {
      return view.isDestroyed;
    },
    someProp(name: string, f: (value: unknown) => unknown) {
      if (name !== 'unrenderedBlocksBetween') return view.someProp(name as never, f as never);
      // Asked with flat positions: answered for the same blocks in the grouped document.
      const { doc } = view.state;
      type Check = (view: EditorView, from: number, to: number) => boolean;
      return view.someProp(name as never, ((check: Check) => f((_: unknown, from: number, to: number) => check(view, toGrouped(doc, from), toGrouped(doc, to)))) as never);
    },
    coordsAtPos: (pos: number, side?: number) => view.coordsAtPos(toGrouped(view.state.doc, pos), side),
  };
  return facade as unknown as EditorView;
}

(globalThis as unknown as { __mingaBlockGroups: unknown }).__mingaBlockGroups = { flatDoc, flatState, flatView, toFlat, toGrouped, cellSelection };
