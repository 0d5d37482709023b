/** Entry point: providers around the app, mounted into #root. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { I18nProvider } from './features/i18n/i18n.tsx';
import { SessionProvider } from './features/session/session.tsx';
import { ToastProvider } from './ui/Toasts.tsx';
import './styles/base.css';
import './styles/layout.css';
import './ui/ui.css';

const root = document.getElementById('root');
if (!root) throw new Error('Missing #root');

createRoot(root).render(
  <StrictMode>
    <I18nProvider>
      <ToastProvider>
        <SessionProvider>
          <App />
        </SessionProvider>
      </ToastProvider>
    </I18nProvider>
  </StrictMode>,
);
