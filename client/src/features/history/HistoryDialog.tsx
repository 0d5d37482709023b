/**
 * "Versiones": the plan's history. Everyone sees the list, opens any version read-only and
 * compares two states; owners and editors also capture versions and restore old text. The
 * chain's integrity is shown on top ("Cadena íntegra" / "Alterada").
 */
import './history.css';
import { useCallback, useEffect, useState } from 'react';
import type { JSONContent } from '@tiptap/core';
import { can, type Role } from '../../../../shared/roles.ts';
import type { ChainReport, CompareResult, MilestoneView, VersionSummary } from '../../../../shared/versions.ts';
import { absoluteTime } from '../../lib/time.ts';
import { Dialog } from '../../ui/Dialog.tsx';
import { errorMessage } from '../../ui/errors.ts';
import { useToast } from '../../ui/Toasts.tsx';
import { useT } from '../i18n/i18n.tsx';
import { CompareView } from './CompareView.tsx';
import { CaptureForm, CompareForm } from './HistoryForms.tsx';
import { capturerName, VersionList } from './VersionList.tsx';
import { VersionViewer } from './VersionViewer.tsx';
import { versionsApi } from './versionsApi.ts';

type View = { kind: 'list' } | { kind: 'version'; version: VersionSummary; content: JSONContent } | { kind: 'compare'; result: CompareResult; from: string; to: string };

interface HistoryDialogProps {
  documentId: string;
  role: Role;
  open: boolean;
  onClose: () => void;
}

/** The versions dialog of a plan. */
export function HistoryDialog({ documentId, role, open, onClose }: HistoryDialogProps) {
  const { t, lang } = useT();
  const { showToast } = useToast();
  const mayCapture = can(role, 'captureVersion');
  const [versions, setVersions] = useState<VersionSummary[] | null>(null);
  const [milestones, setMilestones] = useState<MilestoneView[]>([]);
  const [chain, setChain] = useState<ChainReport | null>(null);
  const [view, setView] = useState<View>({ kind: 'list' });
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const [loadError, setLoadError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      const [list, calendar] = await Promise.all([versionsApi.list(documentId), versionsApi.milestones(documentId)]);
      setVersions(list.versions);
      setChain(list.chain);
      setMilestones(calendar.milestones);
      setLoadError(null);
    } catch (error) {
      setLoadError(errorMessage(error, t));
    }
  }, [documentId, t]);

  useEffect(() => {
    if (!open) {
      setView({ kind: 'list' });
      setStatus('');
      return;
    }
    void load();
  }, [open, load]);

  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    try {
      await work();
    } catch (error) {
      showToast(errorMessage(error, t), 'error');
    } finally {
      setBusy(false);
    }
  };

  const capture = async (name: string, milestoneId: string | null): Promise<boolean> => {
    try {
      const { version } = await versionsApi.capture(documentId, name, milestoneId);
      setStatus(t('history.captured', { name: version.name }));
      await load();
      return true;
    } catch (error) {
      showToast(errorMessage(error, t), 'error');
      return false;
    }
  };

  const openVersion = (version: VersionSummary) =>
    run(async () => {
      const opened = await versionsApi.open(documentId, version.id);
      setView({ kind: 'version', version: opened.version, content: opened.content });
    });

  const compare = (from: string, to: string) =>
    run(async () => {
      setStatus(t('history.comparing'));
      const result = await versionsApi.compare(documentId, from, to);
      setStatus('');
      setView({ kind: 'compare', result, from, to });
    });

  const restore = (version: VersionSummary) =>
    run(async () => {
      await versionsApi.restore(documentId, version.id);
      showToast(t('history.restored', { name: version.name }), 'info');
      await load();
    });

  const verify = () =>
    run(async () => {
      setChain(await versionsApi.verify(documentId));
    });

  const back = (
    <button type="button" className="button button--quiet" onClick={() => setView({ kind: 'list' })}>
      ← {t('history.back')}
    </button>
  );

  return (
    <Dialog title={t('history.title')} open={open} onClose={onClose} className="dialog--wide dialog--history">
      <div aria-busy={busy}>
        {view.kind === 'list' && (
          <>
            {chain && (
              <p className={`chain chain--${chain.ok ? 'ok' : 'broken'}`}>
                <strong>{chain.ok ? t('history.chainOk') : t('history.chainBroken')}</strong>{' '}
                {!chain.ok && t('history.chainProblems', { count: chain.problems.length })}{' '}
                <button type="button" className="button button--small button--quiet" onClick={() => void verify()}>
                  {t('history.verify')}
                </button>
              </p>
            )}
            {loadError && (
              <p className="field__error" role="alert">
                {loadError}
              </p>
            )}
            {versions === null && !loadError && <p className="hint">{t('history.loading')}</p>}
            {mayCapture && versions !== null && <CaptureForm milestones={milestones} onCapture={capture} />}
            {versions !== null && versions.length > 0 && <CompareForm key={versions.length} versions={versions} onCompare={(from, to) => void compare(from, to)} />}
            {versions !== null && <VersionList versions={versions} milestones={milestones} chain={chain} canRestore={mayCapture && can(role, 'editText')} onOpen={(v) => void openVersion(v)} onRestore={(v) => void restore(v)} />}
          </>
        )}
        {view.kind === 'version' && (
          <>
            <div className="history-bar">
              {back}
              <a className="button button--quiet" href={versionsApi.versionPageUrl(documentId, view.version.id)} target="_blank" rel="noopener noreferrer">
                {t('history.openPage')}
              </a>
            </div>
            <h3 className="compare__title">{view.version.name}</h3>
            <p className="hint">{t('history.readOnlyVersion', { when: absoluteTime(view.version.capturedAt, lang), who: capturerName(view.version, t) })}</p>
            <VersionViewer content={view.content} label={t('history.versionLabel', { name: view.version.name })} />
          </>
        )}
        {view.kind === 'compare' && (
          <>
            <div className="history-bar">
              {back}
              <a className="button button--quiet" href={versionsApi.comparePageUrl(documentId, view.from, view.to)} target="_blank" rel="noopener noreferrer">
                {t('history.openPage')}
              </a>
            </div>
            <CompareView result={view.result} />
          </>
        )}
        <p role="status" className="hint">
          {status}
        </p>
      </div>
      <div className="dialog__actions">
        <button type="button" className="button" onClick={onClose}>
          {t('history.close')}
        </button>
      </div>
    </Dialog>
  );
}
