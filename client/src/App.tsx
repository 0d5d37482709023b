/** Chooses the screen from the address and the session. */
import { useEffect } from 'react';
import { navigate, useRoute } from './lib/router.ts';
import { useSession } from './features/session/session.tsx';
import { useT } from './features/i18n/i18n.tsx';
import { DocumentsScreen } from './screens/DocumentsScreen.tsx';
import { EditorScreen } from './screens/EditorScreen.tsx';
import { InviteScreen } from './screens/InviteScreen.tsx';
import { SignedOutScreen } from './screens/SignedOutScreen.tsx';
import { errorMessage } from './ui/errors.ts';
import { MessagePage } from './ui/Message.tsx';
import { TopBar } from './ui/TopBar.tsx';

/** The whole client. */
export function App() {
  const { t } = useT();
  const route = useRoute();
  const { state, refresh } = useSession();

  useEffect(() => {
    if (route.name === 'notFound') navigate('/', { replace: true });
  }, [route.name]);

  // The invite page works before there is a session: it is how one gets started.
  if (route.name === 'invite') return <InviteScreen />;

  switch (state.status) {
    case 'loading':
      return <MessagePage title={t('app.loading')} role="status" />;
    case 'signedOut':
      return <SignedOutScreen ended={state.ended} />;
    case 'error':
      return (
        <>
          <TopBar />
          <MessagePage title={t('error.title')} role="alert">
            <p>{errorMessage(state.error, t)}</p>
            <p>
              <button type="button" className="button" onClick={() => void refresh()}>
                {t('app.retry')}
              </button>
            </p>
          </MessagePage>
        </>
      );
    case 'signedIn':
      if (route.name === 'editor') return <EditorScreen key={route.documentId} documentId={route.documentId} user={state.user} />;
      return <DocumentsScreen user={state.user} />;
  }
}

