/**
 * A modal dialog on the native <dialog> element: showModal() makes the rest of the page inert,
 * Escape closes it, and Tab is kept inside so keyboard focus never wanders behind it.
 */
import { useEffect, useId, useRef, type KeyboardEvent, type ReactNode } from 'react';

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

interface DialogProps {
  /** Visible heading, also the dialog's accessible name. */
  title: string;
  open: boolean;
  onClose: () => void;
  children: ReactNode;
  /** Extra class for sizing (e.g. "dialog--wide"). */
  className?: string;
  /** Where focus goes after closing; by default back to whatever opened the dialog. */
  finalFocus?: () => void;
}

/** Modal dialog with a heading, focus trap and Escape to close. */
export function Dialog({ title, open, onClose, children, className, finalFocus }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const returnFocus = useRef<HTMLElement | null>(null);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      returnFocus.current = document.activeElement as HTMLElement | null;
      dialog.showModal();
      // Focus the first field rather than the close button, so typing can start at once.
      const first = dialog.querySelector<HTMLElement>('[autofocus], input, select, textarea') ?? dialog.querySelector<HTMLElement>(FOCUSABLE);
      first?.focus();
    } else if (!open && dialog.open) {
      dialog.close();
      const target = returnFocus.current;
      returnFocus.current = null;
      // Only now is the page behind interactive again, so focus can land there.
      if (finalFocus) finalFocus();
      else if (target?.isConnected) target.focus();
    }
    // finalFocus is read at closing time only; it does not need to re-run the effect.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open]);

  const trapTab = (event: KeyboardEvent<HTMLDialogElement>) => {
    if (event.key !== 'Tab' || !ref.current) return;
    const items = Array.from(ref.current.querySelectorAll<HTMLElement>(FOCUSABLE)).filter((el) => el.offsetParent !== null);
    if (items.length === 0) return;
    const first = items[0];
    const last = items[items.length - 1];
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  };

  return (
    <dialog
      ref={ref}
      className={`dialog ${className ?? ''}`}
      aria-labelledby={titleId}
      aria-modal="true"
      onCancel={(event) => {
        // Escape: let React state decide, so the dialog and `open` never disagree.
        event.preventDefault();
        onClose();
      }}
      onKeyDown={trapTab}
    >
      {open && (
        <>
          <h2 id={titleId} className="dialog__title">
            {title}
          </h2>
          {children}
        </>
      )}
    </dialog>
  );
}
