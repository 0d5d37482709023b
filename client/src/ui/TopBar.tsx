/** The top bar shared by every signed-in screen: brand, screen-specific middle, account and language. */
import type { ReactNode } from 'react';
import type { SessionUser } from '../lib/api.ts';
import { linkClick } from '../lib/router.ts';
import { LanguageSwitcher } from '../features/i18n/LanguageSwitcher.tsx';
import { useT } from '../features/i18n/i18n.tsx';
import { AccountMenu } from '../features/session/AccountMenu.tsx';

interface TopBarProps {
  user?: SessionUser;
  /** Left side after the brand (e.g. the plan's title). */
  children?: ReactNode;
  /** Right side before the account (e.g. presence and connection). */
  actions?: ReactNode;
}

/** The page header landmark. */
export function TopBar({ user, children, actions }: TopBarProps) {
  const { t } = useT();
  return (
    <header className="topbar">
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <a className="brand" href="/" onClick={linkClick('/')}>
        <span className="brand__mark" aria-hidden="true">
          ◆
        </span>
        <span>{t('app.name')}</span>
      </a>
      <div className="topbar__middle">{children}</div>
      <div className="topbar__actions">
        {actions}
        <LanguageSwitcher />
        {user && <AccountMenu user={user} />}
      </div>
    </header>
  );
}
