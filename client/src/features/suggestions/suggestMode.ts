/**
 * The "Sugerir" mode of the editor: a Tiptap extension that, while on, rewrites every local
 * transaction into a suggestion (suggestTransaction.ts). Remote changes, undo/redo from Yjs
 * and decisions pass unchanged. What cannot be proposed is reported, not applied.
 */
import { Extension } from '@tiptap/core';
import { ySyncPluginKey } from '@tiptap/y-tiptap';
import { SUGGESTION_BYPASS, suggestTransaction, type Suggester } from './suggestTransaction.ts';

/** Runtime settings of suggestion mode, kept in the extension's storage. */
export interface SuggestModeStorage {
  enabled: boolean;
  suggester: Suggester | null;
  /** Told about suggestion ids this client just created (to open their threads). */
  onCreated: (ids: string[]) => void;
  /** Told when an edit could not be turned into a suggestion. */
  onRefused: (reason: string) => void;
}

/** Suggestion mode extension. */
export const SuggestMode = Extension.create<Record<string, never>, SuggestModeStorage>({
  name: 'suggestMode',
  addStorage: () => ({ enabled: false, suggester: null, onCreated: () => {}, onRefused: () => {} }),
  dispatchTransaction({ transaction, next }) {
    const storage = this.storage;
    const fromYjs = transaction.getMeta(ySyncPluginKey) !== undefined;
    if (!storage.enabled || !storage.suggester || !transaction.docChanged || fromYjs || transaction.getMeta(SUGGESTION_BYPASS)) {
      next(transaction);
      return;
    }
    const outcome = suggestTransaction(this.editor.state, transaction, storage.suggester);
    if ('refused' in outcome) {
      storage.onRefused(outcome.refused);
      return;
    }
    next(outcome.transaction);
    if (outcome.newSuggestionIds.length > 0) storage.onCreated(outcome.newSuggestionIds);
  },
});
