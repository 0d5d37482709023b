/** Versions, comparisons and milestones over docs/versions.md. */
import type { JSONContent } from '@tiptap/core';
import type { Thread } from '../../../../shared/threads.ts';
import type { ChainReport, CompareResult, Milestone, MilestoneView, VersionSummary } from '../../../../shared/versions.ts';
import { ApiError, csrfHeaders, NETWORK_ERROR } from '../../lib/api.ts';

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

async function call<T>(method: Method, path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: { Accept: 'application/json', ...(method === 'GET' ? {} : { 'Content-Type': 'application/json', ...csrfHeaders() }) },
      body: method === 'GET' ? undefined : JSON.stringify(body ?? {}),
    });
  } catch {
    throw new ApiError(NETWORK_ERROR, 'network', '');
  }
  const data = (await response.json().catch(() => null)) as { error?: { code: string; message: string } } | null;
  if (!response.ok) throw new ApiError(response.status, data?.error?.code ?? `http-${response.status}`, data?.error?.message ?? response.statusText);
  return data as T;
}

const plan = (documentId: string): string => `/api/documents/${encodeURIComponent(documentId)}`;

/** A milestone as the owner edits it. */
export type MilestoneDraft = Pick<Milestone, 'title' | 'description' | 'dueAt' | 'timeZone'>;

/** Every call of the history and milestones features. */
export const versionsApi = {
  /** Versions (oldest first) and the chain's state as last read. */
  list: (documentId: string) => call<{ versions: VersionSummary[]; chain: ChainReport }>('GET', `${plan(documentId)}/versions`),
  /** Capture the plan as it is now (owner, editor). */
  capture: (documentId: string, name: string, milestoneId: string | null) =>
    call<{ version: VersionSummary }>('POST', `${plan(documentId)}/versions`, { name, milestoneId }),
  /** One version's body and threads, read-only. */
  open: (documentId: string, versionId: string) =>
    call<{ version: VersionSummary; content: JSONContent; threads: Thread[] }>('GET', `${plan(documentId)}/versions/${encodeURIComponent(versionId)}`),
  /** Bring a version's text back as a new change (owner, editor). */
  restore: (documentId: string, versionId: string) =>
    call<{ version: VersionSummary }>('POST', `${plan(documentId)}/versions/${encodeURIComponent(versionId)}/restore`),
  /** Re-read the stored chain and check every hash and link. */
  verify: (documentId: string) => call<ChainReport>('GET', `${plan(documentId)}/versions/verify`),
  /** Compare two versions (or a version and "current"). */
  compare: (documentId: string, from: string, to: string) =>
    call<CompareResult>('GET', `${plan(documentId)}/compare?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`),
  /** Address of a version's standalone page. */
  versionPageUrl: (documentId: string, versionId: string) => `${plan(documentId)}/versions/${encodeURIComponent(versionId)}/html`,
  /** Address of a comparison's standalone page. */
  comparePageUrl: (documentId: string, from: string, to: string) =>
    `${plan(documentId)}/compare/html?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`,

  /** The plan's milestones with whether each version exists. */
  milestones: (documentId: string) => call<{ milestones: MilestoneView[] }>('GET', `${plan(documentId)}/milestones`),
  /** Add a milestone (owner). */
  addMilestone: (documentId: string, draft: MilestoneDraft) => call<{ milestone: MilestoneView }>('POST', `${plan(documentId)}/milestones`, draft),
  /** Change a milestone (owner). */
  updateMilestone: (documentId: string, milestoneId: string, draft: Partial<MilestoneDraft>) =>
    call<{ milestone: MilestoneView }>('PATCH', `${plan(documentId)}/milestones/${encodeURIComponent(milestoneId)}`, draft),
  /** Remove a milestone (owner); its versions stay. */
  removeMilestone: (documentId: string, milestoneId: string) => call<unknown>('DELETE', `${plan(documentId)}/milestones/${encodeURIComponent(milestoneId)}`),
};
