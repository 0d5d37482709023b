/** The plans a person belongs to: title, last edit, their role, who is online; rename inline. */
import { useState } from 'react';
import { can } from '../../../../shared/roles.ts';
import type { PlanDocument } from '../../lib/api.ts';
import { documentPath, linkClick } from '../../lib/router.ts';
import { absoluteTime, relativeTime } from '../../lib/time.ts';
import { Avatar } from '../../ui/Avatar.tsx';
import { useT } from '../i18n/i18n.tsx';
import { roleLabel } from '../session/roleLabel.ts';
import { RenameTitle } from './RenameTitle.tsx';

interface DocumentListProps {
  documents: PlanDocument[];
  onRenamed: (document: PlanDocument) => void;
}

/** List of plan cards. */
export function DocumentList({ documents, onRenamed }: DocumentListProps) {
  const { t, lang } = useT();
  const [renaming, setRenaming] = useState<string | null>(null);

  if (documents.length === 0) return <p className="empty">{t('documents.empty')}</p>;

  return (
    <ul className="doc-list">
      {documents.map((document) => {
        const online = document.online ?? [];
        const onlineLabel = online.length
          ? t('documents.online', { names: online.map((person) => `${person.name} (${person.delegation})`).join(', ') })
          : t('documents.onlineNone');
        return (
          <li key={document.id} className="doc-card">
            <div className="doc-card__main">
              {renaming === document.id ? (
                <RenameTitle document={document} onRenamed={onRenamed} onDone={() => setRenaming(null)} />
              ) : (
                <h2 className="doc-card__title">
                  <a href={documentPath(document.id)} onClick={linkClick(documentPath(document.id))}>
                    {document.title || t('documents.untitled')}
                  </a>
                </h2>
              )}
              <p className="doc-card__meta">
                <time dateTime={document.updatedAt} title={absoluteTime(document.updatedAt, lang)}>
                  {t('documents.lastEdited', { when: relativeTime(document.updatedAt, lang) })}
                </time>
                <span aria-hidden="true"> · </span>
                <span className={`role-badge role-badge--${document.role}`}>{t('documents.yourRole', { role: roleLabel(document.role, t) })}</span>
              </p>
            </div>
            <div className="doc-card__side">
              <ul className="avatars" aria-label={onlineLabel}>
                {online.map((person) => (
                  <li key={person.id} title={`${person.name} · ${person.delegation}`}>
                    <Avatar name={person.name} color={person.color} size="small" />
                    <span className="visually-hidden">{`${person.name} · ${person.delegation}`}</span>
                  </li>
                ))}
              </ul>
              {can(document.role, 'editText') && renaming !== document.id && (
                <button
                  type="button"
                  className="button button--small button--quiet"
                  aria-label={`${t('documents.rename')}: ${document.title}`}
                  onClick={() => setRenaming(document.id)}
                >
                  {t('documents.rename')}
                </button>
              )}
            </div>
          </li>
        );
      })}
    </ul>
  );
}
