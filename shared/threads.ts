/**
 * Discussion threads stored in a plan's Y.Doc: comment threads anchored to passages of the
 * body, and the threads that accompany tracked suggestions. They live in their own root map so
 * the update guard can tell them from the plan text, and so every version captures them.
 *
 * Clients never write this root directly: they send thread commands (MessageType.Command) and
 * the server, having checked the author and the role, applies them. The document still carries
 * everything, so threads are live for everyone and part of every version.
 */
import * as Y from 'yjs';

/** Root map of threads: thread id → Y.Map of thread fields. */
export const THREADS_ROOT = 'threads';

/** A person as recorded on a thread or message (denormalised so history keeps the name). */
export interface ThreadAuthor {
  id: string;
  name: string;
  delegation: string;
  color: string;
}

/** Where a comment thread points: Yjs relative positions (base64) into the plan body. */
export interface ThreadAnchor {
  start: string;
  end: string;
}

/** One message of a thread. */
export interface ThreadMessage {
  id: string;
  author: ThreadAuthor;
  body: string;
  /** User ids mentioned with @. */
  mentions: string[];
  createdAt: string;
  editedAt: string | null;
  deletedAt: string | null;
}

/** Something that happened to a thread (resolution, a decision on a suggestion). */
export interface ThreadEvent {
  type: 'resolved' | 'reopened' | 'accepted' | 'rejected' | 'withdrawn';
  by: ThreadAuthor;
  at: string;
}

/** Status of a thread. Comment threads are open or resolved; suggestion threads end decided. */
export type ThreadStatus = 'open' | 'resolved' | 'accepted' | 'rejected' | 'withdrawn';

/** A thread as plain data. */
export interface Thread {
  id: string;
  kind: 'comment' | 'suggestion';
  author: ThreadAuthor;
  createdAt: string;
  /** Comment threads: the passage. Suggestion threads: null (the marks carry the place). */
  anchor: ThreadAnchor | null;
  /** The text the thread was about when it was opened (kept when the passage is deleted). */
  quote: string;
  status: ThreadStatus;
  messages: ThreadMessage[];
  events: ThreadEvent[];
}

/** Field names of a thread's Y.Map. */
export const ThreadField = {
  id: 'id',
  kind: 'kind',
  author: 'author',
  createdAt: 'createdAt',
  anchor: 'anchor',
  quote: 'quote',
  status: 'status',
  messages: 'messages',
  events: 'events',
} as const;

/** The threads root of a document. */
export function threadsMap(doc: Y.Doc): Y.Map<Y.Map<unknown>> {
  return doc.getMap(THREADS_ROOT);
}

/** Read one thread's Y.Map as plain data. */
export function readThread(map: Y.Map<unknown>): Thread {
  const messages = map.get(ThreadField.messages) as Y.Array<ThreadMessage> | undefined;
  const events = map.get(ThreadField.events) as Y.Array<ThreadEvent> | undefined;
  return {
    id: map.get(ThreadField.id) as string,
    kind: (map.get(ThreadField.kind) as Thread['kind']) ?? 'comment',
    author: map.get(ThreadField.author) as ThreadAuthor,
    createdAt: map.get(ThreadField.createdAt) as string,
    anchor: (map.get(ThreadField.anchor) as ThreadAnchor | null) ?? null,
    quote: (map.get(ThreadField.quote) as string) ?? '',
    status: (map.get(ThreadField.status) as ThreadStatus) ?? 'open',
    messages: messages ? messages.toArray() : [],
    events: events ? events.toArray() : [],
  };
}

/** Every thread of a document as plain data, oldest first. */
export function readThreads(doc: Y.Doc): Thread[] {
  const threads: Thread[] = [];
  threadsMap(doc).forEach((map) => {
    if (map instanceof Y.Map) threads.push(readThread(map));
  });
  return threads.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
}
