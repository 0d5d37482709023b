/**
 * What a reviewer reads: which sections changed and how much, who wrote the insertions, what
 * happened to comments and suggestions, then the newer document with the changes marked.
 */
import type { CSSProperties } from 'react';
import { CURRENT_PLAN, type CompareResult, type CompareSide, type SectionSummary } from '../../../../shared/versions.ts';
import { absoluteTime } from '../../lib/time.ts';
import { useT, type Translate } from '../i18n/i18n.tsx';
import { DiffView } from './DiffView.tsx';

const HEX = /^#[0-9a-f]{6}$/i;

/** Words for what happened to a thread. */
const EVENT_KEYS = {
  resolved: 'history.event.resolved',
  reopened: 'history.event.reopened',
  accepted: 'history.event.accepted',
  rejected: 'history.event.rejected',
  withdrawn: 'history.event.withdrawn',
} as const;

function sideName(side: CompareSide, t: Translate): string {
  return side.id === CURRENT_PLAN ? t('history.current') : side.name;
}

const COUNTS: Array<[keyof SectionSummary, 'history.wordsAdded' | 'history.wordsRemoved' | 'history.commentsOpened' | 'history.commentsResolved' | 'history.suggestionsMade' | 'history.suggestionsAccepted' | 'history.suggestionsRejected']> = [
  ['wordsAdded', 'history.wordsAdded'],
  ['wordsRemoved', 'history.wordsRemoved'],
  ['commentsOpened', 'history.commentsOpened'],
  ['commentsResolved', 'history.commentsResolved'],
  ['suggestionsMade', 'history.suggestionsMade'],
  ['suggestionsAccepted', 'history.suggestionsAccepted'],
  ['suggestionsRejected', 'history.suggestionsRejected'],
];

function active(section: SectionSummary): boolean {
  return COUNTS.some(([key]) => (section[key] as number) > 0);
}

/** The comparison of two states of a plan. */
export function CompareView({ result }: { result: CompareResult }) {
  const { t, lang } = useT();
  const from = sideName(result.from, t);
  const to = sideName(result.to, t);
  // The part before the first section only gets a row when something happened there.
  const rows = result.sections.filter((s) => s.index > 0 || active(s));
  const authorName = (index: number): string => {
    const person = result.authors[index];
    return person ? `${person.name} (${person.delegation})` : t('history.unknownAuthor');
  };

  return (
    <div className="compare">
      <h3 className="compare__title">{t('history.compareTitle', { from, to })}</h3>
      <p className="hint">
        {t('history.compareSpan', { from: absoluteTime(result.from.at, lang), to: absoluteTime(result.to.at, lang) })}{' '}
        {t('history.totals', { added: result.totals.wordsAdded, removed: result.totals.wordsRemoved })} {t('history.deletionsNote')}
      </p>

      <table className="data-table compare__summary">
        <caption>{t('history.summary')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('history.section')}</th>
            {COUNTS.map(([key, label]) => (
              <th scope="col" key={key}>
                {t(label)}
              </th>
            ))}
            <th scope="col">{t('history.changedBy')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((section) => (
            <tr key={section.index} className={active(section) ? 'is-active' : 'is-quiet'}>
              <th scope="row">{section.title ?? t('history.sectionStart')}</th>
              {COUNTS.map(([key]) => (
                <td key={key}>{section[key] as number}</td>
              ))}
              <td>{section.authors.length ? section.authors.map(authorName).join(', ') : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>

      {result.authors.length > 0 && (
        <ul className="compare__legend" aria-label={t('history.legend')}>
          {result.authors.map((author) => (
            <li key={author.id}>
              <span className="compare__swatch" aria-hidden="true" style={{ background: HEX.test(author.color) ? author.color : undefined } as CSSProperties} />
              {author.name} · {author.delegation}
            </li>
          ))}
        </ul>
      )}

      {result.threads.length > 0 && (
        <section className="compare__threads" aria-label={t('history.threads')}>
          <h4>{t('history.threads')}</h4>
          <ul>
            {result.threads.map((thread) => {
              const what = [thread.opened ? t(thread.kind === 'comment' ? 'history.event.opened' : 'history.event.made') : null, ...thread.events.map((e) => t(EVENT_KEYS[e.type]))].filter(Boolean);
              return (
                <li key={thread.id}>
                  <strong>{t(thread.kind === 'comment' ? 'history.threadComment' : 'history.threadSuggestion', { name: thread.author.name, delegation: thread.author.delegation })}</strong>
                  {thread.quote && <> «{thread.quote}»</>}
                  {' — '}
                  {[...what, thread.newMessages > 0 ? t('history.newMessages', { count: thread.newMessages }) : null].filter(Boolean).join(', ')}
                  {' · '}
                  {result.sections[thread.section]?.title ?? t('history.sectionStart')}
                </li>
              );
            })}
          </ul>
        </section>
      )}

      {result.changes.length === 0 && <p className="hint">{t('history.noChanges')}</p>}
      <DiffView doc={result.doc} authors={result.authors} label={t('history.document')} />
    </div>
  );
}
