/**
 * Highlights of commented passages: a ProseMirror plugin that decorates every open thread's
 * passage (and the active one, even resolved) with its author's delegation colour, text node
 * by text node so passages across paragraphs and inside table cells are covered exactly.
 * Clicking a highlighted passage makes its thread the active one.
 */
import { Extension } from '@tiptap/core';
import { Plugin, PluginKey, type EditorState } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import { ySyncPluginKey } from '@tiptap/y-tiptap';
import type { ThreadAnchor } from '../../../../shared/threads.ts';
import { resolveAnchor } from './anchors.ts';
import type { CommentsController } from './commentsController.ts';

/** Plugin key of the highlights (its meta asks for a rebuild from the threads). */
export const commentHighlightsKey = new PluginKey<DecorationSet>('commentHighlights');

/** Colour for a highlight: only plain hex colours reach the style attribute. */
export function highlightColor(color: string | undefined): string {
  return color && /^#[0-9a-fA-F]{6}$/.test(color) ? color : '#2754c5';
}

interface Highlight {
  threadId: string;
  anchor: ThreadAnchor;
  color: string;
  className: string;
}

function highlightsOf(controller: CommentsController): Highlight[] {
  const { threads, activeThreadId, draft } = controller.getSnapshot();
  const list: Highlight[] = [];
  for (const thread of threads) {
    const active = thread.id === activeThreadId;
    if (!thread.anchor || (thread.status !== 'open' && !active)) continue;
    const className = `comment-highlight${active ? ' comment-highlight--active' : ''}${thread.status !== 'open' ? ' comment-highlight--resolved' : ''}`;
    list.push({ threadId: thread.id, anchor: thread.anchor, color: highlightColor(thread.author?.color), className });
  }
  if (draft) list.push({ threadId: '', anchor: draft.anchor, color: '#5d646d', className: 'comment-highlight comment-highlight--draft' });
  return list;
}

/** Decorations for every highlight, resolved against the state's document. */
function buildDecorations(state: EditorState, controller: CommentsController): DecorationSet {
  const decorations: Decoration[] = [];
  for (const highlight of highlightsOf(controller)) {
    const range = resolveAnchor(state, highlight.anchor);
    if (!range) continue;
    state.doc.nodesBetween(range.from, range.to, (node, pos) => {
      if (!node.isText) return true;
      const from = Math.max(range.from, pos);
      const to = Math.min(range.to, pos + node.nodeSize);
      if (to > from) {
        const attrs = { class: highlight.className, style: `--comment-color: ${highlight.color}`, 'data-comment-thread': highlight.threadId };
        decorations.push(Decoration.inline(from, to, attrs, { threadId: highlight.threadId, size: range.to - range.from }));
      }
      return false;
    });
  }
  return DecorationSet.create(state.doc, decorations);
}

/** The thread whose highlight is under `pos` (the shortest passage wins where they overlap). */
export function threadAt(state: EditorState, pos: number): string | null {
  const set = commentHighlightsKey.getState(state);
  if (!set) return null;
  const found = set.find(pos, pos, (spec) => Boolean(spec.threadId));
  const inside = found.filter((d) => d.from <= pos && pos < d.to);
  const best = (inside.length ? inside : found).sort((a, b) => a.spec.size - b.spec.size)[0];
  return best ? (best.spec.threadId as string) : null;
}

function commentHighlightsPlugin(controller: CommentsController): Plugin<DecorationSet> {
  return new Plugin<DecorationSet>({
    key: commentHighlightsKey,
    state: {
      init: (_config, state) => buildDecorations(state, controller),
      apply(tr, set, _old, state) {
        // Rebuild from Yjs when the threads changed or a remote change re-rendered the body
        // (the binding's mapping is current then); local edits just move the highlights.
        const fromYjs = (tr.getMeta(ySyncPluginKey) as { isChangeOrigin?: boolean } | undefined)?.isChangeOrigin;
        if (tr.getMeta(commentHighlightsKey) || fromYjs) return buildDecorations(state, controller);
        return tr.docChanged ? set.map(tr.mapping, tr.doc) : set;
      },
    },
    props: {
      decorations: (state) => commentHighlightsKey.getState(state),
      handleClick(view, pos) {
        controller.setActive(threadAt(view.state, pos));
        return false;
      },
    },
    view(view) {
      let scheduled = false;
      // Deferred: a Yjs update may change threads and body together, and the body's binding
      // must have re-rendered before anchors are resolved against it.
      const unsubscribe = controller.subscribe(() => {
        if (scheduled) return;
        scheduled = true;
        queueMicrotask(() => {
          scheduled = false;
          if (!view.isDestroyed) view.dispatch(view.state.tr.setMeta(commentHighlightsKey, true).setMeta('addToHistory', false));
        });
      });
      return { destroy: unsubscribe };
    },
  });
}

/** Tiptap extension adding the comment highlights of a CommentsController. */
export const CommentHighlights = Extension.create<{ controller: CommentsController | null }>({
  name: 'commentHighlights',
  addOptions: () => ({ controller: null }),
  addProseMirrorPlugins() {
    return this.options.controller ? [commentHighlightsPlugin(this.options.controller)] : [];
  },
});
