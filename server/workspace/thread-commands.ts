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
import { readPlanContent } from '../../shared/plan-doc.ts';
import { collectSuggestions } from '../../shared/suggestions.ts';
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
  z.object({ op: z.literal('suggestion.open'), requestId: z.string().max(64), threadId: Id, quote: z.string().max(MAX_QUOTE_CHARS).default(''), messageId: Id.optional(), body: Body.optional(), mentions: Mentions }),
  z.object({
    op: z.literal('suggestion.decide'),
    requestId: z.string().max(64),
    threadId: Id,
    decision: z.enum(['accepted', 'rejected', 'withdrawn']),
    /** What the deciding client saw of the suggestion, for a thread it never had (display only). */
    seen: z.object({ authorId: z.string().max(64), authorName: z.string().max(120), delegation: z.string().max(120).default(''), color: z.string().max(16), quote: z.string().max(MAX_QUOTE_CHARS) }).optional(),
  }),
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

/** A new thread's Y.Map (status open, no events yet). */
function newThreadMap(fields: { id: string; kind: 'comment' | 'suggestion'; author: ThreadAuthor; createdAt: string; anchor: { start: string; end: string } | null; quote: string; messages: Y.Array<ThreadMessage> }): Y.Map<unknown> {
  const thread = new Y.Map<unknown>();
  thread.set(ThreadField.id, fields.id);
  thread.set(ThreadField.kind, fields.kind);
  thread.set(ThreadField.author, fields.author);
  thread.set(ThreadField.createdAt, fields.createdAt);
  thread.set(ThreadField.anchor, fields.anchor);
  thread.set(ThreadField.quote, fields.quote);
  thread.set(ThreadField.status, 'open' satisfies ThreadStatus);
  thread.set(ThreadField.messages, fields.messages);
  thread.set(ThreadField.events, new Y.Array<ThreadEvent>());
  return thread;
}

/** Whether the plan body holds a suggestion with this id made by this person. */
function suggestionAuthoredBy(doc: Y.Doc, suggestionId: string, userId: string): boolean {
  return collectSuggestions(readPlanContent(doc)).some((s) => s.suggestionId === suggestionId && s.authorId === userId);
}

/**
 * Whether an existing thread is what this person's `thread.create` with this first message made:
 * a command sent again after a reload, when the first sending's answer never arrived.
 */
function isOwnResend(thread: Y.Map<unknown>, messageId: string, identity: Identity): boolean {
  const author = thread.get(ThreadField.author) as ThreadAuthor | undefined;
  const first = (thread.get(ThreadField.messages) as Y.Array<ThreadMessage> | undefined)?.get(0);
  return thread.get(ThreadField.kind) === 'comment' && author?.id === identity.userId && first?.id === messageId;
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
    const existing = threads.get(command.threadId);
    // The same command again (sent before a reload, answered after it): already done.
    if (existing instanceof Y.Map && isOwnResend(existing, command.messageId, identity)) return null;
    if (existing) return 'a thread with this id exists';
    if (threads.size >= MAX_THREADS) return 'this plan has too many threads';
    const start = anchorPoint(doc, command.anchor.start);
    const end = anchorPoint(doc, command.anchor.end);
    if (!start || !end) return 'the passage to comment on is not in this plan';
    const message: ThreadMessage = { id: command.messageId, author: authorOf(identity), body: command.body, mentions, createdAt: now, editedAt: null, deletedAt: null };
    Y.transact(doc, () => {
      const messages = new Y.Array<ThreadMessage>();
      messages.push([message]);
      threads.set(command.threadId, newThreadMap({ id: command.threadId, kind: 'comment', author: authorOf(identity), createdAt: now, anchor: command.anchor, quote: command.quote, messages }));
    }, SERVER_ORIGIN);
    return null;
  }

  if (command.op === 'suggestion.open') {
    if (threads.has(command.threadId)) return null; // already open: idempotent (offline resend)
    if (threads.size >= MAX_THREADS) return 'this plan has too many threads';
    if (!suggestionAuthoredBy(doc, command.threadId, identity.userId)) return 'there is no suggestion of yours with this id in the plan';
    Y.transact(doc, () => {
      const messages = new Y.Array<ThreadMessage>();
      if (command.body && command.messageId) {
        messages.push([{ id: command.messageId, author: authorOf(identity), body: command.body, mentions, createdAt: now, editedAt: null, deletedAt: null }]);
      }
      threads.set(command.threadId, newThreadMap({ id: command.threadId, kind: 'suggestion', author: authorOf(identity), createdAt: now, anchor: null, quote: command.quote, messages }));
    }, SERVER_ORIGIN);
    return null;
  }

  if (command.op === 'suggestion.decide') {
    let existing = threads.get(command.threadId);
    const author = existing instanceof Y.Map ? (existing.get(ThreadField.author) as ThreadAuthor) : null;
    if (command.decision === 'withdrawn') {
      const authorId = author?.id ?? command.seen?.authorId;
      if (authorId !== identity.userId) return 'only the person who made a suggestion can withdraw it';
    } else if (!can(identity.role, 'decideSuggestions')) {
      return `your role (${identity.role}) cannot accept or reject suggestions`;
    }
    if (existing instanceof Y.Map && existing.get(ThreadField.kind) !== 'suggestion') return 'this thread is not a suggestion';
    if (existing instanceof Y.Map && existing.get(ThreadField.status) !== 'open') {
      // This person's same decision again (sent before a reload, answered after it): already done.
      const events = (existing.get(ThreadField.events) as Y.Array<ThreadEvent>).toArray();
      const last = events[events.length - 1];
      const resend = existing.get(ThreadField.status) === command.decision && last?.by.id === identity.userId;
      return resend ? null : 'this suggestion was already decided';
    }
    Y.transact(doc, () => {
      if (!(existing instanceof Y.Map)) {
        if (!command.seen) return;
        const seen = command.seen;
        existing = newThreadMap({
          id: command.threadId,
          kind: 'suggestion',
          author: { id: seen.authorId, name: seen.authorName, delegation: seen.delegation, color: /^#[0-9a-f]{6}$/i.test(seen.color) ? seen.color : '#666666' },
          createdAt: now,
          anchor: null,
          quote: seen.quote,
          messages: new Y.Array<ThreadMessage>(),
        });
        threads.set(command.threadId, existing);
      }
      existing.set(ThreadField.status, command.decision);
      (existing.get(ThreadField.events) as Y.Array<ThreadEvent>).push([{ type: command.decision, by: authorOf(identity), at: now }]);
    }, SERVER_ORIGIN);
    return threads.has(command.threadId) ? null : 'this suggestion is unknown';
  }

  const thread = threads.get(command.threadId);
  if (!(thread instanceof Y.Map)) return 'this thread does not exist';
  const threadAuthor = thread.get(ThreadField.author) as ThreadAuthor;
  const messages = thread.get(ThreadField.messages) as Y.Array<ThreadMessage>;
  const events = thread.get(ThreadField.events) as Y.Array<ThreadEvent>;

  switch (command.op) {
    case 'message.add': {
      const same = messages.toArray().find((m) => m.id === command.messageId);
      if (same) return same.author.id === identity.userId ? null : 'a message with this id exists'; // own: a resend
      if (messages.length >= MAX_MESSAGES) return 'this thread has too many messages';
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
      if (message.deletedAt) return command.op === 'message.delete' ? null : 'this message was deleted'; // deleting again: a resend
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
