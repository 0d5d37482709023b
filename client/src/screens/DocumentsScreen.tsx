/** "/": the plans the person belongs to, and "Nuevo plan". */
import { useCallback, useEffect, useState } from 'react';
import { api, type PlanDocument, type SessionUser } from '../lib/api.ts';
import { documentPath, navigate } from '../lib/router.ts';
import { DocumentList } from '../features/documents/DocumentList.tsx';
import { NewPlanForm } from '../features/documents/NewPlanForm.tsx';
import { ImportForm } from '../features/import/ImportForm.tsx';
import { useT } from '../features/i18n/i18n.tsx';
import { Dialog } from '../ui/Dialog.tsx';
import { errorMessage } from '../ui/errors.ts';
import { TopBar } from '../ui/TopBar.tsx';

/** How often the list refreshes who is online while the page is visible. */
const REFRESH_MS = 15000;

/** The documents page. */
export function DocumentsScreen({ user }: { user: SessionUser }) {
  const { t } = useT();
  const [documents, setDocuments] = useState<PlanDocument[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [importing, setImporting] = useState(false);

  const load = useCallback(async () => {
    try {
      const { documents: list } = await api.listDocuments();
      // Most recently edited first: that is usually the plan the person wants.
      setDocuments([...list].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt)));
      setError(null);
    } catch (failure) {
      setError(errorMessage(failure, t));
    }
  }, [t]);

  useEffect(() => {
    document.title = `${t('documents.title')} · ${t('app.name')}`;
  }, [t]);

  useEffect(() => {
    void load();
    const timer = window.setInterval(() => {
      if (document.visibilityState === 'visible') void load();
    }, REFRESH_MS);
    const onFocus = () => void load();
    window.addEventListener('focus', onFocus);
    return () => {
      window.clearInterval(timer);
      window.removeEventListener('focus', onFocus);
    };
  }, [load]);

  return (
    <>
      <TopBar user={user} />
      <main id="main" className="documents" tabIndex={-1}>
        <div className="documents__header">
          <h1>{t('documents.heading')}</h1>
          <div className="documents__actions">
            <button type="button" className="button" onClick={() => setImporting(true)}>
              {t('import.open')}
            </button>
            <button type="button" className="button button--primary" onClick={() => setCreating(true)}>
              {t('documents.new')}
            </button>
          </div>
        </div>
        {error && (
          <p className="banner banner--error" role="alert">
            {error}
          </p>
        )}
        {documents === null && !error && <p className="hint">{t('app.loading')}</p>}
        {documents && (
          <DocumentList
            documents={documents}
            onRenamed={(renamed) => setDocuments((list) => list?.map((doc) => (doc.id === renamed.id ? { ...doc, ...renamed } : doc)) ?? null)}
          />
        )}
      </main>
      <Dialog title={t('documents.new')} open={creating} onClose={() => setCreating(false)}>
        <NewPlanForm
          onCancel={() => setCreating(false)}
          onCreated={(created) => {
            setCreating(false);
            navigate(documentPath(created.id));
          }}
        />
      </Dialog>
      <Dialog
        title={t('import.dialogTitle')}
        open={importing}
        onClose={() => {
          setImporting(false);
          // A plan may have been created even if the person closes the report instead of opening it.
          void load();
        }}
      >
        <ImportForm
          onCancel={() => setImporting(false)}
          onOpen={(created) => {
            setImporting(false);
            navigate(documentPath(created.id));
          }}
        />
      </Dialog>
    </>
  );
}
