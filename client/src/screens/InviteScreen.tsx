/**
 * "/invite#<token>": redeem the token, then replace the address with the plan's, so the token
 * stays neither in the address bar nor in the history.
 */
import { useEffect, useRef, useState } from 'react';
import { documentPath, linkClick, navigate } from '../lib/router.ts';
import { inviteTokenFromLocation, redeemInvite } from '../features/session/redeemInvite.ts';
import { useSession } from '../features/session/session.tsx';
import { useT } from '../features/i18n/i18n.tsx';
import { errorMessage } from '../ui/errors.ts';
import { MessagePage } from '../ui/Message.tsx';

/** The invite landing page. */
export function InviteScreen() {
  const { t } = useT();
  const { state, refresh } = useSession();
  const [error, setError] = useState<string | null>(null);
  // The token is read once, before anything can rewrite the address.
  const token = useRef(inviteTokenFromLocation());
  const started = useRef(false);

  useEffect(() => {
    // Wait for the session check, so an already signed-in browser sends its CSRF token.
    if (state.status === 'loading' || started.current) return;
    started.current = true;
    const value = token.current;
    if (!value) {
      history.replaceState(null, '', '/invite');
      setError(t('invite.missingToken'));
      return;
    }
    redeemInvite(value)
      .then(async (documentId) => {
        history.replaceState(null, '', documentPath(documentId));
        await refresh();
        navigate(documentPath(documentId), { replace: true });
      })
      .catch((failure: unknown) => {
        // Drop the token from the address even when it failed: it may still be valid elsewhere.
        history.replaceState(null, '', '/invite');
        setError(errorMessage(failure, t));
      });
  }, [state.status, refresh, t]);

  if (error) {
    return (
      <MessagePage title={t('invite.failed')} role="alert">
        <p>{error}</p>
        <p>
          <a href="/" onClick={linkClick('/')}>
            {t('error.backToPlans')}
          </a>
        </p>
      </MessagePage>
    );
  }
  return (
    <MessagePage title={t('invite.redeeming')} role="status">
      <p className="spinner" aria-hidden="true" />
    </MessagePage>
  );
}
