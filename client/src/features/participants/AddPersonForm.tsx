/** Owner's form to add a person (name, delegation, role) to the plan. */
import { useId, useState, type FormEvent } from 'react';
import type { Role } from '../../../../shared/roles.ts';
import { api, type Participant } from '../../lib/api.ts';
import { errorMessage } from '../../ui/errors.ts';
import { useT } from '../i18n/i18n.tsx';
import { roleOptions } from '../session/roleLabel.ts';

interface AddPersonFormProps {
  documentId: string;
  onAdded: (participant: Participant) => void;
}

/** Create a participant; the caller usually offers "Invitar" for them next. */
export function AddPersonForm({ documentId, onAdded }: AddPersonFormProps) {
  const { t } = useT();
  const id = useId();
  const [name, setName] = useState('');
  const [delegation, setDelegation] = useState('');
  const [role, setRole] = useState<Role>('editor');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim() || !delegation.trim()) {
      setError(t('participants.required'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const { participant } = await api.addParticipant(documentId, { name: name.trim(), delegation: delegation.trim(), role });
      setName('');
      setDelegation('');
      onAdded(participant);
    } catch (failure) {
      setError(errorMessage(failure, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="add-person" onSubmit={submit} aria-labelledby={`${id}-title`} noValidate>
      <h3 id={`${id}-title`} className="section-title">
        {t('participants.add')}
      </h3>
      <div className="form-row">
        <div className="field">
          <label htmlFor={`${id}-name`}>{t('participants.name')}</label>
          <input id={`${id}-name`} value={name} maxLength={120} autoComplete="off" onChange={(event) => setName(event.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-delegation`}>{t('participants.delegation')}</label>
          <input
            id={`${id}-delegation`}
            value={delegation}
            maxLength={120}
            list={`${id}-delegations`}
            autoComplete="off"
            onChange={(event) => setDelegation(event.target.value)}
          />
          <datalist id={`${id}-delegations`}>
            <option value="Perú · MTPE" />
            <option value="Panamá · MITRADEL" />
            <option value="OEA" />
          </datalist>
        </div>
        <div className="field">
          <label htmlFor={`${id}-role`}>{t('participants.role')}</label>
          <select id={`${id}-role`} value={role} onChange={(event) => setRole(event.target.value as Role)}>
            {roleOptions(t).map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button button--primary" disabled={busy}>
          {t('participants.addSubmit')}
        </button>
      </div>
      {error && (
        <p className="field__error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
