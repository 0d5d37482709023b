/**
 * The plan's suggestions (shared/suggestions.ts, collectSuggestions) read from the editor's
 * ProseMirror document block by block, each top-level block's part kept by node identity.
 * Blocks a change did not touch keep their node objects (client/build/y-tiptap-patches.ts), so a
 * recompute after a keystroke reads as JSON only the block that changed, not the whole plan: the
 * whole plan's `toJSON` was the largest JavaScript self time while typing in a 50-page plan
 * (docs/benchmarks.md, fifth pass), and all of it garbage a moment later.
 */
import type { Node as PMNode } from '@tiptap/pm/model';
import { collectSuggestions, unionInto, type SuggestionSummary } from '../../../../shared/suggestions.ts';

/** Each top-level block's suggestions, by node. */
export type BlockSuggestionCache = WeakMap<PMNode, SuggestionSummary[]>;

/** What collectSuggestions(doc.toJSON()) returns, the same list in the same order. */
export function suggestionsOf(doc: PMNode, cache: BlockSuggestionCache): SuggestionSummary[] {
  const found = new Map<string, SuggestionSummary>();
  doc.forEach((block) => {
    let parts = cache.get(block);
    if (!parts) {
      parts = collectSuggestions({ type: 'doc', content: [block.toJSON()] });
      cache.set(block, parts);
    }
    for (const part of parts) {
      const seen = found.get(part.suggestionId);
      if (!seen) {
        found.set(part.suggestionId, { ...part, added: [...part.added], removed: [...part.removed] });
      } else {
        seen.inserted += part.inserted;
        seen.deleted += part.deleted;
        seen.blocks += part.blocks;
        seen.formatted += part.formatted;
        seen.retyped += (seen.retyped && part.retyped ? '\n' : '') + part.retyped;
        seen.retypeTo ||= part.retypeTo;
        unionInto(seen.added, part.added);
        unionInto(seen.removed, part.removed);
      }
    }
  });
  return [...found.values()];
}
