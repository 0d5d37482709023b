/** An inline "are you sure?" for a destructive action in a table row: a question, Confirm, Cancel. */
interface InlineConfirmProps {
  /** Accessible name of the group (e.g. "Retirar acceso a Ana"). */
  label: string;
  question: string;
  confirmLabel: string;
  cancelLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
}

/** The confirmation group; Confirm takes focus so Enter confirms and Tab reaches Cancel. */
export function InlineConfirm({ label, question, confirmLabel, cancelLabel, onConfirm, onCancel }: InlineConfirmProps) {
  return (
    <span className="confirm" role="group" aria-label={label}>
      <span>{question}</span>
      <button type="button" className="button button--small button--danger" autoFocus onClick={onConfirm}>
        {confirmLabel}
      </button>
      <button type="button" className="button button--small" onClick={onCancel}>
        {cancelLabel}
      </button>
    </span>
  );
}
