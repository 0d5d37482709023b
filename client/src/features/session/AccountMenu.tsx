/**
 * The signed-in person (name · delegation) and "Cerrar sesión", with a small menu for signing
 * out on every device.
 */
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import type { SessionUser } from '../../lib/api.ts';
import { Avatar } from '../../ui/Avatar.tsx';
import { errorMessage } from '../../ui/errors.ts';
import { useToast } from '../../ui/Toasts.tsx';
import { useT } from '../i18n/i18n.tsx';
import { useSession } from './session.tsx';

/** Account area of the top bar. */
export function AccountMenu({ user }: { user: SessionUser }) {
  const { t } = useT();
  const { signOut } = useSession();
  const { showToast } = useToast();
  const [menuOpen, setMenuOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const menuId = useId();
  const toggleRef = useRef<HTMLButtonElement>(null);
  const itemRef = useRef<HTMLButtonElement>(null);
  const wrapperRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!menuOpen) return;
    itemRef.current?.focus();
    const closeOnOutside = (event: PointerEvent) => {
      if (!wrapperRef.current?.contains(event.target as Node)) setMenuOpen(false);
    };
    document.addEventListener('pointerdown', closeOnOutside);
    return () => document.removeEventListener('pointerdown', closeOnOutside);
  }, [menuOpen]);

  const run = async (everywhere: boolean) => {
    setBusy(true);
    setMenuOpen(false);
    try {
      await signOut(everywhere);
    } catch (error) {
      showToast(errorMessage(error, t), 'error');
      setBusy(false);
    }
  };

  const onMenuKey = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      setMenuOpen(false);
      toggleRef.current?.focus();
    }
  };

  return (
    <div className="account" ref={wrapperRef}>
      <span className="account__who">
        <Avatar name={user.name} color={user.color} size="small" />
        <span className="account__name">
          {user.name}
          {user.delegation && <span className="account__delegation"> · {user.delegation}</span>}
        </span>
      </span>
      <button type="button" className="button button--quiet" disabled={busy} onClick={() => void run(false)}>
        {t('session.signOut')}
      </button>
      <button
        ref={toggleRef}
        type="button"
        className="icon-button"
        aria-label={t('session.menu')}
        aria-haspopup="menu"
        aria-expanded={menuOpen}
        aria-controls={menuOpen ? menuId : undefined}
        onClick={() => setMenuOpen((open) => !open)}
      >
        <span aria-hidden="true">▾</span>
      </button>
      {menuOpen && (
        <div id={menuId} role="menu" className="menu" onKeyDown={onMenuKey}>
          <button ref={itemRef} type="button" role="menuitem" className="menu__item" onClick={() => void run(true)}>
            {t('session.signOutEverywhere')}
          </button>
        </div>
      )}
    </div>
  );
}
