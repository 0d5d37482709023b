/**
 * One comment thread in the side panel: who started it and when, the passage it is about,
 * its messages and events, a reply box when active, and the actions the person's role allows
 * (a disabled action says why). Everything people wrote renders as text.
 */
import { forwardRef, useState, type CSSProperties, type MouseEvent } from 'react';
import { can, type Role } from '../../../../shared/roles.ts';
import type { Thread, ThreadAuthor, ThreadEvent, ThreadMessage } from '../../../../shared/threads.ts';
import { absoluteTime, relativeTime } from '../../lib/time.ts';
import { useT } from '../i18n/i18n.tsx';
import { highlightColor } from './commentHighlights.ts';
import type { MentionCandidate } from './mentions.ts';
import { MessageBody } from './MessageBody.tsx';
import { MessageComposer } from './MessageComposer.tsx';
import type { ThreadCommandBody } from './threadCommands.ts';

/** What a card needs besides its thread. */
export interface ThreadCardContext {
  selfId: string;
  role: Role;
  /** False when the person may not write now (viewer, or the connection ended for good). */
  canWrite: boolean;
  offline: boolean;
  people: readonly MentionCandidate[];
  refreshPeople: () => void;
  now: number;
  /** Send a command; resolves with an error sentence or null. */
  send: (command: ThreadCommandBody) => Promise<string | null>;
  newMessageId: () => string;
}

interface CommentThreadCardProps {
  thread: Thread;
  detached: boolean;
  active: boolean;
  /** Bodies of this person's replies still on their way. */
  pendingReplies: readonly string[];
  /** A resolve/reopen/edit/delete of this thread is on its way. */
  pendingChange: boolean;
  context: ThreadCardContext;
  onActivate: () => void;
  style?: CSSProperties;
}

/** Whether the person may resolve or reopen this thread (the server checks the same). */
export function canResolve(role: Role, thread: Thread, selfId: string): boolean {
  return can(role, 'resolveAnyThread') || (can(role, 'resolveOwnThread') && thread.author?.id === selfId);
}

function Stamp({ iso, now }: { iso: string; now: number }) {
  const { lang } = useT();
  return (
    <time className="comment-time" dateTime={iso} title={absoluteTime(iso, lang)}>
      {relativeTime(iso, lang, now)}
    </time>
  );
}

function Person({ author }: { author: ThreadAuthor }) {
  return (
    <span className="comment-person" title={author.delegation}>
      <span className="color-chip" style={{ backgroundColor: highlightColor(author.color) }} aria-hidden="true" />
      <span className="comment-person__name">{author.name}</span>
    </span>
  );
}

type Item = { kind: 'message'; at: string; message: ThreadMessage } | { kind: 'event'; at: string; event: ThreadEvent };

