/**
 * Create an invite link for one participant (single-use or reusable, expiring in hours or days)
 * and show the URL once, with a copy button: the server never shows the token again.
 */
import { useId, useRef, useState, type FormEvent } from 'react';
import { api, type Participant } from '../../lib/api.ts';
import { errorMessage } from '../../ui/errors.ts';
import { useT } from '../i18n/i18n.tsx';

interface InvitePanelProps {
  documentId: string;
  participant: Participant;
  onCreated: () => void;
  onClose: () => void;
}

/** Invite form, then the one-time link. */
export function InvitePanel({ documentId, participant, onCreated, onClose }: InvitePanelProps) {
  const { t } = useT();
  const id = useId();
  const [reusable, setReusable] = useState(false);
  const [amount, setAmount] = useState(7);
  const [unit, setUnit] = useState<'hours' | 'days'>('days');
  const [url, setUrl] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const urlInput = useRef<HTMLInputElement>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const hours = Math.max(1, Math.round(amount)) * (unit === 'days' ? 24 : 1);
      const created = await api.createInvite(documentId, { userId: participant.userId, reusable, expiresInHours: hours });
      setUrl(created.url);
      onCreated();
      // Move focus to the link so it can be copied straight away.
      requestAnimationFrame(() => urlInput.current?.select());
    } catch (failure) {
      setError(errorMessage(failure, t));
    } finally {
      setBusy(false);
    }
  };

  const copy = async () => {
    if (!url) return;
    try {
      await navigator.clipboard.writeText(url);
    } catch {
      // Clipboard access can be refused; selecting the text lets the person press Ctrl+C.
      urlInput.current?.select();
      document.execCommand?.('copy');
    }
    setCopied(true);
  };

  const title = t('invites.createdFor', { name: participant.name });
  return (
    <section className="invite-panel" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`} className="section-title">
        {url ? title : t('participants.inviteFor', { name: participant.name })}
      </h3>
      {url ? (
        <>
          <p className="hint">{t('invites.shownOnce')}</p>
          <div className="form-row">
            <label htmlFor={`${id}-url`} className="visually-hidden">
              {title}
            </label>
            <input id={`${id}-url`} ref={urlInput} className="invite-panel__url" readOnly value={url} onFocus={(event) => event.target.select()} />
            <button type="button" className="button button--primary" onClick={() => void copy()}>
              {t('invites.copy')}
            </button>
            <button type="button" className="button" onClick={onClose}>
              {t('invites.done')}
            </button>
          </div>
          <p role="status" className="hint">
            {copied ? t('invites.copied') : ''}
          </p>
        </>
      ) : (
        <form onSubmit={submit} noValidate>
          <fieldset className="radio-group">
            <legend className="visually-hidden">{t('invites.kind')}</legend>
            <label>
              <input type="radio" name={`${id}-kind`} checked={!reusable} onChange={() => setReusable(false)} /> {t('invites.singleUse')}
            </label>
            <label>
              <input type="radio" name={`${id}-kind`} checked={reusable} onChange={() => setReusable(true)} /> {t('invites.reusable')}
            </label>
          </fieldset>
          <div className="form-row">
            <div className="field field--narrow">
              <label htmlFor={`${id}-amount`}>{t('invites.expiresIn')}</label>
              <input
                id={`${id}-amount`}
                type="number"
                min={1}
                max={unit === 'days' ? 365 : 8760}
                value={amount}
                onChange={(event) => setAmount(Number(event.target.value) || 1)}
              />
            </div>
            <div className="field field--narrow">
              <label htmlFor={`${id}-unit`}>{t('invites.unit')}</label>
              <select id={`${id}-unit`} value={unit} onChange={(event) => setUnit(event.target.value as 'hours' | 'days')}>
                <option value="hours">{t('invites.hours')}</option>
                <option value="days">{t('invites.days')}</option>
              </select>
            </div>
            <button type="submit" className="button button--primary" disabled={busy}>
              {t('invites.create')}
            </button>
            <button type="button" className="button" onClick={onClose}>
              {t('participants.cancel')}
            </button>
          </div>
          {error && (
            <p className="field__error" role="alert">
              {error}
            </p>
          )}
        </form>
      )}
    </section>
  );
}
