/**
 * Thread commands: how people write comment threads. Clients never write the threads root of
 * the Y.Doc (the update guard refuses it); they send these commands, and the server checks the
 * author and the role before applying them in a server-origin transaction. The result is an
 * ordinary Yjs update, so it reaches everyone as fast as typed text and lands in every version.
 */
import * as Y from 'yjs';
import { z } from 'zod';
import { YName } from '../../shared/protocol.ts';
import { can } from '../../shared/roles.ts';
import { ThreadField, threadsMap, type ThreadAuthor, type ThreadEvent, type ThreadMessage, type ThreadStatus } from '../../shared/threads.ts';
import { SERVER_ORIGIN } from '../collab/room.ts';
import type { Identity } from '../collab/types.ts';

/** Longest message body, in characters. */
export const MAX_MESSAGE_CHARS = 5000;
/** Longest quoted passage kept with a thread. */
export const MAX_QUOTE_CHARS = 2000;
/** Most threads one plan may hold (a bound on what a commenter can make the server store). */
export const MAX_THREADS = 5000;
/** Most messages in one thread. */
export const MAX_MESSAGES = 500;

const Id = z.string().regex(/^[A-Za-z0-9_-]{6,64}$/, 'ids are 6–64 letters, digits, - or _');
const Body = z.string().trim().min(1, 'write a message').max(MAX_MESSAGE_CHARS);
const Mentions = z.array(z.string().max(64)).max(50).default([]);
const RelPos = z.string().min(2).max(512);

/** Every thread command, validated. */
export const ThreadCommand = z.discriminatedUnion('op', [
  z.object({ op: z.literal('thread.create'), requestId: z.string().max(64), threadId: Id, messageId: Id, anchor: z.object({ start: RelPos, end: RelPos }), quote: z.string().max(MAX_QUOTE_CHARS), body: Body, mentions: Mentions }),
  z.object({ op: z.literal('message.add'), requestId: z.string().max(64), threadId: Id, messageId: Id, body: Body, mentions: Mentions }),
  z.object({ op: z.literal('message.edit'), requestId: z.string().max(64), threadId: Id, messageId: Id, body: Body, mentions: Mentions }),
  z.object({ op: z.literal('message.delete'), requestId: z.string().max(64), threadId: Id, messageId: Id }),
  z.object({ op: z.literal('thread.resolve'), requestId: z.string().max(64), threadId: Id }),
  z.object({ op: z.literal('thread.reopen'), requestId: z.string().max(64), threadId: Id }),
]);
export type ThreadCommand = z.infer<typeof ThreadCommand>;

/** What the command handler needs to know beyond the document. */
export interface ThreadCommandContext {
  /** User ids of the plan's active participants (who may be mentioned). */
  participantIds(documentId: string): Set<string>;
  /** Clock, injectable for tests. */
  now?: () => Date;
}

function authorOf(identity: Identity): ThreadAuthor {
  return { id: identity.userId, name: identity.name, delegation: identity.delegation, color: identity.color };
}

/** Decode a base64 relative position and check it points into the plan body of `doc`. */
function anchorPoint(doc: Y.Doc, encoded: string): Y.AbsolutePosition | null {
  let relative: Y.RelativePosition;
  try {
    relative = Y.decodeRelativePosition(Buffer.from(encoded, 'base64'));
  } catch {
    return null;
  }
  const absolute = Y.createAbsolutePositionFromRelativePosition(relative, doc);
  if (!absolute) return null;
  const body = doc.getXmlFragment(YName.body);
  if (absolute.type !== body && !(absolute.type._item && Y.isParentOf(body, absolute.type._item))) return null;
  return absolute;
}

/**
 * Check and apply one command for one identity. Returns null when applied, or a sentence
 * explaining the refusal (nothing is changed then).
 */
