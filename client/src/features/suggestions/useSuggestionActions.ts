/**
 * What a person can do with suggestions, wired to the editor and the server: accept and reject
 * (owners and editors), withdraw (the author), in bulk as one undoable step, each decision
 * recorded in the suggestion's thread by the server (who decided and when).
 */
import { useCallback } from 'react';
import type { Editor } from '@tiptap/react';
import { can, type Role } from '../../../../shared/roles.ts';
import type { CollabConnection } from '../connection/collabConnection.ts';
import { decideSuggestions, type Decision } from './decideSuggestions.ts';
import type { SuggestionView } from './useSuggestions.ts';

/** The decision recorded in the thread. */
export type Outcome = 'accepted' | 'rejected' | 'withdrawn';

/** Actions over suggestions for one person. */
export interface SuggestionActions {
  canDecide: boolean;
  canWithdraw: (suggestion: SuggestionView) => boolean;
  decide: (suggestions: SuggestionView[], outcome: Outcome) => Promise<string | null>;
}

/** Build the actions for the current editor, connection and person. */
export function useSuggestionActions(editor: Editor | null, connection: CollabConnection, userId: string, role: Role): SuggestionActions {
  const canDecide = can(role, 'decideSuggestions');
  const canWithdraw = useCallback((s: SuggestionView) => s.authorId === userId && can(role, 'suggest'), [userId, role]);
  const decide = useCallback(
    async (suggestions: SuggestionView[], outcome: Outcome): Promise<string | null> => {
      if (!editor || suggestions.length === 0) return null;
      const allowed = suggestions.filter((s) => (outcome === 'withdrawn' ? s.authorId === userId : canDecide));
      if (allowed.length === 0) return 'not-allowed';
      const decision: Decision = outcome === 'accepted' ? 'accept' : 'reject';
      const tr = decideSuggestions(editor.state, new Set(allowed.map((s) => s.suggestionId)), decision);
      if (!tr) return null;
      editor.view.dispatch(tr);
      const results = await Promise.all(
        allowed.map((s) =>
          connection.sendCommand({
            op: 'suggestion.decide',
            threadId: s.suggestionId,
            decision: outcome,
            seen: { authorId: s.authorId, authorName: s.authorName, delegation: '', color: s.color, quote: (s.inserted || s.deleted).slice(0, 2000) },
          }),
        ),
      );
      const failed = results.find((r) => !r.ok);
      return failed && !failed.ok ? failed.error : null;
    },
    [editor, connection, userId, canDecide],
  );
  return { canDecide, canWithdraw, decide };
}
