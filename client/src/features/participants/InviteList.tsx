/** The owner's list of a plan's invite links, each revocable. */
import { useState } from 'react';
import { api, type Invite, type Participant } from '../../lib/api.ts';
import { absoluteTime } from '../../lib/time.ts';
import { errorMessage } from '../../ui/errors.ts';
import { useToast } from '../../ui/Toasts.tsx';
import type { MessageKey } from '../i18n/dictionary.ts';
import { useT } from '../i18n/i18n.tsx';

interface InviteListProps {
  documentId: string;
  invites: Invite[];
  participants: Participant[];
  onChanged: () => void;
}

const STATUS_KEYS: Record<string, MessageKey> = {
  active: 'invites.status.active',
  expired: 'invites.status.expired',
  revoked: 'invites.status.revoked',
  used: 'invites.status.used',
};

/** Table of invite links with a revoke button for the live ones. */
export function InviteList({ documentId, invites, participants, onChanged }: InviteListProps) {
  const { t, lang } = useT();
  const { showToast } = useToast();
  const [busyId, setBusyId] = useState<string | null>(null);
  const nameOf = (userId: string) => participants.find((p) => p.userId === userId)?.name ?? userId;

  const revoke = async (invite: Invite) => {
    setBusyId(invite.id);
    try {
      await api.revokeInvite(documentId, invite.id);
      onChanged();
    } catch (error) {
      showToast(errorMessage(error, t), 'error');
    } finally {
      setBusyId(null);
    }
  };

  return (
    <section className="invite-list" aria-labelledby="invite-list-title">
      <h3 id="invite-list-title" className="section-title">
        {t('invites.heading')}
      </h3>
      {invites.length === 0 ? (
        <p className="hint">{t('invites.none')}</p>
      ) : (
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">{t('invites.for')}</th>
              <th scope="col">{t('invites.kind')}</th>
              <th scope="col">{t('invites.expires')}</th>
              <th scope="col">{t('invites.uses')}</th>
              <th scope="col">{t('invites.status')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('participants.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {invites.map((invite) => {
              const statusKey = STATUS_KEYS[invite.status];
              const live = !invite.revokedAt && invite.status !== 'expired' && invite.status !== 'revoked';
              return (
                <tr key={invite.id}>
                  <th scope="row">{nameOf(invite.userId)}</th>
                  <td>{invite.reusable ? t('invites.reusable') : t('invites.singleUse')}</td>
                  <td>{invite.expiresAt ? absoluteTime(invite.expiresAt, lang) : '—'}</td>
                  <td>{invite.redemptions}</td>
                  <td>{statusKey ? t(statusKey) : invite.status}</td>
                  <td>
                    {live && (
                      <button
                        type="button"
                        className="button button--small button--danger"
                        disabled={busyId === invite.id}
                        onClick={() => void revoke(invite)}
                      >
                        {t('invites.revoke')}
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
