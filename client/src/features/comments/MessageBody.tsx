/**
 * A message body rendered safely: React text nodes only (markup in a message shows as typed),
 * links only for URLs that pass the plan's link policy, mentions as chips.
 */
import { useMemo } from 'react';
import { bodySegments, type MentionCandidate } from './mentions.ts';

interface MessageBodyProps {
  body: string;
  /** User ids the message mentions (from the server-checked message). */
  mentions: readonly string[];
  /** Known people, to name the mentioned ones. */
  people: readonly MentionCandidate[];
  selfId: string;
}

/** The text of one message with its links and mentions. */
export function MessageBody({ body, mentions, people, selfId }: MessageBodyProps) {
  const segments = useMemo(() => {
    const mentioned = people.filter((p) => mentions.includes(p.userId));
    return bodySegments(body, mentioned);
  }, [body, mentions, people]);
  return (
    <p className="comment-message__body">
      {segments.map((segment, index) => {
        if (segment.kind === 'link') {
          return (
            <a key={index} href={segment.href} target="_blank" rel="noopener noreferrer nofollow">
              {segment.text}
            </a>
          );
        }
        if (segment.kind === 'mention') {
          return (
            <span key={index} className={`mention${segment.userId === selfId ? ' mention--self' : ''}`}>
              {segment.text}
            </span>
          );
        }
        return <span key={index}>{segment.text}</span>;
      })}
    </p>
  );
}
