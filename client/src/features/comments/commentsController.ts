/**
 * The comment threads of one plan as a subscribable snapshot, free of React: the threads read
 * live from the Y.Doc's 'threads' root, plus the UI state that the editor's highlights and the
 * side panel share (which thread is active, the passage of a thread being written).
 */
import * as Y from 'yjs';
import { readThreads, threadsMap, type Thread, type ThreadAnchor } from '../../../../shared/threads.ts';

/** A new thread being written: its passage is already anchored. */
export interface DraftThread {
  anchor: ThreadAnchor;
  quote: string;
}

/** Everything the highlights and the panel render from. */
export interface CommentsSnapshot {
  /** Comment threads, oldest first (suggestion threads belong to the suggestions panel). */
  threads: readonly Thread[];
  activeThreadId: string | null;
  draft: DraftThread | null;
}

/**
 * One plan's comment threads and shared comment UI state. The Y.Doc is observed while anyone
 * subscribes (React's StrictMode mounts twice; nothing needs destroying by hand).
 */
export class CommentsController {
  private snapshot: CommentsSnapshot;
  private readonly listeners = new Set<() => void>();

  constructor(readonly doc: Y.Doc) {
    this.snapshot = { threads: readCommentThreads(doc), activeThreadId: null, draft: null };
  }

  /** For useSyncExternalStore (and the highlights plugin). */
  subscribe = (listener: () => void): (() => void) => {
    if (this.listeners.size === 0) {
      threadsMap(this.doc).observeDeep(this.onThreadsChange);
      // Threads may have arrived while nobody listened.
      this.snapshot = { ...this.snapshot, threads: readCommentThreads(this.doc) };
    }
    this.listeners.add(listener);
    return () => {
      if (this.listeners.delete(listener) && this.listeners.size === 0) threadsMap(this.doc).unobserveDeep(this.onThreadsChange);
    };
  };

  /** For useSyncExternalStore: the same object until something changes. */
  getSnapshot = (): CommentsSnapshot => this.snapshot;

  /** Make a thread the active one (or none). */
  setActive(threadId: string | null): void {
    if (threadId !== this.snapshot.activeThreadId) this.update({ activeThreadId: threadId });
  }

  /** Start (or cancel, with null) writing a new thread. */
  setDraft(draft: DraftThread | null): void {
    this.update(draft ? { draft, activeThreadId: null } : { draft: null });
  }

  private onThreadsChange = (): void => {
    this.update({ threads: readCommentThreads(this.doc) });
  };

  private update(patch: Partial<CommentsSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...patch };
    for (const listener of this.listeners) listener();
  }
}

function readCommentThreads(doc: Y.Doc): Thread[] {
  return readThreads(doc).filter((thread) => thread.kind === 'comment');
}
