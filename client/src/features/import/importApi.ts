/** Import of a DOCX or Markdown file as a new plan (docs/export.md). */
import type { ImportNote } from '../../../../shared/export.ts';
import { ApiError, csrfHeaders, NETWORK_ERROR, type PlanDocument } from '../../lib/api.ts';

/** A created plan and what could not be brought into it. */
export interface ImportOutcome {
  document: PlanDocument;
  notImported: ImportNote[];
}

/** Upload a file; the server creates the plan (the caller becomes its owner) or refuses with a reason. */
export async function importPlan(file: File, title: string): Promise<ImportOutcome> {
  const query = new URLSearchParams({ filename: file.name });
  if (title.trim()) query.set('title', title.trim());
  let response: Response;
  try {
    response = await fetch(`/api/documents/import?${query}`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { Accept: 'application/json', 'Content-Type': file.type || 'application/octet-stream', ...csrfHeaders() },
      body: file,
    });
  } catch {
    throw new ApiError(NETWORK_ERROR, 'network', '');
  }
  const data = (await response.json().catch(() => null)) as (ImportOutcome & { error?: { code: string; message: string } }) | null;
  if (!response.ok || !data) throw new ApiError(response.status, data?.error?.code ?? `http-${response.status}`, data?.error?.message ?? response.statusText);
  return data;
}
