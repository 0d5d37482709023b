/**
 * "Hitos": the cooperation calendar of the plan. Everyone sees each milestone, its date in its
 * own time zone and whether its version was captured; the owner adds, edits and removes them.
 */
import './milestones.css';
import { useCallback, useEffect, useState } from 'react';
import { can, type Role } from '../../../../shared/roles.ts';
import type { MilestoneView } from '../../../../shared/versions.ts';
import { Dialog } from '../../ui/Dialog.tsx';
import { errorMessage } from '../../ui/errors.ts';
import { useToast } from '../../ui/Toasts.tsx';
import { versionsApi, type MilestoneDraft } from '../history/versionsApi.ts';
import { useT } from '../i18n/i18n.tsx';
import { MilestoneForm } from './MilestoneForm.tsx';
import { InlineConfirm } from '../../ui/InlineConfirm.tsx';

interface MilestonesDialogProps {
  documentId: string;
  role: Role;
  open: boolean;
  onClose: () => void;
}

/** A milestone's moment in its own zone, e.g. "10 jul 2024, 09:00 (America/Lima)". */
export function milestoneWhen(milestone: MilestoneView, lang: string): string {
  try {
    const text = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short', timeZone: milestone.timeZone }).format(new Date(milestone.dueAt));
    return `${text} (${milestone.timeZone})`;
  } catch {
    return milestone.dueAt;
  }
}

/** The milestones dialog of a plan. */
export function MilestonesDialog({ documentId, role, open, onClose }: MilestonesDialogProps) {
  const { t, lang } = useT();
  const { showToast } = useToast();
  const manage = can(role, 'manage');
  const [milestones, setMilestones] = useState<MilestoneView[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [editing, setEditing] = useState<MilestoneView | null>(null);
  const [confirmRemove, setConfirmRemove] = useState<string | null>(null);
  const [status, setStatus] = useState('');

  const load = useCallback(async () => {
    try {
      setMilestones((await versionsApi.milestones(documentId)).milestones);
      setLoadError(null);
    } catch (error) {
      setLoadError(errorMessage(error, t));
    }
  }, [documentId, t]);

  useEffect(() => {
    if (!open) {
      setEditing(null);
      setConfirmRemove(null);
      setStatus('');
      return;
    }
    void load();
  }, [open, load]);

  const save = async (draft: MilestoneDraft): Promise<boolean> => {
    try {
      if (editing) await versionsApi.updateMilestone(documentId, editing.id, draft);
      else await versionsApi.addMilestone(documentId, draft);
      setStatus(t(editing ? 'milestones.saved' : 'milestones.added', { title: draft.title }));
      setEditing(null);
      await load();
      return true;
    } catch (error) {
      showToast(errorMessage(error, t), 'error');
      return false;
    }
  };

  const remove = async (milestone: MilestoneView) => {
    setConfirmRemove(null);
    try {
      await versionsApi.removeMilestone(documentId, milestone.id);
      setStatus(t('milestones.removed', { title: milestone.title }));
      await load();
    } catch (error) {
      showToast(errorMessage(error, t), 'error');
    }
  };

  const statusOf = (m: MilestoneView): string => (m.versionId ? t('milestones.captured') : m.due ? t('milestones.overdue') : t('milestones.pending'));

  return (
    <Dialog title={t('milestones.title')} open={open} onClose={onClose} className="dialog--wide">
      <p className="hint">{t('milestones.autoCapture')}</p>
      {!manage && <p className="hint">{t('milestones.readOnly')}</p>}
      {loadError && (
        <p className="field__error" role="alert">
          {loadError}
        </p>
      )}
      {milestones === null && !loadError && <p className="hint">{t('milestones.loading')}</p>}
      {milestones && milestones.length === 0 && <p className="hint">{t('milestones.empty')}</p>}
      {milestones && milestones.length > 0 && (
        <table className="data-table milestones">
          <thead>
            <tr>
              <th scope="col">{t('milestones.titleField')}</th>
              <th scope="col">{t('milestones.due')}</th>
              <th scope="col">{t('milestones.status')}</th>
              {manage && (
                <th scope="col">
                  <span className="visually-hidden">{t('milestones.actions')}</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {milestones.map((m) => (
              <tr key={m.id}>
                <th scope="row">
                  <span className="milestones__title">{m.title}</span>
                  {m.description && <span className="milestones__description">{m.description}</span>}
                </th>
                <td>
                  <time dateTime={m.dueAt}>{milestoneWhen(m, lang)}</time>
                </td>
                <td>
                  <span className={`milestone-status milestone-status--${m.versionId ? 'captured' : 'pending'}`}>{statusOf(m)}</span>
                </td>
                {manage && (
                  <td className="milestones__actions">
                    {confirmRemove === m.id ? (
                      <InlineConfirm
                        label={t('milestones.removeOf', { title: m.title })}
                        question={t('milestones.removeConfirm', { title: m.title })}
                        confirmLabel={t('milestones.confirm')}
                        cancelLabel={t('milestones.cancel')}
                        onConfirm={() => void remove(m)}
                        onCancel={() => setConfirmRemove(null)}
                      />
                    ) : (
                      <>
                        <button type="button" className="button button--small" aria-label={t('milestones.editOf', { title: m.title })} onClick={() => setEditing(m)}>
                          {t('milestones.edit')}
                        </button>
                        <button type="button" className="button button--small button--danger" aria-label={t('milestones.removeOf', { title: m.title })} onClick={() => setConfirmRemove(m.id)}>
                          {t('milestones.remove')}
                        </button>
                      </>
                    )}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {manage && <MilestoneForm key={editing?.id ?? 'new'} editing={editing} onSubmit={save} onCancel={() => setEditing(null)} />}
      <p role="status" className="hint">
        {status}
      </p>
      <div className="dialog__actions">
        <button type="button" className="button" onClick={onClose}>
          {t('milestones.close')}
        </button>
      </div>
    </Dialog>
  );
}
