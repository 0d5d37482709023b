/** "Nuevo plan": a title and a template (the SOVIO work plan or blank). */
import { useId, useState, type FormEvent } from 'react';
import type { TemplateName } from '../../../../shared/template.ts';
import { api, type PlanDocument } from '../../lib/api.ts';
import { errorMessage } from '../../ui/errors.ts';
import { useT } from '../i18n/i18n.tsx';
import { FormFooter } from '../../ui/FormFooter.tsx';

/** Form that creates a plan and hands the new document to the caller. */
export function NewPlanForm({ onCreated, onCancel }: { onCreated: (document: PlanDocument) => void; onCancel: () => void }) {
  const { t } = useT();
  const id = useId();
  const [title, setTitle] = useState('');
  const [template, setTemplate] = useState<TemplateName>('sovio');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const value = title.trim();
    if (!value) {
      setError(t('documents.titleRequired'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const { document } = await api.createDocument(value, template);
      onCreated(document);
    } catch (failure) {
      setError(errorMessage(failure, t));
      setBusy(false);
    }
  };

  return (
    <form className="new-plan" onSubmit={submit} noValidate>
      <div className="field">
        <label htmlFor={`${id}-title`}>{t('documents.newTitle')}</label>
        <input
          id={`${id}-title`}
          value={title}
          maxLength={200}
          placeholder={t('documents.newTitlePlaceholder')}
          aria-invalid={error ? true : undefined}
          onChange={(event) => setTitle(event.target.value)}
        />
      </div>
      <fieldset className="radio-group">
        <legend>{t('documents.template')}</legend>
        <label>
          <input type="radio" name={`${id}-template`} checked={template === 'sovio'} onChange={() => setTemplate('sovio')} />{' '}
          {t('documents.templateSovio')}
        </label>
        <label>
          <input type="radio" name={`${id}-template`} checked={template === 'blank'} onChange={() => setTemplate('blank')} />{' '}
          {t('documents.templateBlank')}
        </label>
      </fieldset>
      <FormFooter error={error} busy={busy} cancelLabel={t('documents.cancel')} submitLabel={t('documents.create')} onCancel={onCancel} />
    </form>
  );
}
