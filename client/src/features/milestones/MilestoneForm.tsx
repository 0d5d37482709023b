/** The owner's form for one milestone: title, description, date, time and time zone. */
import { useId, useMemo, useState, type FormEvent } from 'react';
import { VERSION_LIMITS, type MilestoneView } from '../../../../shared/versions.ts';
import { utcToZoned, zonedToUtc } from '../../../../shared/zoned-time.ts';
import { useT } from '../i18n/i18n.tsx';
import type { MilestoneDraft } from '../history/versionsApi.ts';

/** Zones offered first: the cooperation's own, then the browser's. */
const PREFERRED_ZONES = ['America/Lima', 'America/Panama', 'America/New_York', 'UTC'];

/** Every IANA zone the browser knows, the likely ones first. */
export function timeZoneOptions(): string[] {
  const own = Intl.DateTimeFormat().resolvedOptions().timeZone;
  let all: string[] = [];
  try {
    all = (Intl as unknown as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf?.('timeZone') ?? [];
  } catch {
    all = [];
  }
  return [...new Set([...PREFERRED_ZONES, own, ...all].filter(Boolean))];
}

interface MilestoneFormProps {
  /** The milestone being edited, or null for a new one. */
  editing: MilestoneView | null;
  onSubmit: (draft: MilestoneDraft) => Promise<boolean>;
  onCancel: () => void;
}

/** Add or edit a milestone. */
export function MilestoneForm({ editing, onSubmit, onCancel }: MilestoneFormProps) {
  const { t } = useT();
  const ids = { title: useId(), description: useId(), date: useId(), time: useId(), zone: useId(), error: useId() };
  const initial = editing ? utcToZoned(editing.dueAt, editing.timeZone) : { date: '', time: '09:00' };
  const [title, setTitle] = useState(editing?.title ?? '');
  const [description, setDescription] = useState(editing?.description ?? '');
  const [date, setDate] = useState(initial.date);
  const [time, setTime] = useState(initial.time);
  const [timeZone, setTimeZone] = useState(editing?.timeZone ?? 'America/Lima');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const zones = useMemo(timeZoneOptions, []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!title.trim() || !date || !time) {
      setError(t('milestones.required'));
      return;
    }
    let dueAt: string;
    try {
      dueAt = zonedToUtc(date, time, timeZone);
    } catch {
      setError(t('milestones.required'));
      return;
    }
    setError(null);
    setBusy(true);
    const done = await onSubmit({ title: title.trim(), description: description.trim(), dueAt, timeZone });
    setBusy(false);
    if (done && !editing) {
      setTitle('');
      setDescription('');
      setDate('');
    }
  };

  return (
    <form className="milestone-form" onSubmit={(event) => void submit(event)} aria-labelledby={`${ids.title}-legend`}>
      <h3 id={`${ids.title}-legend`} className="section-title">
        {editing ? t('milestones.editing') : t('milestones.adding')}
      </h3>
      <div className="field">
        <label htmlFor={ids.title}>{t('milestones.titleField')}</label>
        <input id={ids.title} value={title} maxLength={VERSION_LIMITS.title} onChange={(event) => setTitle(event.target.value)} />
      </div>
      <div className="field">
        <label htmlFor={ids.description}>{t('milestones.description')}</label>
        <textarea id={ids.description} value={description} rows={2} maxLength={VERSION_LIMITS.description} onChange={(event) => setDescription(event.target.value)} />
      </div>
      <div className="form-row">
        <div className="field field--narrow">
          <label htmlFor={ids.date}>{t('milestones.date')}</label>
          <input id={ids.date} type="date" value={date} onChange={(event) => setDate(event.target.value)} />
        </div>
        <div className="field field--narrow">
          <label htmlFor={ids.time}>{t('milestones.time')}</label>
          <input id={ids.time} type="time" value={time} onChange={(event) => setTime(event.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={ids.zone}>{t('milestones.timeZone')}</label>
          <select id={ids.zone} value={timeZone} onChange={(event) => setTimeZone(event.target.value)}>
            {zones.map((zone) => (
              <option key={zone} value={zone}>
                {zone}
              </option>
            ))}
          </select>
        </div>
      </div>
      {error && (
        <p id={ids.error} className="field__error" role="alert">
          {error}
        </p>
      )}
      <div className="milestone-form__actions">
        <button type="submit" className="button button--primary" disabled={busy}>
          {editing ? t('milestones.save') : t('milestones.add')}
        </button>
        {editing && (
          <button type="button" className="button" onClick={onCancel}>
            {t('milestones.cancel')}
          </button>
        )}
      </div>
    </form>
  );
}
