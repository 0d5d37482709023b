/** Top of the comments panel: the "Comentar" button, filters, and open threads per section. */
import type { Thread } from '../../../../shared/threads.ts';
import type { MessageKey } from '../i18n/dictionary.ts';
import { useT } from '../i18n/i18n.tsx';
import { matchesFilter, THREAD_FILTERS, type SectionCount, type ThreadFilter } from './threadFilters.ts';

interface CommentsHeaderProps {
  threads: readonly Thread[];
  userId: string;
  filter: ThreadFilter;
  onFilter: (filter: ThreadFilter) => void;
  delegation: string;
  delegations: readonly string[];
  onDelegation: (delegation: string) => void;
  sections: readonly SectionCount[];
  onSection: (headingPos: number) => void;
  /** The role may comment at all (viewers see a note instead of the button). */
  canComment: boolean;
  /** A passage is selected and the person may comment now. */
  canStart: boolean;
  onComment: () => void;
  offline: boolean;
}

const FILTER_KEYS: Record<ThreadFilter, MessageKey> = {
  open: 'comments.filterOpen',
  resolved: 'comments.filterResolved',
  mine: 'comments.filterMine',
  forMe: 'comments.filterForMe',
};

/** Header of the comments panel. */
export function CommentsHeader(props: CommentsHeaderProps) {
  const { t } = useT();
  return (
    <div className="comments__header">
      <div className="comments__heading">
        <h2 className="comments__title">{t('comments.label')}</h2>
        {props.canComment && (
          <button
            type="button"
            className="button button--small button--primary"
            aria-disabled={props.canStart ? undefined : true}
            aria-keyshortcuts="Control+Alt+M Meta+Alt+M"
            title={props.canStart ? t('comments.commentShortcut') : t('comments.selectFirst')}
            aria-description={props.canStart ? undefined : t('comments.selectFirst')}
            // Keep the selection in the plan: pressing the button must not move focus first.
            onMouseDown={(event) => event.preventDefault()}
            onClick={() => {
              if (props.canStart) props.onComment();
            }}
          >
            {t('comments.comment')}
          </button>
        )}
      </div>
      {!props.canComment && <p className="comments__note">{t('comments.viewerNote')}</p>}
      {props.offline && <p className="comments__note comments__note--offline">{t('comments.offlineNote')}</p>}
      <div className="comments__filters" role="group" aria-label={t('comments.filters')}>
        {THREAD_FILTERS.map((filter) => {
          const count = props.threads.filter((thread) => matchesFilter(thread, filter, props.userId, props.delegation)).length;
          return (
            <button key={filter} type="button" className="chip" aria-pressed={props.filter === filter} onClick={() => props.onFilter(filter)}>
              {t(FILTER_KEYS[filter])}
              <span className="chip__count">{count}</span>
            </button>
          );
        })}
      </div>
      {props.delegations.length > 0 && (
        <select className="comments__delegation" aria-label={t('comments.byDelegation')} value={props.delegation} onChange={(event) => props.onDelegation(event.target.value)}>
          <option value="">{t('comments.allDelegations')}</option>
          {props.delegations.map((delegation) => (
            <option key={delegation} value={delegation}>
              {delegation}
            </option>
          ))}
        </select>
      )}
      {props.sections.length > 0 && (
        <details className="comments__sections">
          <summary>{t('comments.bySection')}</summary>
          <ul>
            {props.sections.map((section) => (
              <li key={section.pos}>
                <button type="button" className="link-button" onClick={() => props.onSection(section.pos)}>
                  {t(section.open === 1 ? 'comments.sectionOpenOne' : 'comments.sectionOpenMany', { title: section.title, count: section.open })}
                </button>
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}
