/**
 * "Importar": choose a Word (.docx) or Markdown (.md) file to start a new plan from. While the
 * server converts it a status shows; refusals are explained; what could not be imported is
 * listed before the person opens the new plan, never silently dropped.
 */
import { useId, useState, type FormEvent } from 'react';
import { MAX_IMPORT_BYTES, type ImportNote } from '../../../../shared/export.ts';
import { ApiError, type PlanDocument } from '../../lib/api.ts';
import { errorMessage } from '../../ui/errors.ts';
import { useT, type Translate } from '../i18n/i18n.tsx';
import type { MessageKey } from '../i18n/dictionary.ts';
import { importPlan } from './importApi.ts';
import './import.css';
import { FormFooter } from '../../ui/FormFooter.tsx';

const ACCEPT = '.docx,.md,.markdown,application/vnd.openxmlformats-officedocument.wordprocessingml.document,text/markdown';
/** Refusals the UI explains in its own words (others show the server's sentence). */
const KNOWN_ERRORS = ['upload_too_large', 'not_docx', 'zip_bomb', 'xml_entities', 'remote_image', 'empty_upload', 'unsupported_format', 'not_markdown', 'encrypted_docx'];

function refusal(error: unknown, t: Translate): string {
  if (error instanceof ApiError && KNOWN_ERRORS.includes(error.code)) return t(`import.error.${error.code}` as MessageKey);
  return errorMessage(error, t);
}

/** One line of "what was not imported". */
function NoteLine({ note }: { note: ImportNote }) {
  const { t } = useT();
  return (
    <li>
      {t(`import.note.${note.code}` as MessageKey, { count: note.count })}
      {note.examples.length > 0 && <span className="hint"> ({note.examples.join(', ')})</span>}
    </li>
  );
}

/** The import form; hands the created plan to `onOpen` when the person goes on to it. */
export function ImportForm({ onOpen, onCancel }: { onOpen: (document: PlanDocument) => void; onCancel: () => void }) {
  const { t } = useT();
  const id = useId();
  const [file, setFile] = useState<File | null>(null);
  const [title, setTitle] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<{ document: PlanDocument; notes: ImportNote[] } | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!file) return setError(t('import.fileRequired'));
    if (file.size > MAX_IMPORT_BYTES) return setError(t('import.error.upload_too_large'));
    setBusy(true);
    setError(null);
    try {
      const outcome = await importPlan(file, title);
      if (outcome.notImported.length === 0) return onOpen(outcome.document);
      setDone({ document: outcome.document, notes: outcome.notImported });
    } catch (failure) {
      setError(refusal(failure, t));
    } finally {
      setBusy(false);
    }
  };

  if (done) {
    return (
      <div className="import-result">
        <p role="status">{t('import.created', { title: done.document.title })}</p>
        <h3 className="import-result__heading">{t('import.notImported')}</h3>
        <ul>
          {done.notes.map((note) => (
            <NoteLine key={note.code} note={note} />
          ))}
        </ul>
        <div className="dialog__actions">
          <button type="button" className="button button--primary" autoFocus onClick={() => onOpen(done.document)}>
            {t('import.openPlan')}
          </button>
        </div>
      </div>
    );
  }

  return (
    <form className="import-form" onSubmit={submit} noValidate>
      <p className="hint">{t('import.hint')}</p>
      <div className="field">
        <label htmlFor={`${id}-file`}>{t('import.file')}</label>
        <input id={`${id}-file`} type="file" accept={ACCEPT} aria-invalid={error ? true : undefined} onChange={(event) => setFile(event.target.files?.[0] ?? null)} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-title`}>{t('import.title')}</label>
        <input id={`${id}-title`} value={title} maxLength={200} onChange={(event) => setTitle(event.target.value)} />
      </div>
      {busy && (
        <p className="import-form__busy" role="status">
          {t('import.busy')} <progress aria-label={t('import.busy')} />
        </p>
      )}
      <FormFooter error={error} busy={busy} cancelLabel={t('import.cancel')} submitLabel={t('import.submit')} onCancel={onCancel} />
    </form>
  );
}
