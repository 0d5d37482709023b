/** The end of a dialog form: its error (announced), then Cancel and the primary action. */
interface FormFooterProps {
  error: string | null | undefined;
  busy: boolean;
  cancelLabel: string;
  submitLabel: string;
  onCancel: () => void;
}

/** Error line plus the dialog's action buttons, the same in every form. */
export function FormFooter({ error, busy, cancelLabel, submitLabel, onCancel }: FormFooterProps) {
  return (
    <>
      {error && (
        <p className="field__error" role="alert">
          {error}
        </p>
      )}
      <div className="dialog__actions">
        <button type="button" className="button" onClick={onCancel}>
          {cancelLabel}
        </button>
        <button type="submit" className="button button--primary" disabled={busy}>
          {submitLabel}
        </button>
      </div>
    </>
  );
}
