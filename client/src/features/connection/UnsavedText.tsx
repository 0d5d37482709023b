/**
 * Text the server did not keep (unsavedText.ts), shown until the person discards it: a dialog
 * that opens by itself when the text is found, and a banner to open it again after "Later"
 * (or Escape), so an accidental close loses nothing.
 */
import { useRef, useState } from 'react';
import { Dialog } from '../../ui/Dialog.tsx';
import { InlineConfirm } from '../../ui/InlineConfirm.tsx';
import { useT } from '../i18n/i18n.tsx';
import { MAX_UNSAVED_CHARS, unsavedAsText, type UnsavedText } from './unsavedText.ts';
import './unsaved-text.css';

interface UnsavedTextProps {
  unsaved: UnsavedText | null;
  onDiscard: () => void;
}

/** The banner (while the dialog is closed) and the dialog. */
export function UnsavedTextNotice({ unsaved, onDiscard }: UnsavedTextProps) {
  const { t } = useT();
  const [shownAt, setShownAt] = useState<number | null>(null);
  const [hiddenAt, setHiddenAt] = useState<number | null>(null);
  if (!unsaved) return null;
  // A new recovery (a later `at`) opens the dialog again even if an earlier one was put off.
  const open = shownAt === unsaved.at || hiddenAt !== unsaved.at;
  return (
    <>
      {!open && (
        <div className="banner banner--warning unsaved-banner" role="alert">
          {t('unsaved.banner')}{' '}
          <button type="button" className="button button--small" onClick={() => setShownAt(unsaved.at)}>
            {t('unsaved.show')}
          </button>
        </div>
      )}
      <UnsavedTextDialog
        unsaved={unsaved}
        open={open}
        onLater={() => {
          setShownAt(null);
          setHiddenAt(unsaved.at);
        }}
        onDiscard={onDiscard}
      />
    </>
  );
}

function UnsavedTextDialog({ unsaved, open, onLater, onDiscard }: UnsavedTextProps & { unsaved: UnsavedText; open: boolean; onLater: () => void }) {
  const { t } = useT();
  const [copied, setCopied] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const list = useRef<HTMLOListElement>(null);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(unsavedAsText(unsaved));
    } catch {
      // Clipboard access can be refused: select the passages so Ctrl+C copies them.
      const selection = window.getSelection();
      if (list.current && selection) {
        const range = document.createRange();
        range.selectNodeContents(list.current);
        selection.removeAllRanges();
        selection.addRange(range);
        document.execCommand?.('copy');
      }
    }
    setCopied(true);
  };

  return (
    <Dialog title={t('unsaved.title')} open={open} onClose={onLater} className="dialog--wide">
      <p>{t('unsaved.intro')}</p>
      <ol ref={list} className="unsaved-text" aria-label={t('unsaved.listLabel')}>
        {unsaved.passages.map((passage, index) => (
          <li key={index} className="unsaved-text__passage">
            <p className="hint">{passage.before ? t('unsaved.after', { context: passage.before }) : t('unsaved.atStart')}</p>
            <blockquote className="unsaved-text__text">{passage.text}</blockquote>
          </li>
        ))}
      </ol>
      {unsaved.truncated && <p className="hint">{t('unsaved.truncated', { count: MAX_UNSAVED_CHARS.toLocaleString() })}</p>}
      <p className="hint">{t('unsaved.kept')}</p>
      <div className="dialog__actions">
        {confirming ? (
          <InlineConfirm
            label={t('unsaved.discard')}
            question={t('unsaved.discardQuestion')}
            confirmLabel={t('unsaved.discardConfirm')}
            cancelLabel={t('unsaved.discardCancel')}
            onConfirm={onDiscard}
            onCancel={() => setConfirming(false)}
          />
        ) : (
          <>
            <button type="button" className="button" onClick={() => setConfirming(true)}>
              {t('unsaved.discard')}
            </button>
            <button type="button" className="button" onClick={onLater}>
              {t('unsaved.later')}
            </button>
            <button type="button" className="button button--primary" onClick={() => void copy()}>
              {t('unsaved.copy')}
            </button>
          </>
        )}
      </div>
      <p role="status" className="hint">
        {copied ? t('unsaved.copied') : ''}
      </p>
    </Dialog>
  );
}