/** A thread card; the ref is the card element (measured for alignment). */
export const CommentThreadCard = forwardRef<HTMLElement, CommentThreadCardProps>(function CommentThreadCard(props, ref) {
  const { thread, detached, active, context } = props;
  const { t, lang } = useT();
  const [editingId, setEditingId] = useState<string | null>(null);
  const [confirmingDelete, setConfirmingDelete] = useState<string | null>(null);
  const [showAll, setShowAll] = useState(false);
  const resolved = thread.status !== 'open';
  const allowedToResolve = canResolve(context.role, thread, context.selfId);

  const items: Item[] = [
    ...thread.messages.map((message) => ({ kind: 'message' as const, at: message.createdAt, message })),
    ...thread.events.map((event) => ({ kind: 'event' as const, at: event.at, event })),
  ].sort((a, b) => a.at.localeCompare(b.at));
  // A long conversation folds to its first and last items unless the card is active.
  const folded = !active && !showAll && items.length > 3;
  const visible = folded ? [items[0], items[items.length - 1]] : items;

  const activate = (event: MouseEvent) => {
    if ((event.target as HTMLElement).closest('button, a, textarea, input, select, [role="option"]')) return;
    props.onActivate();
  };

  const toggleResolved = () => {
    if (!allowedToResolve) return;
    void context.send({ op: resolved ? 'thread.reopen' : 'thread.resolve', threadId: thread.id });
  };

  const renderMessage = (message: ThreadMessage, opening: boolean) => {
    const own = message.author.id === context.selfId;
    if (editingId === message.id) {
      return (
        <MessageComposer
          label={t('comments.editLabel')}
          submitLabel={t('comments.save')}
          initialText={message.body}
          initialMentions={context.people.filter((p) => message.mentions.includes(p.userId))}
          people={context.people}
          onMentionsOpen={context.refreshPeople}
          autoFocus
          onCancel={() => setEditingId(null)}
          onSubmit={async (body, mentions) => {
            const error = await context.send({ op: 'message.edit', threadId: thread.id, messageId: message.id, body, mentions });
            if (!error) setEditingId(null);
            return error;
          }}
        />
      );
    }
    return (
      <>
        {/* The opening message's author and time are the card's header already. */}
        {(!opening || (message.editedAt && !message.deletedAt)) && (
          <div className="comment-message__meta">
            {!opening && <Person author={message.author} />}
            {!opening && <Stamp iso={message.createdAt} now={context.now} />}
            {message.editedAt && !message.deletedAt && (
              <span className="comment-message__edited" title={absoluteTime(message.editedAt, lang)}>
                {t('comments.edited')}
              </span>
            )}
          </div>
        )}
        {message.deletedAt ? (
          <p className="comment-message__body comment-message__body--deleted">{t('comments.deletedMessage')}</p>
        ) : (
          <MessageBody body={message.body} mentions={message.mentions} people={context.people} selfId={context.selfId} />
        )}
        {own && !message.deletedAt && context.canWrite && (
          confirmingDelete === message.id ? (
            <div className="comment-message__confirm" role="group" aria-label={t('comments.deleteConfirm')}>
              <span>{t('comments.deleteConfirm')}</span>
              <button
                type="button"
                className="button button--small button--danger"
                onClick={() => {
                  setConfirmingDelete(null);
                  void context.send({ op: 'message.delete', threadId: thread.id, messageId: message.id });
                }}
              >
                {t('comments.delete')}
              </button>
              <button type="button" className="button button--small button--quiet" onClick={() => setConfirmingDelete(null)}>
                {t('comments.cancel')}
              </button>
            </div>
          ) : (
            <div className="comment-message__actions">
              <button type="button" className="link-button" onClick={() => setEditingId(message.id)}>
                {t('comments.edit')}
              </button>
              <button type="button" className="link-button" onClick={() => setConfirmingDelete(message.id)}>
                {t('comments.delete')}
              </button>
            </div>
          )
        )}
      </>
    );
  };

  const eventLabel = (event: ThreadEvent) =>
    t(event.type === 'reopened' ? 'comments.eventReopened' : event.type === 'resolved' ? 'comments.eventResolved' : 'comments.eventOther', { name: event.by.name });

  const classes = ['comment-card', active && 'comment-card--active', resolved && 'comment-card--resolved', detached && 'comment-card--detached'].filter(Boolean).join(' ');
  const quote = thread.quote || '…';
  return (
    <article
      ref={ref}
      className={classes}
      style={{ ...props.style, '--comment-color': highlightColor(thread.author?.color) } as CSSProperties}
      aria-label={t('comments.threadLabel', { name: thread.author?.name ?? '', quote: quote.slice(0, 80) })}
      data-thread-id={thread.id}
      onClick={activate}
    >
      <header className="comment-card__header">
        <Person author={thread.author} />
        <Stamp iso={thread.createdAt} now={context.now} />
        {can(context.role, 'comment') && (
          <button
            type="button"
            className="button button--small comment-card__resolve"
            aria-disabled={allowedToResolve && context.canWrite ? undefined : true}
            title={allowedToResolve ? undefined : t('comments.resolveOwnOnly')}
            aria-description={allowedToResolve ? undefined : t('comments.resolveOwnOnly')}
            onClick={toggleResolved}
          >
            {resolved ? t('comments.reopen') : t('comments.resolve')}
          </button>
        )}
      </header>
      <button type="button" className="comment-card__quote" onClick={props.onActivate} aria-label={t('comments.goToPassage', { quote: quote.slice(0, 120) })}>
        {quote}
      </button>
      {detached && <p className="comment-card__detached">{t('comments.detached')}</p>}
      {resolved && <p className="comment-card__status">{t('comments.resolvedBadge')}</p>}
      <ol className="comment-card__messages">
        {visible.map((item, index) => (
          <li key={item.kind === 'message' ? item.message.id : `e${item.at}${index}`} className={item.kind === 'message' ? 'comment-message' : 'comment-event'}>
            {item.kind === 'message' ? (
              renderMessage(item.message, item.message.id === thread.messages[0]?.id && item.message.author.id === thread.author?.id)
            ) : (
              <>
                {eventLabel(item.event)} · <Stamp iso={item.at} now={context.now} />
              </>
            )}
            {folded && index === 0 && (
              <button type="button" className="link-button comment-card__more" onClick={() => setShowAll(true)}>
                {t('comments.moreReplies', { count: items.length - 2 })}
              </button>
            )}
          </li>
        ))}
        {props.pendingReplies.map((body, index) => (
          <li key={`pending-${index}`} className="comment-message comment-message--pending">
            <p className="comment-message__body">{body}</p>
            <p className="comment-message__pending">{context.offline ? t('comments.queuedOffline') : t('comments.sending')}</p>
          </li>
        ))}
      </ol>
      {props.pendingChange && <p className="comment-message__pending">{context.offline ? t('comments.queuedOffline') : t('comments.sending')}</p>}
      {context.canWrite &&
        (active ? (
          <MessageComposer
            label={t('comments.reply')}
            submitLabel={t('comments.reply')}
            placeholder={t('comments.replyPlaceholder')}
            people={context.people}
            onMentionsOpen={context.refreshPeople}
            note={context.offline ? t('comments.offlineNote') : undefined}
            onSubmit={(body, mentions) => context.send({ op: 'message.add', threadId: thread.id, messageId: context.newMessageId(), body, mentions })}
          />
        ) : (
          <button type="button" className="link-button comment-card__reply" onClick={props.onActivate}>
            {t('comments.reply')}
          </button>
        ))}
    </article>
  );
});
