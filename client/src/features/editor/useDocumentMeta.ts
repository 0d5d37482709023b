/**
 * The plan's title and the person's role (GET /api/documents/:id). The last answer is cached on
 * this device so a plan can still be opened and written offline; the server re-checks the role
 * on reconnect and refuses what it must.
 */
import { useCallback, useEffect, useState } from 'react';
import { isRole } from '../../../../shared/roles.ts';
import { api, ApiError, NETWORK_ERROR, type PlanDocument } from '../../lib/api.ts';

/** Loading, loaded (possibly from the offline cache) or refused. */
export type DocumentMetaState =
  | { status: 'loading' }
  | { status: 'ready'; document: PlanDocument; fromCache: boolean }
  | { status: 'failed'; error: unknown };

const cacheKey = (id: string) => `minga.doc.${id}`;

function readCache(id: string): PlanDocument | null {
  try {
    const raw = localStorage.getItem(cacheKey(id));
    const value = raw ? (JSON.parse(raw) as PlanDocument) : null;
    return value && isRole(value.role) ? value : null;
  } catch {
    return null;
  }
}

function writeCache(document: PlanDocument): void {
  try {
    localStorage.setItem(cacheKey(document.id), JSON.stringify({ ...document, online: undefined }));
  } catch {
    // Only offline reopening depends on it.
  }
}

/** Load a plan's metadata; `update` applies local changes (rename, role-changed notices), `reload` asks again. */
export function useDocumentMeta(documentId: string) {
  const [state, setState] = useState<DocumentMetaState>({ status: 'loading' });

  useEffect(() => {
    let cancelled = false;
    setState({ status: 'loading' });
    api
      .getDocument(documentId)
      .then(({ document }) => {
        if (cancelled) return;
        writeCache(document);
        setState({ status: 'ready', document, fromCache: false });
      })
      .catch((error: unknown) => {
        if (cancelled) return;
        const cached = error instanceof ApiError && error.status === NETWORK_ERROR ? readCache(documentId) : null;
        setState(cached ? { status: 'ready', document: cached, fromCache: true } : { status: 'failed', error });
      });
    return () => {
      cancelled = true;
    };
  }, [documentId]);

  /** Ask the server again (after a refused change: the role may have changed); keeps what shows meanwhile. */
  const reload = useCallback(() => {
    api
      .getDocument(documentId)
      .then(({ document }) => {
        writeCache(document);
        setState({ status: 'ready', document, fromCache: false });
      })
      .catch(() => {
        // Offline or refused: the next open asks again; the server enforces the role anyway.
      });
  }, [documentId]);

  const update = useCallback((patch: Partial<PlanDocument>) => {
    setState((current) => {
      if (current.status !== 'ready') return current;
      const document = { ...current.document, ...patch };
      writeCache(document);
      return { ...current, document };
    });
  }, []);

  return { state, update, reload };
}
