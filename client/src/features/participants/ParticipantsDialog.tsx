/**
 * "Participantes": everyone invited to the plan with their role and status. The owner can add
 * people, create invite links, change roles and revoke access; others see the list read-only.
 */
import './participants.css';
import { useCallback, useEffect, useState } from 'react';
import { can, type Role } from '../../../../shared/roles.ts';
import { api, type Invite, type Participant } from '../../lib/api.ts';
import { Avatar } from '../../ui/Avatar.tsx';
import { Dialog } from '../../ui/Dialog.tsx';
import { errorMessage } from '../../ui/errors.ts';
import { useToast } from '../../ui/Toasts.tsx';
import { useT } from '../i18n/i18n.tsx';
import { roleLabel, roleOptions } from '../session/roleLabel.ts';
import { AddPersonForm } from './AddPersonForm.tsx';
import { InviteList } from './InviteList.tsx';
import { InvitePanel } from './InvitePanel.tsx';
import { InlineConfirm } from '../../ui/InlineConfirm.tsx';

interface ParticipantsDialogProps {
  documentId: string;
  /** The viewer's own role: only owners manage. */
  role: Role;
  selfId: string;
  open: boolean;
  onClose: () => void;
}

/** The participants dialog of a plan. */
export function ParticipantsDialog({ documentId, role, selfId, open, onClose }: ParticipantsDialogProps) {
  const { t } = useT();
  const { showToast } = useToast();
  const manage = can(role, 'manage');
  const [participants, setParticipants] = useState<Participant[] | null>(null);
  const [invites, setInvites] = useState<Invite[]>([]);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [inviting, setInviting] = useState<Participant | null>(null);
  const [confirmRevoke, setConfirmRevoke] = useState<string | null>(null);
  const [status, setStatus] = useState('');

  const load = useCallback(async () => {
    try {
      const [list, links] = await Promise.all([
        api.listParticipants(documentId),
        manage ? api.listInvites(documentId) : Promise.resolve({ invites: [] as Invite[] }),
      ]);
      setParticipants(list.participants);
      setInvites(links.invites);
      setLoadError(null);
    } catch (error) {
      setLoadError(errorMessage(error, t));
    }
  }, [documentId, manage, t]);

  useEffect(() => {
    if (!open) {
      setInviting(null);
      setConfirmRevoke(null);
      setStatus('');
      return;
    }
    void load();
  }, [open, load]);

  const changeRole = async (participant: Participant, next: Role) => {
    try {
      await api.changeRole(documentId, participant.userId, next);
      await load();
    } catch (error) {
      showToast(errorMessage(error, t), 'error');
    }
  };

  const revoke = async (participant: Participant) => {
    setConfirmRevoke(null);
    try {
      await api.revokeParticipant(documentId, participant.userId);
      await load();
    } catch (error) {
      showToast(errorMessage(error, t), 'error');
    }
  };

  const statusOf = (participant: Participant) => {
    if (participant.revokedAt) return t('participants.revoked');
    return participant.joinedAt ? t('participants.joined') : t('participants.pending');
  };

  return (
    <Dialog title={t('participants.title')} open={open} onClose={onClose} className="dialog--wide">
      {!manage && <p className="hint">{t('participants.readOnly')}</p>}
      {loadError && (
        <p className="field__error" role="alert">
          {loadError}
        </p>
      )}
      {participants === null && !loadError && <p className="hint">{t('participants.loading')}</p>}
      {participants && (
        <table className="data-table participants">
          <thead>
            <tr>
              <th scope="col">{t('participants.name')}</th>
              <th scope="col">{t('participants.delegation')}</th>
              <th scope="col">{t('participants.role')}</th>
              <th scope="col">{t('participants.status')}</th>
              {manage && (
                <th scope="col">
                  <span className="visually-hidden">{t('participants.actions')}</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {participants.map((participant) => {
              const revoked = Boolean(participant.revokedAt);
              const isSelf = participant.userId === selfId;
              return (
                <tr key={participant.userId} className={revoked ? 'is-revoked' : undefined}>
                  <th scope="row">
                    <span className="person">
                      <Avatar name={participant.name} color={participant.color} size="small" />
                      <span>{participant.name}</span>
                      <span className={`online-dot${participant.online ? ' online-dot--on' : ''}`} aria-hidden="true" />
                      <span className="visually-hidden">{participant.online ? t('participants.online') : t('participants.offline')}</span>
                    </span>
                  </th>
                  <td>{participant.delegation}</td>
                  <td>
                    {manage && !revoked && !isSelf ? (
                      <select
                        aria-label={t('participants.roleOf', { name: participant.name })}
                        value={participant.role}
                        onChange={(event) => void changeRole(participant, event.target.value as Role)}
                      >
                        {roleOptions(t).map((option) => (
                          <option key={option.value} value={option.value}>
                            {option.label}
                          </option>
                        ))}
                      </select>
                    ) : (
                      roleLabel(participant.role, t)
                    )}
                  </td>
                  <td>{statusOf(participant)}</td>
                  {manage && (
                    <td className="participants__actions">
                      {!revoked && confirmRevoke !== participant.userId && (
                        <>
                          <button
                            type="button"
                            className="button button--small"
                            aria-label={t('participants.inviteFor', { name: participant.name })}
                            onClick={() => setInviting(participant)}
                          >
                            {t('participants.invite')}
                          </button>
                          {!isSelf && (
                            <button
                              type="button"
                              className="button button--small button--danger"
                              aria-label={t('participants.revokeOf', { name: participant.name })}
                              onClick={() => setConfirmRevoke(participant.userId)}
                            >
                              {t('participants.revoke')}
                            </button>
                          )}
                        </>
                      )}
                      {confirmRevoke === participant.userId && (
                        <InlineConfirm
                          label={t('participants.revokeOf', { name: participant.name })}
                          question={t('participants.revokeConfirm', { name: participant.name })}
                          confirmLabel={t('participants.confirm')}
                          cancelLabel={t('participants.cancel')}
                          onConfirm={() => void revoke(participant)}
                          onCancel={() => setConfirmRevoke(null)}
                        />
                      )}
                    </td>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {manage && inviting && (
        <InvitePanel
          key={inviting.userId}
          documentId={documentId}
          participant={inviting}
          onCreated={() => void load()}
          onClose={() => setInviting(null)}
        />
      )}
      {manage && (
        <AddPersonForm
          documentId={documentId}
          onAdded={(participant) => {
            setStatus(t('participants.added', { name: participant.name }));
            setInviting(participant);
            void load();
          }}
        />
      )}
      <p role="status" className="hint">
        {status}
      </p>
      {manage && <InviteList documentId={documentId} invites={invites} participants={participants ?? []} onChanged={() => void load()} />}
      <div className="dialog__actions">
        <button type="button" className="button" onClick={onClose}>
          {t('participants.close')}
        </button>
      </div>
    </Dialog>
  );
}
