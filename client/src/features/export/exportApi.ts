/** Export jobs over docs/export.md: start one, follow its progress, download its file. */
import type { ExportFormat, ExportJob, ExportLanguage } from '../../../../shared/export.ts';
import { ApiError, csrfHeaders, NETWORK_ERROR } from '../../lib/api.ts';

/** What the person chose in the export menu. */
export interface ExportChoice {
  format: ExportFormat;
  comments: boolean;
  suggestions: boolean;
  lang: ExportLanguage;
  version?: string;
}

async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: { Accept: 'application/json', ...(body === undefined ? {} : { 'Content-Type': 'application/json', ...csrfHeaders() }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(NETWORK_ERROR, 'network', '');
  }
  const data = (await response.json().catch(() => null)) as { error?: { code: string; message: string } } | null;
  if (!response.ok) throw new ApiError(response.status, data?.error?.code ?? `http-${response.status}`, data?.error?.message ?? response.statusText);
  return data as T;
}

/** Start an export job. */
export async function startExport(documentId: string, choice: ExportChoice): Promise<ExportJob> {
  return (await call<{ job: ExportJob }>('POST', `/api/documents/${encodeURIComponent(documentId)}/exports`, choice)).job;
}

/** The job's current state. */
export async function exportStatus(documentId: string, jobId: string): Promise<ExportJob> {
  return (await call<{ job: ExportJob }>('GET', `/api/documents/${encodeURIComponent(documentId)}/exports/${encodeURIComponent(jobId)}`)).job;
}

/** Hand the finished file to the browser as a download (the server sends it as an attachment). */
export function downloadExport(job: ExportJob): void {
  if (!job.downloadUrl) return;
  const link = document.createElement('a');
  link.href = job.downloadUrl;
  link.download = job.fileName ?? '';
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
}
