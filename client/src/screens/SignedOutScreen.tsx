/** Shown when GET /api/session answers 401: the way in is the invite link. */
import { useEffect } from 'react';
import { useT } from '../features/i18n/i18n.tsx';
import { LanguageSwitcher } from '../features/i18n/LanguageSwitcher.tsx';
import { MessagePage } from '../ui/Message.tsx';

/** The signed-out page. */
export function SignedOutScreen({ ended }: { ended: boolean }) {
  const { t } = useT();
  useEffect(() => {
    document.title = `${t('signedOut.title')} · ${t('app.name')}`;
  }, [t]);
  return (
    <>
      <header className="topbar topbar--bare">
        <span className="brand">
          <span className="brand__mark" aria-hidden="true">
            ◆
          </span>
          <span>{t('app.name')}</span>
        </span>
        <div className="topbar__actions">
          <LanguageSwitcher />
        </div>
      </header>
      <MessagePage title={t('signedOut.title')}>
        {ended && <p className="banner banner--warning">{t('signedOut.closed')}</p>}
        <p>{t('signedOut.body')}</p>
      </MessagePage>
    </>
  );
}
