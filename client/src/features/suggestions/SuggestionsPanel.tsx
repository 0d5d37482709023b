/**
 * The suggestions side panel: every proposed change with its author, delegation colour and
 * time; accept or reject one, all of one person's, or all in the selection (editors), withdraw
 * one's own (suggesters); a discussion under each, like a comment thread.
 */
import './suggestions.css';
import { useMemo, useState } from 'react';
import type { Editor } from '@tiptap/react';
import { useT } from '../i18n/i18n.tsx';
import { absoluteTime, relativeTime } from '../../lib/time.ts';
import type { CollabConnection } from '../connection/collabConnection.ts';
import { suggestionIdsInSelection, type SuggestionView } from './useSuggestions.ts';
import type { Outcome, SuggestionActions } from './useSuggestionActions.ts';
import type { MessageKey } from '../i18n/dictionary.ts';
import type { FORMAT_MARKS } from '../../../../shared/suggestion-marks.ts';

/** Labels of the formatting marks a suggestion adds or removes (shared FORMAT_MARKS). */
const MARK_LABELS: Record<(typeof FORMAT_MARKS)[number], MessageKey> = {
  bold: 'suggestions.mark.bold',
  italic: 'suggestions.mark.italic',
  underline: 'suggestions.mark.underline',
  strike: 'suggestions.mark.strike',
};
const markLabel = (name: string): MessageKey => MARK_LABELS[name as (typeof FORMAT_MARKS)[number]];
/** A block kind (blockKind: "paragraph", "heading2") as its label; unknown kinds read as a paragraph. */
const kindLabel = (kind: string): MessageKey => (['heading1', 'heading2', 'heading3'].includes(kind) ? (`suggestions.kind.${kind}` as MessageKey) : 'suggestions.kind.paragraph');

interface Props {
  editor: Editor | null;
  connection: CollabConnection;
  suggestions: SuggestionView[];
  actions: SuggestionActions;
  onError: (message: string) => void;
}

