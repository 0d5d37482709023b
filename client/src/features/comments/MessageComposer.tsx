/**
 * Writing a message: a plain-text box with an @mention autocomplete (a listbox the arrow keys
 * move through, announced with aria-activedescendant). Choosing a person puts "@Name" in the
 * text and their user id in the message's mentions. Ctrl/Cmd+Enter sends, Escape cancels.
 */
import { useId, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useT } from '../i18n/i18n.tsx';
import { matchCandidates, mentionQueryAt, mentionsInBody, type MentionCandidate } from './mentions.ts';

interface MessageComposerProps {
  /** Accessible name of the text box. */
  label: string;
  submitLabel: string;
  placeholder?: string;
  initialText?: string;
  initialMentions?: readonly MentionCandidate[];
  people: readonly MentionCandidate[];
  /** Called when the autocomplete opens (to refresh the participants list). */
  onMentionsOpen?: () => void;
  /** Send; resolves with an error sentence, or null when done (the box then empties). */
  onSubmit: (body: string, mentions: string[]) => Promise<string | null>;
  onCancel?: () => void;
  autoFocus?: boolean;
  /** Shown under the box (e.g. "will be sent on reconnect"). */
  note?: string;
}

interface MentionState {
  start: number;
  query: string;
}

/** A message box with mention autocomplete. */
export function MessageComposer(props: MessageComposerProps) {
  const { t } = useT();
  const id = useId();
  const [text, setText] = useState(props.initialText ?? '');
  const [chosen, setChosen] = useState<MentionCandidate[]>(() => [...(props.initialMentions ?? [])]);
  const [mention, setMention] = useState<MentionState | null>(null);
  const [activeIndex, setActiveIndex] = useState(0);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const box = useRef<HTMLTextAreaElement>(null);
  const caretAfterInsert = useRef<number | null>(null);

  const candidates = useMemo(() => (mention ? matchCandidates(props.people, mention.query) : []), [mention, props.people]);
  const open = mention !== null && candidates.length > 0;
  const listboxId = `${id}-mentions`;
  const optionId = (index: number) => `${id}-mention-${index}`;

  useLayoutEffect(() => {
    const element = box.current;
    if (!element) return;
    // Grow with the text up to a limit, like a chat box.
    element.style.height = 'auto';
    element.style.height = `${Math.min(element.scrollHeight + 2, 220)}px`;
    if (caretAfterInsert.current !== null) {
      element.setSelectionRange(caretAfterInsert.current, caretAfterInsert.current);
      caretAfterInsert.current = null;
    }
  }, [text]);

  useLayoutEffect(() => {
    if (props.autoFocus) box.current?.focus();
  }, [props.autoFocus]);

  const readMention = (value: string, caret: number) => {
    const next = mentionQueryAt(value, caret);
    if (next && !mention) props.onMentionsOpen?.();
    setMention(next);
    if (!next || next.query !== mention?.query) setActiveIndex(0);
  };

  const choose = (person: MentionCandidate) => {
    if (!mention || !box.current) return;
    const caret = box.current.selectionStart;
    const inserted = `@${person.name} `;
    const next = text.slice(0, mention.start) + inserted + text.slice(caret);
    caretAfterInsert.current = mention.start + inserted.length;
    setText(next);
    setChosen((list) => (list.some((p) => p.userId === person.userId) ? list : [...list, person]));
    setMention(null);
    box.current.focus();
  };

  const submit = async () => {
    const body = text.trim();
    if (!body || busy) return;
    setBusy(true);
    setError(null);
    const problem = await props.onSubmit(body, mentionsInBody(body, chosen));
    setBusy(false);
    if (problem) setError(problem);
    else {
      setText('');
      setChosen([]);
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (open) {
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        const step = event.key === 'ArrowDown' ? 1 : -1;
        setActiveIndex((i) => (i + step + candidates.length) % candidates.length);
        return;
      }
      if (event.key === 'Enter' || event.key === 'Tab') {
        event.preventDefault();
        choose(candidates[Math.min(activeIndex, candidates.length - 1)]);
        return;
      }
      if (event.key === 'Escape') {
        event.preventDefault();
        event.stopPropagation();
        setMention(null);
        return;
      }
    }
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void submit();
    } else if (event.key === 'Escape' && props.onCancel) {
      event.preventDefault();
      props.onCancel();
    }
  };

  return (
    <div className="composer" onClick={(event) => event.stopPropagation()}>
      <div className="composer__field">
        <textarea
          ref={box}
          className="composer__input"
          aria-label={props.label}
          placeholder={props.placeholder}
          rows={2}
          value={text}
          aria-autocomplete="list"
          aria-controls={open ? listboxId : undefined}
          aria-activedescendant={open ? optionId(Math.min(activeIndex, candidates.length - 1)) : undefined}
          aria-describedby={props.note ? `${id}-note` : undefined}
          onChange={(event) => {
            setText(event.target.value);
            readMention(event.target.value, event.target.selectionStart);
          }}
          onKeyDown={onKeyDown}
          onKeyUp={(event) => {
            if (event.key === 'ArrowLeft' || event.key === 'ArrowRight' || event.key === 'Home' || event.key === 'End') readMention(text, event.currentTarget.selectionStart);
          }}
          onBlur={() => window.setTimeout(() => setMention(null), 150)}
        />
        {open && (
          <ul className="mention-list" id={listboxId} role="listbox" aria-label={t('comments.mentionList')}>
            {candidates.map((person, index) => (
              <li
                key={person.userId}
                id={optionId(index)}
                role="option"
                aria-selected={index === activeIndex}
                className="mention-list__option"
                // Keep focus (and the caret) in the text box.
                onMouseDown={(event) => event.preventDefault()}
                onClick={() => choose(person)}
              >
                <span className="color-chip" style={{ backgroundColor: person.color }} aria-hidden="true" />
                <span className="mention-list__name">{person.name}</span>
                <span className="mention-list__delegation">{person.delegation}</span>
              </li>
            ))}
          </ul>
        )}
        <span className="visually-hidden" aria-live="polite">
          {open ? t('comments.mentionCount', { count: candidates.length }) : ''}
        </span>
      </div>
      {props.note && (
        <p className="composer__note" id={`${id}-note`}>
          {props.note}
        </p>
      )}
      {error && (
        <p className="composer__error" role="alert">
          {error}
        </p>
      )}
      <div className="composer__actions">
        {props.onCancel && (
          <button type="button" className="button button--small button--quiet" onClick={props.onCancel}>
            {t('comments.cancel')}
          </button>
        )}
        <button type="button" className="button button--small button--primary" disabled={!text.trim() || busy} onClick={() => void submit()}>
          {props.submitLabel}
        </button>
      </div>
    </div>
  );
}
