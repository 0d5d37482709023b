/** The two forms of the versions panel: capture a version, and pick two states to compare. */
import { useId, useState, type FormEvent } from 'react';
import { CURRENT_PLAN, VERSION_LIMITS, type MilestoneView, type VersionSummary } from '../../../../shared/versions.ts';
import { useT } from '../i18n/i18n.tsx';

/** "Capturar versión": a name and, optionally, the milestone it is for. */
export function CaptureForm({ milestones, onCapture }: { milestones: MilestoneView[]; onCapture: (name: string, milestoneId: string | null) => Promise<boolean> }) {
  const { t } = useT();
  const nameId = useId();
  const milestoneId = useId();
  const [name, setName] = useState('');
  const [milestone, setMilestone] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const chosen = milestones.find((m) => m.id === milestone);
    const finalName = name.trim() || chosen?.title || '';
    if (!finalName) {
      setError(t('history.nameRequired'));
      return;
    }
    setBusy(true);
    setError(null);
    if (await onCapture(finalName, milestone || null)) {
      setName('');
      setMilestone('');
    }
    setBusy(false);
  };

  return (
    <form className="history-form" onSubmit={(event) => void submit(event)}>
      <div className="field">
        <label htmlFor={nameId}>{t('history.captureName')}</label>
        <input id={nameId} value={name} maxLength={VERSION_LIMITS.name} onChange={(event) => setName(event.target.value)} aria-describedby={error ? `${nameId}-error` : undefined} />
      </div>
      <div className="field">
        <label htmlFor={milestoneId}>{t('history.captureMilestone')}</label>
        <select id={milestoneId} value={milestone} onChange={(event) => setMilestone(event.target.value)}>
          <option value="">{t('history.noMilestone')}</option>
          {milestones.map((m) => (
            <option key={m.id} value={m.id}>
              {m.title}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" className="button button--primary" disabled={busy}>
        {t('history.capture')}
      </button>
      {error && (
        <p id={`${nameId}-error`} className="field__error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}

/** "Comparar": two selects over the versions, the second also offering the current plan. */
export function CompareForm({ versions, onCompare }: { versions: VersionSummary[]; onCompare: (from: string, to: string) => void }) {
  const { t } = useT();
  const fromId = useId();
  const toId = useId();
  const newestFirst = [...versions].reverse();
  const [from, setFrom] = useState(newestFirst[1]?.id ?? newestFirst[0]?.id ?? '');
  const [to, setTo] = useState(newestFirst.length > 1 ? newestFirst[0].id : CURRENT_PLAN);
  const [error, setError] = useState<string | null>(null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!from || !to || from === to) {
      setError(t('history.compareSame'));
      return;
    }
    setError(null);
    onCompare(from, to);
  };
  const options = (withCurrent: boolean) => (
    <>
      {withCurrent && <option value={CURRENT_PLAN}>{t('history.current')}</option>}
      {newestFirst.map((v) => (
        <option key={v.id} value={v.id}>
          {v.name}
        </option>
      ))}
    </>
  );

  return (
    <form className="history-form" onSubmit={submit}>
      <div className="field">
        <label htmlFor={fromId}>{t('history.compareFrom')}</label>
        <select id={fromId} value={from} onChange={(event) => setFrom(event.target.value)}>
          {options(false)}
        </select>
      </div>
      <div className="field">
        <label htmlFor={toId}>{t('history.compareTo')}</label>
        <select id={toId} value={to} onChange={(event) => setTo(event.target.value)}>
          {options(true)}
        </select>
      </div>
      <button type="submit" className="button" disabled={versions.length === 0}>
        {t('history.compare')}
      </button>
      {error && (
        <p className="field__error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
