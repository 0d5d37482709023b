/** Cards for threads not on the server yet: the one being written, and ones waiting to be sent. */
import { forwardRef, type CSSProperties } from 'react';
import { useT } from '../i18n/i18n.tsx';
import type { MentionCandidate } from './mentions.ts';
import { MessageComposer } from './MessageComposer.tsx';

interface DraftThreadCardProps {
  quote: string;
  people: readonly MentionCandidate[];
  refreshPeople: () => void;
  offline: boolean;
  onCancel: () => void;
  onSubmit: (body: string, mentions: string[]) => Promise<string | null>;
  style?: CSSProperties;
}

/** The new comment on the selected passage, with its first message box focused. */
export const DraftThreadCard = forwardRef<HTMLElement, DraftThreadCardProps>(function DraftThreadCard(props, ref) {
  const { t } = useT();
  return (
    <article ref={ref} className="comment-card comment-card--active comment-card--draft" style={props.style} aria-label={t('comments.newThread')}>
      <blockquote className="comment-card__quote comment-card__quote--static">{props.quote}</blockquote>
      <MessageComposer
        label={t('comments.newLabel')}
        submitLabel={t('comments.comment')}
        placeholder={t('comments.newPlaceholder')}
        people={props.people}
        onMentionsOpen={props.refreshPeople}
        note={props.offline ? t('comments.offlineNote') : undefined}
        autoFocus
        onCancel={props.onCancel}
        onSubmit={props.onSubmit}
      />
    </article>
  );
});

interface PendingThreadCardProps {
  quote: string;
  body: string;
  offline: boolean;
  style?: CSSProperties;
}

/** A new thread sent (or queued offline) whose answer has not come back yet. */
export const PendingThreadCard = forwardRef<HTMLElement, PendingThreadCardProps>(function PendingThreadCard(props, ref) {
  const { t } = useT();
  return (
    <article ref={ref} className="comment-card comment-card--pending" style={props.style} aria-label={t('comments.pendingThread')}>
      <blockquote className="comment-card__quote comment-card__quote--static">{props.quote}</blockquote>
      <p className="comment-message__body">{props.body}</p>
      <p className="comment-message__pending">{props.offline ? t('comments.queuedOffline') : t('comments.sending')}</p>
    </article>
  );
});