export function applyThreadCommand(ctx: ThreadCommandContext, payload: { documentId: string; identity: Identity; doc: Y.Doc; command: unknown }): string | null {
  const parsed = ThreadCommand.safeParse(payload.command);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return `invalid command: ${issue.path.join('.') || 'command'}: ${issue.message}`;
  }
  const command = parsed.data;
  const { identity, doc } = payload;
  const now = (ctx.now?.() ?? new Date()).toISOString();
  const threads = threadsMap(doc);
  if (!can(identity.role, 'comment')) return `your role (${identity.role}) cannot comment`;
  const mentions = 'mentions' in command ? [...new Set(command.mentions)] : [];
  if (mentions.length > 0) {
    const allowed = ctx.participantIds(payload.documentId);
    const stranger = mentions.find((id) => !allowed.has(id));
    if (stranger) return 'you can only mention participants of this plan';
  }

  if (command.op === 'thread.create') {
    if (threads.has(command.threadId)) return 'a thread with this id exists';
    if (threads.size >= MAX_THREADS) return 'this plan has too many threads';
    const start = anchorPoint(doc, command.anchor.start);
    const end = anchorPoint(doc, command.anchor.end);
    if (!start || !end) return 'the passage to comment on is not in this plan';
    const message: ThreadMessage = { id: command.messageId, author: authorOf(identity), body: command.body, mentions, createdAt: now, editedAt: null, deletedAt: null };
    Y.transact(doc, () => {
      const thread = new Y.Map<unknown>();
      thread.set(ThreadField.id, command.threadId);
      thread.set(ThreadField.kind, 'comment');
      thread.set(ThreadField.author, authorOf(identity));
      thread.set(ThreadField.createdAt, now);
      thread.set(ThreadField.anchor, command.anchor);
      thread.set(ThreadField.quote, command.quote);
      thread.set(ThreadField.status, 'open' satisfies ThreadStatus);
      const messages = new Y.Array<ThreadMessage>();
      messages.push([message]);
      thread.set(ThreadField.messages, messages);
      thread.set(ThreadField.events, new Y.Array<ThreadEvent>());
      threads.set(command.threadId, thread);
    }, SERVER_ORIGIN);
    return null;
  }

  const thread = threads.get(command.threadId);
  if (!(thread instanceof Y.Map)) return 'this thread does not exist';
  const threadAuthor = thread.get(ThreadField.author) as ThreadAuthor;
  const messages = thread.get(ThreadField.messages) as Y.Array<ThreadMessage>;
  const events = thread.get(ThreadField.events) as Y.Array<ThreadEvent>;

  switch (command.op) {
    case 'message.add': {
      if (messages.length >= MAX_MESSAGES) return 'this thread has too many messages';
      if (messages.toArray().some((m) => m.id === command.messageId)) return 'a message with this id exists';
      const message: ThreadMessage = { id: command.messageId, author: authorOf(identity), body: command.body, mentions, createdAt: now, editedAt: null, deletedAt: null };
      Y.transact(doc, () => messages.push([message]), SERVER_ORIGIN);
      return null;
    }
    case 'message.edit':
    case 'message.delete': {
      const index = messages.toArray().findIndex((m) => m.id === command.messageId);
      if (index < 0) return 'this message does not exist';
      const message = messages.get(index);
      if (message.author.id !== identity.userId) return 'you can only change your own messages';
      if (message.deletedAt) return 'this message was deleted';
      const changed: ThreadMessage =
        command.op === 'message.edit' ? { ...message, body: command.body, mentions, editedAt: now } : { ...message, body: '', mentions: [], deletedAt: now };
      Y.transact(doc, () => {
        messages.delete(index, 1);
        messages.insert(index, [changed]);
      }, SERVER_ORIGIN);
      return null;
    }
    case 'thread.resolve':
    case 'thread.reopen': {
      const own = threadAuthor.id === identity.userId;
      if (!can(identity.role, 'resolveAnyThread') && !(own && can(identity.role, 'resolveOwnThread'))) {
        return `your role (${identity.role}) can only ${command.op === 'thread.resolve' ? 'resolve' : 'reopen'} threads you started`;
      }
      if (thread.get(ThreadField.kind) !== 'comment') return 'suggestion threads end when the suggestion is decided';
      const target: ThreadStatus = command.op === 'thread.resolve' ? 'resolved' : 'open';
      if (thread.get(ThreadField.status) === target) return null; // already so: idempotent
      Y.transact(doc, () => {
        thread.set(ThreadField.status, target);
        events.push([{ type: command.op === 'thread.resolve' ? 'resolved' : 'reopened', by: authorOf(identity), at: now }]);
      }, SERVER_ORIGIN);
      return null;
    }
  }
}
