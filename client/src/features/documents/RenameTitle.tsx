/** Inline rename of a plan's title (owner and editor), used in the list and in the editor's header. */
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { api, type PlanDocument } from '../../lib/api.ts';
import { errorMessage } from '../../ui/errors.ts';
import { useToast } from '../../ui/Toasts.tsx';
import { useT } from '../i18n/i18n.tsx';

interface RenameTitleProps {
  document: PlanDocument;
  onRenamed: (document: PlanDocument) => void;
  onDone: () => void;
}

/** A small form replacing the title while renaming; Escape cancels. */
export function RenameTitle({ document, onRenamed, onDone }: RenameTitleProps) {
  const { t } = useT();
  const { showToast } = useToast();
  const id = useId();
  const [title, setTitle] = useState(document.title);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    input.current?.select();
  }, []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const next = title.trim();
    if (!next) {
      setError(t('documents.titleRequired'));
      return;
    }
    if (next === document.title) {
      onDone();
      return;
    }
    setBusy(true);
    try {
      const { document: renamed } = await api.renameDocument(document.id, next);
      onRenamed({ ...document, ...renamed });
      onDone();
    } catch (failure) {
      const message = errorMessage(failure, t);
      setError(message);
      showToast(message, 'error');
      setBusy(false);
    }
  };

  return (
    <form className="rename" onSubmit={submit} noValidate>
      <label htmlFor={id} className="visually-hidden">
        {t('documents.renameLabel', { title: document.title })}
      </label>
      <input
        id={id}
        ref={input}
        value={title}
        maxLength={200}
        aria-invalid={error ? true : undefined}
        onChange={(event) => {
          setTitle(event.target.value);
          setError(null);
        }}
        onKeyDown={(event) => {
          if (event.key === 'Escape') {
            event.preventDefault();
            onDone();
          }
        }}
      />
      <button type="submit" className="button button--small button--primary" disabled={busy}>
        {t('documents.save')}
      </button>
      <button type="button" className="button button--small" onClick={onDone}>
        {t('documents.cancel')}
      </button>
      {error && (
        <span className="field__error" role="alert">
          {error}
        </span>
      )}
    </form>
  );
}
