/** React bindings of the comments feature: live threads, pending commands, participants, clocks. */
import { useEffect, useState, useSyncExternalStore } from 'react';
import type { Editor } from '@tiptap/react';
import { api } from '../../lib/api.ts';
import { idleTask } from '../../lib/idle.ts';
import type { CommentsController, CommentsSnapshot } from './commentsController.ts';
import type { MentionCandidate } from './mentions.ts';
import type { PendingThreadCommand, ThreadCommandSender } from './threadCommands.ts';

/** The live threads and shared comment state of a plan. */
export function useThreads(controller: CommentsController): CommentsSnapshot {
  return useSyncExternalStore(controller.subscribe, controller.getSnapshot);
}

/** Thread commands sent but not answered yet. */
export function usePendingThreadCommands(sender: ThreadCommandSender): readonly PendingThreadCommand[] {
  return useSyncExternalStore(sender.subscribe, sender.getPending);
}

/**
 * A number that changes after the plan's body changed (local or remote), once the browser is
 * idle: positions beside the page follow the text a moment later instead of re-rendering the
 * panel inside every keystroke. `enabled` false (nothing to place) stops listening.
 */
export function useDocRevision(editor: Editor, enabled = true): number {
  const [revision, setRevision] = useState(0);
  useEffect(() => {
    if (!enabled) return;
    const task = idleTask(() => setRevision((r) => r + 1));
    const onTransaction = ({ transaction }: { transaction: { docChanged: boolean } }) => {
      if (transaction.docChanged) task.schedule();
    };
    editor.on('transaction', onTransaction);
    // The body may have changed while nothing listened.
    task.schedule();
    return () => {
      editor.off('transaction', onTransaction);
      task.cancel();
    };
  }, [editor, enabled]);
  return revision;
}

/**
 * People of the plan who can be mentioned (the server refuses anyone else), loaded once and
 * again when asked (the autocomplete refreshes when it opens, so newcomers appear).
 */
export function useParticipants(documentId: string): { people: MentionCandidate[]; refresh: () => void } {
  const [people, setPeople] = useState<MentionCandidate[]>([]);
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    let cancelled = false;
    api
      .listParticipants(documentId)
      .then(({ participants }) => {
        if (cancelled) return;
        setPeople(participants.filter((p) => !p.revokedAt).map(({ userId, name, delegation, color }) => ({ userId, name, delegation, color })));
      })
      .catch(() => {
        // Without the list, mentions simply offer nobody; writing still works.
      });
    return () => {
      cancelled = true;
    };
  }, [documentId, generation]);
  return { people, refresh: () => setGeneration((g) => g + 1) };
}

/** The current time, refreshed every `intervalMs` (relative times stay true). */
export function useNow(intervalMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), intervalMs);
    return () => window.clearInterval(timer);
  }, [intervalMs]);
  return now;
}

/** Whether a media query matches, kept current. */
export function useMediaQuery(query: string): boolean {
  const [matches, setMatches] = useState(() => window.matchMedia(query).matches);
  useEffect(() => {
    const list = window.matchMedia(query);
    const onChange = () => setMatches(list.matches);
    onChange();
    list.addEventListener('change', onChange);
    return () => list.removeEventListener('change', onChange);
  }, [query]);
  return matches;
}
