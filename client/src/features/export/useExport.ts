/**
 * Runs one export at a time for the editor's export menu: starts the job, polls its progress,
 * and downloads the file when done. Progress is only shown once the export takes more than a
 * moment, so quick exports do not flash a bar.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ExportJob } from '../../../../shared/export.ts';
import { downloadExport, exportStatus, startExport, type ExportChoice } from './exportApi.ts';

/** How long an export runs before its progress is shown. */
const SHOW_PROGRESS_AFTER_MS = 400;
const POLL_MS = 300;

/** Where the current export is. */
export type ExportState =
  | { phase: 'idle' }
  | { phase: 'running'; job: ExportJob | null; visible: boolean }
  | { phase: 'done'; job: ExportJob }
  | { phase: 'failed'; error: unknown };

/** Export state and the function that starts one. */
export function useExport(documentId: string): { state: ExportState; run: (choice: ExportChoice) => Promise<void> } {
  const [state, setState] = useState<ExportState>({ phase: 'idle' });
  const alive = useRef(true);
  useEffect(() => {
    alive.current = true;
    return () => {
      alive.current = false;
    };
  }, []);

  const run = useCallback(
    async (choice: ExportChoice) => {
      const started = Date.now();
      const visible = () => Date.now() - started >= SHOW_PROGRESS_AFTER_MS;
      setState({ phase: 'running', job: null, visible: false });
      const reveal = window.setTimeout(() => alive.current && setState((s) => (s.phase === 'running' ? { ...s, visible: true } : s)), SHOW_PROGRESS_AFTER_MS);
      try {
        let job = await startExport(documentId, choice);
        while (alive.current && (job.status === 'queued' || job.status === 'running')) {
          setState({ phase: 'running', job, visible: visible() });
          await new Promise((resolve) => window.setTimeout(resolve, POLL_MS));
          job = await exportStatus(documentId, job.id);
        }
        if (!alive.current) return;
        if (job.status === 'failed') throw Object.assign(new Error(job.error?.message ?? ''), { code: job.error?.code });
        downloadExport(job);
        setState({ phase: 'done', job });
      } catch (error) {
        if (alive.current) setState({ phase: 'failed', error });
      } finally {
        window.clearTimeout(reveal);
      }
    },
    [documentId],
  );
  return { state, run };
}
