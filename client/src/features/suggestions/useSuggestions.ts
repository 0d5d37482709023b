/**
 * Live view of the plan's suggestions: what the marks in the body say (collectSuggestions),
 * joined with each suggestion's thread (status, discussion) from the Y.Doc's threads root.
 */
import { useEffect, useState } from 'react';
import type { Editor } from '@tiptap/react';
import type * as Y from 'yjs';
import { BLOCK_SUGGESTION_ATTR, BLOCK_TYPE_ATTR, type SuggestionSummary } from '../../../../shared/suggestions.ts';
import { readThreads, threadsMap, type Thread } from '../../../../shared/threads.ts';
import { idleTask } from '../../lib/idle.ts';
import { suggestionsOf, type BlockSuggestionCache } from './blockSuggestions.ts';

/** A suggestion as the panel shows it. */
export interface SuggestionView extends SuggestionSummary {
  thread: Thread | null;
}

/** Whether two lists of suggestion views say the same thing (they are small: compared as JSON). */
function sameViews(a: SuggestionView[], b: SuggestionView[]): boolean {
  return a.length === b.length && (a.length === 0 || JSON.stringify(a) === JSON.stringify(b));
}

/** The suggestions still in the plan, in document order, updated as the plan changes. */
export function useSuggestions(editor: Editor | null, doc: Y.Doc): SuggestionView[] {
  const [views, setViews] = useState<SuggestionView[]>([]);
  useEffect(() => {
    if (!editor) return;
    const blocks: BlockSuggestionCache = new WeakMap();
    const recompute = idleTask(() => {
      if (editor.isDestroyed) return;
      const threads = new Map(readThreads(doc).filter((t) => t.kind === 'suggestion').map((t) => [t.id, t]));
      const next = suggestionsOf(editor.state.doc, blocks).map((s) => ({ ...s, thread: threads.get(s.suggestionId) ?? null }));
      // Most keystrokes change no suggestion: keep the same array so the editor screen that
      // holds this hook does not re-render on every frame of typing (bench/scenarios/browser.ts).
      setViews((previous) => (sameViews(previous, next) ? previous : next));
    });
    // Not worth doing before a keystroke is painted: the list follows when the browser is idle.
    recompute.schedule();
    editor.on('update', recompute.schedule);
    const threads = threadsMap(doc);
    threads.observeDeep(recompute.schedule);
    return () => {
      recompute.cancel();
      editor.off('update', recompute.schedule);
      threads.unobserveDeep(recompute.schedule);
    };
  }, [editor, doc]);
  return views;
}

/** Ids of the suggestions that touch the current selection. */
export function suggestionIdsInSelection(editor: Editor): Set<string> {
  const { from, to } = editor.state.selection;
  const ids = new Set<string>();
  editor.state.doc.nodesBetween(from, Math.max(to, from + 1), (node) => {
    for (const mark of node.marks) if (typeof mark.attrs.suggestionId === 'string') ids.add(mark.attrs.suggestionId);
    for (const attr of [BLOCK_SUGGESTION_ATTR, BLOCK_TYPE_ATTR]) {
      const block = node.attrs?.[attr] as { suggestionId?: string } | null | undefined;
      if (block?.suggestionId) ids.add(block.suggestionId);
    }
    return true;
  });
  return ids;
}