/** Panel listing the plan's open suggestions. */
export function SuggestionsPanel({ editor, connection, suggestions, actions, onError }: Props) {
  const { t, lang } = useT();
  const [author, setAuthor] = useState('');
  const authors = useMemo(() => [...new Map(suggestions.map((s) => [s.authorId, s.authorName])).entries()], [suggestions]);
  const shown = author ? suggestions.filter((s) => s.authorId === author) : suggestions;

  const run = async (list: SuggestionView[], outcome: Outcome): Promise<void> => {
    const error = await actions.decide(list, outcome);
    if (error) onError(error === 'not-allowed' ? t('suggestions.notAllowed') : error);
  };
  const inSelection = (): SuggestionView[] => {
    if (!editor) return [];
    const ids = suggestionIdsInSelection(editor);
    return suggestions.filter((s) => ids.has(s.suggestionId));
  };
  const reveal = (s: SuggestionView): void => {
    if (!editor) return;
    let target = -1;
    editor.state.doc.descendants((node, pos) => {
      if (target >= 0) return false;
      if (node.marks.some((m) => m.attrs.suggestionId === s.suggestionId)) target = pos;
      return true;
    });
    if (target >= 0) editor.chain().setTextSelection(target).scrollIntoView().run();
  };

  return (
    <section className="suggestions" aria-labelledby="suggestions-title">
      <header className="suggestions__header">
        <h2 id="suggestions-title" className="suggestions__title">
          {t('suggestions.title')} <span className="suggestions__count">{suggestions.length}</span>
        </h2>
        {authors.length > 1 && (
          <label className="suggestions__filter">
            <span>{t('suggestions.byPerson')}</span>
            <select value={author} onChange={(e) => setAuthor(e.target.value)}>
              <option value="">{t('suggestions.everyone')}</option>
              {authors.map(([id, name]) => (
                <option key={id} value={id}>
                  {name}
                </option>
              ))}
            </select>
          </label>
        )}
        {actions.canDecide && shown.length > 0 && (
          <div className="suggestions__bulk" role="group" aria-label={t('suggestions.bulk')}>
            <button type="button" className="button button--small button--primary" onClick={() => void run(shown, 'accepted')}>
              {t('suggestions.acceptAll')}
            </button>
            <button type="button" className="button button--small" onClick={() => void run(shown, 'rejected')}>
              {t('suggestions.rejectAll')}
            </button>
            <button type="button" className="button button--small button--quiet" onClick={() => void run(inSelection(), 'accepted')}>
              {t('suggestions.acceptSelection')}
            </button>
            <button type="button" className="button button--small button--quiet" onClick={() => void run(inSelection(), 'rejected')}>
              {t('suggestions.rejectSelection')}
            </button>
          </div>
        )}
      </header>
      {shown.length === 0 ? (
        <p className="suggestions__empty">{t('suggestions.none')}</p>
      ) : (
        <ol className="suggestions__list">
          {shown.map((s) => (
            <li key={s.suggestionId} className="suggestion-card" style={{ ['--suggestion-color' as string]: /^#[0-9a-f]{6}$/i.test(s.color) ? s.color : '#666666' }}>
              <button type="button" className="suggestion-card__summary" onClick={() => reveal(s)} aria-label={t('suggestions.show', { name: s.authorName })}>
                <span className="suggestion-card__author">{s.authorName}</span>
                <time className="suggestion-card__time" dateTime={s.createdAt} title={absoluteTime(s.createdAt, lang)}>
                  {relativeTime(s.createdAt, lang)}
                </time>
              </button>
              {s.deleted && (
                <p className="suggestion-card__change">
                  {t('suggestions.deletes')} <del>{s.deleted}</del>
                </p>
              )}
              {s.inserted && (
                <p className="suggestion-card__change">
                  {t('suggestions.inserts')} <ins>{s.inserted}</ins>
                </p>
              )}
              {s.formatted && (
                <p className="suggestion-card__change">
                  {t('suggestions.formats')} <span className="suggestion-card__formatted">{s.formatted}</span>
                  {': '}
                  {[
                    s.added.length > 0 ? t('suggestions.formatAdd', { marks: s.added.map((name) => t(markLabel(name))).join(', ') }) : '',
                    s.removed.length > 0 ? t('suggestions.formatRemove', { marks: s.removed.map((name) => t(markLabel(name))).join(', ') }) : '',
                  ]
                    .filter(Boolean)
                    .join('; ')}
                </p>
              )}
              {s.retypeTo && (
                <p className="suggestion-card__change">
                  {t('suggestions.retypes', { kind: t(kindLabel(s.retypeTo)) })} <span className="suggestion-card__formatted">{s.retyped}</span>
                </p>
              )}
              {!s.inserted && !s.deleted && !s.formatted && !s.retypeTo && s.blocks > 0 && <p className="suggestion-card__change">{t('suggestions.newBlock')}</p>}
              <SuggestionDiscussion suggestion={s} connection={connection} onError={onError} />
              <div className="suggestion-card__actions">
                {actions.canDecide && (
                  <>
                    <button type="button" className="button button--small button--primary" onClick={() => void run([s], 'accepted')}>
                      {t('suggestions.accept')}
                    </button>
                    <button type="button" className="button button--small" onClick={() => void run([s], 'rejected')}>
                      {t('suggestions.reject')}
                    </button>
                  </>
                )}
                {actions.canWithdraw(s) && (
                  <button type="button" className="button button--small button--quiet" onClick={() => void run([s], 'withdrawn')}>
                    {t('suggestions.withdraw')}
                  </button>
                )}
              </div>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

/** The messages of a suggestion's thread and a reply box. */
function SuggestionDiscussion({ suggestion, connection, onError }: { suggestion: SuggestionView; connection: CollabConnection; onError: (m: string) => void }) {
  const { t, lang } = useT();
  const [draft, setDraft] = useState('');
  const messages = suggestion.thread?.messages.filter((m) => !m.deletedAt) ?? [];
  const send = async (): Promise<void> => {
    const body = draft.trim();
    if (!body || !suggestion.thread) return;
    setDraft('');
    const messageId = `m${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
    const result = await connection.sendCommand({ op: 'message.add', threadId: suggestion.suggestionId, messageId, body, mentions: [] });
    if (!result.ok) {
      setDraft(body);
      onError(result.error);
    }
  };
  return (
    <div className="suggestion-card__thread">
      {messages.map((m) => (
        <p key={m.id} className="suggestion-card__message">
          <strong>{m.author.name}</strong> <span className="suggestion-card__time">{relativeTime(m.createdAt, lang)}</span>
          <br />
          {m.body}
        </p>
      ))}
      {suggestion.thread && (
        <form
          className="suggestion-card__reply"
          onSubmit={(e) => {
            e.preventDefault();
            void send();
          }}
        >
          <label className="visually-hidden" htmlFor={`reply-${suggestion.suggestionId}`}>
            {t('suggestions.replyLabel', { name: suggestion.authorName })}
          </label>
          <input id={`reply-${suggestion.suggestionId}`} value={draft} maxLength={5000} onChange={(e) => setDraft(e.target.value)} placeholder={t('suggestions.replyPlaceholder')} />
          <button type="submit" className="button button--small" disabled={!draft.trim()}>
            {t('suggestions.reply')}
          </button>
        </form>
      )}
    </div>
  );
}
