/**
 * The text block holding the caret is a relayout boundary: `contain: size layout` with its own
 * height written on it (editor.css, `plan-block--fixed`). When a character is typed, Chromium
 * lays out what the insertion made dirty, and without a boundary that is the plan's body with
 * its thousand-odd blocks (~2–4 ms per key on a 50-page plan, most of a keystroke's layout);
 * with one, only this paragraph (~0.2 ms). Measured in a bare contenteditable of 1,174
 * paragraphs as well as in Minga (docs/benchmarks.md, scenario browser).
 *
 * The height must follow the text: after any change inside the block (a MutationObserver, so
 * typing, IME composition and remote edits alike, before the frame is drawn) it is measured
 * again when the text overflows it (a new line) or ends well above its bottom (a line removed);
 * and when the editor's width changes or fonts load. A table or list (not a text block) is not
 * fixed. Printing drops it (editor.css).
 */
import { Extension } from '@tiptap/core';
import { Plugin, PluginKey } from '@tiptap/pm/state';
import type { EditorView } from '@tiptap/pm/view';

/** The class editor.css gives size and layout containment. */
export const FIXED_BLOCK_CLASS = 'plan-block--fixed';

const key = new PluginKey('caretBlockBoundary');

/** The DOM element of the top-level text block holding the selection's head, if it is one. */
function caretBlock(view: EditorView): HTMLElement | null {
  const { $head } = view.state.selection;
  // The block is a child of a group of blocks (depth 2, blockGroups.ts), or of the document.
  const depth = $head.depth >= 2 && $head.node(1).type.name === 'planChunk' ? 2 : 1;
  if ($head.depth < depth || !$head.node(depth).isTextblock) return null;
  const dom = view.nodeDOM($head.before(depth));
  const parent = depth === 2 ? dom?.parentNode?.parentNode : dom?.parentNode;
  return dom instanceof HTMLElement && parent === view.dom ? dom : null;
}

/**
 * Change the block's class and style without ProseMirror noticing: its DOM observer takes an
 * attribute change on a block for an edit and parses the block again. `domObserver` is internal
 * to prosemirror-view (stop/start are what the view itself calls around its own DOM writes); if
 * it is not there, the writes still happen and ProseMirror finds nothing changed.
 */
export function quietly(view: EditorView, write: () => void): void {
  const observer = (view as unknown as { domObserver?: { stop(): void; start(): void } }).domObserver;
  observer?.stop();
  try {
    write();
  } finally {
    observer?.start();
  }
}

/** How far above the block's bottom its last line may end before a line is missing: ¾ of a line, plus the bottom padding and border. */
function lineSlack(block: HTMLElement): number {
  const style = getComputedStyle(block);
  const lineHeight = Number.parseFloat(style.lineHeight) || 1.2 * Number.parseFloat(style.fontSize);
  return 0.75 * lineHeight + Number.parseFloat(style.paddingBottom) + Number.parseFloat(style.borderBottomWidth);
}

/** Whether the block's text no longer fits its written height: overflowing it, or a line short of it. */
function outgrown(block: HTMLElement, slack: number): boolean {
  if (block.scrollHeight > block.clientHeight + 1) return true;
  const range = document.createRange();
  range.selectNodeContents(block);
  const rects = range.getClientRects();
  if (rects.length === 0) return true;
  return block.getBoundingClientRect().bottom - rects[rects.length - 1].bottom > slack;
}

/** Keeps the caret's block fixed (see the module comment). */
class BoundaryView {
  private block: HTMLElement | null = null;
  /** lineSlack of the block, measured when it was last fixed. */
  private slack = 0;
  private readonly mutations = new MutationObserver(() => this.refitIfOutgrown());
  private readonly resizes: ResizeObserver;
  private width = 0;
  private readonly onFonts = () => this.refit();

  constructor(private readonly view: EditorView) {
    this.resizes = new ResizeObserver(([entry]) => {
      if (entry && entry.contentRect.width !== this.width) {
        this.width = entry.contentRect.width;
        this.refit();
      }
    });
    this.resizes.observe(view.dom);
    document.fonts?.addEventListener('loadingdone', this.onFonts);
    this.update();
  }

  update(): void {
    const next = caretBlock(this.view);
    if (next === this.block && (next === null || next.isConnected)) return;
    this.release();
    if (next === null) return;
    this.block = next;
    this.refit();
    this.mutations.observe(next, { subtree: true, childList: true, characterData: true });
  }

  destroy(): void {
    // Not quietly: when the view is being destroyed it has stopped its DOM observer already, and
    // starting it again would leave it (and its selectionchange listener) running after.
    this.release(false);
    this.resizes.disconnect();
    document.fonts?.removeEventListener('loadingdone', this.onFonts);
  }

  private refitIfOutgrown(): void {
    if (this.block && outgrown(this.block, this.slack)) this.refit();
  }

  /** Measure the block as the text lays it out, then fix it at that height. */
  private refit(): void {
    const { block } = this;
    if (!block) return;
    quietly(this.view, () => {
      block.classList.remove(FIXED_BLOCK_CLASS);
      block.style.removeProperty('height');
      const height = block.getBoundingClientRect().height;
      block.style.height = `${height}px`;
      block.classList.add(FIXED_BLOCK_CLASS);
    });
    this.slack = lineSlack(block);
  }

  private release(quiet = true): void {
    this.mutations.disconnect();
    const { block } = this;
    if (!block) return;
    this.block = null;
    const unfix = () => {
      block.classList.remove(FIXED_BLOCK_CLASS);
      block.style.removeProperty('height');
    };
    if (quiet) quietly(this.view, unfix);
    else unfix();
  }
}

/** The editor extension (client only). */
export const CaretBlockBoundary = Extension.create({
  name: 'caretBlockBoundary',
  addProseMirrorPlugins() {
    return [new Plugin({ key, view: (view) => new BoundaryView(view) })];
  },
});
