/** The small dialog that asks for a link's URL and refuses anything isSafeHref rejects. */
import { useEffect, useId, useState, type FormEvent } from 'react';
import type { Editor } from '@tiptap/react';
import { isSafeHref } from '../../../../shared/links.ts';
import { Dialog } from '../../ui/Dialog.tsx';
import { useT } from '../i18n/i18n.tsx';

interface LinkDialogProps {
  editor: Editor;
  open: boolean;
  onClose: () => void;
}

/** Set, change or insert a link at the selection. */
export function LinkDialog({ editor, open, onClose }: LinkDialogProps) {
  const { t } = useT();
  const inputId = useId();
  const errorId = useId();
  const [href, setHref] = useState('');
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (open) {
      setHref((editor.getAttributes('link').href as string | undefined) ?? '');
      setError(null);
    }
  }, [open, editor]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const value = href.trim();
    if (!isSafeHref(value)) {
      setError(t('link.unsafe'));
      return;
    }
    const { empty } = editor.state.selection;
    const chain = editor.chain().focus();
    if (empty && !editor.isActive('link')) {
      // Nothing selected: insert the address itself as the link text.
      chain.insertContent({ type: 'text', text: value, marks: [{ type: 'link', attrs: { href: value } }] }).run();
    } else {
      chain.extendMarkRange('link').setLink({ href: value }).run();
    }
    onClose();
  };

  return (
    <Dialog title={t('link.title')} open={open} onClose={onClose} finalFocus={() => editor.commands.focus()}>
      <form onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor={inputId}>{t('link.url')}</label>
          <input
            id={inputId}
            type="url"
            inputMode="url"
            value={href}
            placeholder="https://"
            autoComplete="url"
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? errorId : undefined}
            onChange={(event) => {
              setHref(event.target.value);
              setError(null);
            }}
          />
          {error && (
            <p id={errorId} className="field__error" role="alert">
              {error}
            </p>
          )}
        </div>
        <div className="dialog__actions">
          <button type="button" className="button" onClick={onClose}>
            {t('link.cancel')}
          </button>
          <button type="submit" className="button button--primary">
            {t('link.apply')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
