/** The history table: every version with its milestone, who captured it, when, its size and integrity. */
import { useState } from 'react';
import type { ChainReport, MilestoneView, VersionSummary } from '../../../../shared/versions.ts';
import { absoluteTime } from '../../lib/time.ts';
import { useT, type Translate } from '../i18n/i18n.tsx';
import { InlineConfirm } from '../../ui/InlineConfirm.tsx';

interface VersionListProps {
  versions: VersionSummary[];
  milestones: MilestoneView[];
  chain: ChainReport | null;
  canRestore: boolean;
  onOpen: (version: VersionSummary) => void;
  onRestore: (version: VersionSummary) => void;
}

/** Bytes in the largest unit that keeps the number readable. */
export function formatSize(bytes: number, lang: string): string {
  const format = new Intl.NumberFormat(lang, { maximumFractionDigits: 1 });
  if (bytes < 1024) return `${format.format(bytes)} B`;
  if (bytes < 1024 * 1024) return `${format.format(bytes / 1024)} KB`;
  return `${format.format(bytes / 1024 / 1024)} MB`;
}

/** Who captured a version, in words. */
export function capturerName(version: VersionSummary, t: Translate): string {
  const by = version.capturedBy;
  if (by.kind === 'person') return `${by.name} (${by.delegation})`;
  return by.source === 'milestone' ? t('history.system') : t('history.admin');
}

/** The table of versions, newest first. */
export function VersionList({ versions, milestones, chain, canRestore, onOpen, onRestore }: VersionListProps) {
  const { t, lang } = useT();
  const [confirming, setConfirming] = useState<string | null>(null);
  const broken = new Set(chain?.checked.filter((c) => !c.ok).map((c) => c.id) ?? []);
  const milestoneTitle = (id: string | null): string => (id ? (milestones.find((m) => m.id === id)?.title ?? '—') : '—');

  if (versions.length === 0) return <p className="hint">{t('history.empty')}</p>;
  return (
    <table className="data-table versions">
      <caption className="visually-hidden">{t('history.title')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('history.name')}</th>
          <th scope="col">{t('history.milestone')}</th>
          <th scope="col">{t('history.capturedBy')}</th>
          <th scope="col">{t('history.capturedAt')}</th>
          <th scope="col">{t('history.size')}</th>
          <th scope="col">{t('history.integrity')}</th>
          <th scope="col">
            <span className="visually-hidden">{t('history.actions')}</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {[...versions].reverse().map((version) => (
          <tr key={version.id}>
            <th scope="row">{version.name}</th>
            <td>{milestoneTitle(version.milestoneId)}</td>
            <td>{capturerName(version, t)}</td>
            <td>
              <time dateTime={version.capturedAt}>{absoluteTime(version.capturedAt, lang)}</time>
            </td>
            <td>{formatSize(version.size, lang)}</td>
            <td>
              <span className={`integrity integrity--${broken.has(version.id) ? 'broken' : 'ok'}`}>{broken.has(version.id) ? t('history.versionBroken') : t('history.versionOk')}</span>
            </td>
            <td className="versions__actions">
              {confirming === version.id ? (
                <InlineConfirm
                  label={t('history.restoreOf', { name: version.name })}
                  question={t('history.restoreConfirm', { name: version.name })}
                  confirmLabel={t('history.confirm')}
                  cancelLabel={t('history.cancel')}
                  onConfirm={() => {
                    setConfirming(null);
                    onRestore(version);
                  }}
                  onCancel={() => setConfirming(null)}
                />
              ) : (
                <>
                  <button type="button" className="button button--small" aria-label={t('history.openVersionOf', { name: version.name })} onClick={() => onOpen(version)}>
                    {t('history.openVersion')}
                  </button>
                  {canRestore && (
                    <button type="button" className="button button--small" aria-label={t('history.restoreOf', { name: version.name })} onClick={() => setConfirming(version.id)}>
                      {t('history.restore')}
                    </button>
                  )}
                </>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
