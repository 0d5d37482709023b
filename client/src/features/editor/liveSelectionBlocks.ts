/**
 * Keeps the blocks around the selection rendered, and moves the caret to the plan's start or end
 * itself. The plan's blocks use `content-visibility: auto` (editor.css): a block far from the
 * viewport is not laid out, and Chromium places the caret wrongly in such a block (at its
 * start; typed characters then come out reversed) when it gets there before the block is
 * rendered: a script or a jump putting the caret there, Ctrl+End (start of the last block
 * instead of its end), an arrow key from a caret scrolled out of view. So the blocks holding
 * the selection's ends, and their neighbours, are exempt (a class), and the keys that jump to
 * the start or end of the plan are handled here rather than by the browser.
 *
 * It also tells y-tiptap (the view prop `unrenderedBlocksBetween`, read by a build patch in
 * client/build/y-tiptap-patches.ts) which blocks Chromium is not rendering now: a remote change
 * that only rewrote such blocks cannot move this person's caret (a skipped block keeps its
 * size), so the caret is not measured and scrolled after it.
 */
import { Extension, isMacOS, type Editor } from '@tiptap/core';
import { Plugin, PluginKey, Selection, TextSelection, type EditorState } from '@tiptap/pm/state';
import { Decoration, DecorationSet, type EditorProps, type EditorView } from '@tiptap/pm/view';
import type { ResolvedPos } from '@tiptap/pm/model';

/** The class editor.css exempts from content-visibility. */
export const LIVE_BLOCK_CLASS = 'plan-block--live';

const key = new PluginKey<DecorationSet>('liveSelectionBlocks');

/** The top-level block a position is in (or just before): its index and where it starts. */
function topLevelBlock($pos: ResolvedPos): { index: number; start: number } | null {
  const { doc } = $pos;
  if (doc.childCount === 0) return null;
  if ($pos.depth >= 1) return { index: $pos.index(0), start: $pos.before(1) };
  const index = $pos.index(0);
  if (index < doc.childCount) return { index, start: $pos.pos };
  return { index: doc.childCount - 1, start: $pos.pos - doc.lastChild!.nodeSize };
}

function decorations(state: EditorState): DecorationSet {
  const { doc, selection } = state;
  // Start of each live block by index: the selection's blocks and their neighbours.
  const live = new Map<number, number>();
  for (const block of [topLevelBlock(selection.$anchor), topLevelBlock(selection.$head)]) {
    if (!block) continue;
    live.set(block.index, block.start);
    if (block.index > 0) live.set(block.index - 1, block.start - doc.child(block.index - 1).nodeSize);
    if (block.index + 1 < doc.childCount) live.set(block.index + 1, block.start + doc.child(block.index).nodeSize);
  }
  const found = [...live].map(([index, start]) => Decoration.node(start, start + doc.child(index).nodeSize, { class: LIVE_BLOCK_CLASS }));
  return DecorationSet.create(doc, found);
}

/**
 * Whether every top-level block between two positions (block boundaries) is one the browser
 * skips rendering now, by the last `contentvisibilityautostatechange` event each block sent
 * (Chromium sends one for every `content-visibility: auto` element when it starts or stops being
 * skipped, and they bubble). A block never reported (a table, a new block, another browser) is
 * taken as rendered.
 */
function unrenderedBlocksBetween(skipped: WeakSet<Element>, view: EditorView, from: number, to: number): boolean {
  const { doc } = view.state;
  if (from >= to) return false;
  // The top-level elements (the groups of blocks, blockGroups.ts) that hold the range.
  const $from = doc.resolve(from);
  const $to = doc.resolve(to);
  const first = $from.index(0);
  const last = $to.depth === 0 ? $to.index(0) - 1 : $to.index(0);
  if (last < first) return false;
  let pos = $from.posAtIndex(first, 0);
  for (let index = first; index <= last; index++) {
    const node = doc.child(index);
    const dom = view.nodeDOM(pos);
    if (!(dom instanceof Element) || !skipped.has(dom) || dom.classList.contains(LIVE_BLOCK_CLASS)) return false;
    pos += node.nodeSize;
  }
  return true;
}

/** Caret (or, extending, the selection's head) to the plan's start or end, by ProseMirror. */
function jump(toEnd: boolean, extend: boolean) {
  return ({ editor }: { editor: Editor }): boolean => {
    const { state } = editor;
    const target = toEnd ? Selection.atEnd(state.doc) : Selection.atStart(state.doc);
    const selection = extend ? TextSelection.between(state.selection.$anchor, target.$head) : target;
    editor.view.dispatch(state.tr.setSelection(selection).scrollIntoView());
    return true;
  };
}

/** The editor extension (client only: the server never renders the plan). */
export const LiveSelectionBlocks = Extension.create({
  name: 'liveSelectionBlocks',
  addKeyboardShortcuts() {
    // Ctrl+Home/End everywhere; on macOS also Cmd+Up/Down, its "start/end of document".
    const start = isMacOS() ? ['Meta-ArrowUp', 'Ctrl-Home'] : ['Ctrl-Home'];
    const end = isMacOS() ? ['Meta-ArrowDown', 'Ctrl-End'] : ['Ctrl-End'];
    return Object.fromEntries([
      ...start.map((k) => [k, jump(false, false)]),
      ...start.map((k) => [`Shift-${k}`, jump(false, true)]),
      ...end.map((k) => [k, jump(true, false)]),
      ...end.map((k) => [`Shift-${k}`, jump(true, true)]),
    ]);
  },
  addProseMirrorPlugins() {
    const skipped = new WeakSet<Element>();
    return [
      new Plugin<DecorationSet>({
        key,
        state: {
          init: (_, state) => decorations(state),
          // Only when the selection or the document moved; other transactions keep the set.
          apply: (tr, previous, _old, state) => (tr.docChanged || tr.selectionSet ? decorations(state) : previous),
        },
        props: {
          decorations: (state) => key.getState(state),
          unrenderedBlocksBetween: (view: EditorView, from: number, to: number) => unrenderedBlocksBetween(skipped, view, from, to),
        } as EditorProps,
        view(view) {
          const onState = (event: Event) => {
            const block = event.target;
            if (!(block instanceof Element) || block.parentNode !== view.dom) return;
            if ((event as Event & { skipped?: boolean }).skipped) skipped.add(block);
            else skipped.delete(block);
          };
          view.dom.addEventListener('contentvisibilityautostatechange', onState);
          return { destroy: () => view.dom.removeEventListener('contentvisibilityautostatechange', onState) };
        },
      }),
    ];
  },
});
