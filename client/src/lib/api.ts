/**
 * The typed HTTP client for docs/api.md. Every state-changing call carries the CSRF token from
 * GET /api/session; failures become ApiError with the server's own sentence for the person.
 */
import type { Role } from '../../../shared/roles.ts';
import type { TemplateName } from '../../../shared/template.ts';

/** The signed-in person, as the session says. */
export interface SessionUser {
  id: string;
  name: string;
  delegation: string;
  color: string;
}

/** Someone connected to a plan right now. */
export interface OnlinePerson {
  id: string;
  name: string;
  delegation: string;
  color: string;
}

/** A plan as the API describes it, with the caller's role. */
export interface PlanDocument {
  id: string;
  title: string;
  createdAt: string;
  updatedAt: string;
  role: Role;
  online?: OnlinePerson[];
}

/** A person's membership in one plan. */
export interface Participant {
  userId: string;
  name: string;
  delegation: string;
  color: string;
  role: Role;
  invitedAt: string | null;
  joinedAt: string | null;
  revokedAt: string | null;
  online: boolean;
}

/** An invite link (the token itself is only ever returned once, at creation). */
export interface Invite {
  id: string;
  userId: string;
  reusable: boolean;
  expiresAt: string | null;
  createdAt: string;
  redemptions: number;
  revokedAt: string | null;
  status: string;
}

/** A refused or failed call; `message` is written for the person using the app. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Status 0 marks a network failure (no answer at all), as opposed to a refusal. */
export const NETWORK_ERROR = 0;

let csrfToken: string | null = null;
let onUnauthorized: (() => void) | null = null;

/** Remember the CSRF token that state-changing calls must carry. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** The CSRF header for state-changing calls made outside `api` (file uploads). */
export function csrfHeaders(): Record<string, string> {
  return csrfToken ? { 'X-CSRF-Token': csrfToken } : {};
}

/** Called whenever a call answers 401, so the app can show the signed-out page. */
export function setUnauthorizedHandler(handler: (() => void) | null): void {
  onUnauthorized = handler;
}

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

async function request<T>(method: Method, path: string, body?: unknown, options: { quiet401?: boolean } = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(NETWORK_ERROR, 'network', '');
  }
  const text = await response.text();
  let data: unknown = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!response.ok) {
    const error = (data as { error?: { code?: string; message?: string } } | null)?.error;
    if (response.status === 401 && !options.quiet401) onUnauthorized?.();
    throw new ApiError(response.status, error?.code ?? `http-${response.status}`, error?.message ?? response.statusText);
  }
  return data as T;
}

const enc = encodeURIComponent;

/** Every route of docs/api.md the browser client uses. */
export const api = {
  /** The signed-in person and the CSRF token; 401 when signed out. */
  session: () => request<{ user: SessionUser; csrfToken: string }>('GET', '/api/session', undefined, { quiet401: true }),
  /** End this browser's session. */
  logout: () => request<unknown>('POST', '/api/session/logout', {}),
  /** End every session of this person, on every device. */
  logoutAll: () => request<unknown>('POST', '/api/session/logout-all', {}),
  /** Exchange an invite token for a session cookie. */
  redeemInvite: (token: string) =>
    request<{ user: SessionUser; documentId: string }>('POST', '/api/invites/redeem', { token }, { quiet401: true }),

  /** Plans the person belongs to. */
  listDocuments: () => request<{ documents: PlanDocument[] }>('GET', '/api/documents'),
  /** Create a plan; the creator becomes its owner. */
  createDocument: (title: string, template: TemplateName) =>
    request<{ document: PlanDocument }>('POST', '/api/documents', { title, template }),
  /** One plan with the caller's role. */
  getDocument: (id: string) => request<{ document: PlanDocument }>('GET', `/api/documents/${enc(id)}`),
  /** Rename a plan (owner, editor). */
  renameDocument: (id: string, title: string) =>
    request<{ document: PlanDocument }>('PATCH', `/api/documents/${enc(id)}`, { title }),

  /** Everyone invited to a plan. */
  listParticipants: (id: string) => request<{ participants: Participant[] }>('GET', `/api/documents/${enc(id)}/participants`),
  /** Create a person and add them to the plan (owner). */
  addParticipant: (id: string, person: { name: string; delegation: string; role: Role }) =>
    request<{ participant: Participant }>('POST', `/api/documents/${enc(id)}/participants`, person),
  /** Change someone's role (owner). */
  changeRole: (id: string, userId: string, role: Role) =>
    request<{ participant: Participant }>('PATCH', `/api/documents/${enc(id)}/participants/${enc(userId)}`, { role }),
  /** Revoke someone's access (owner). */
  revokeParticipant: (id: string, userId: string) =>
    request<unknown>('DELETE', `/api/documents/${enc(id)}/participants/${enc(userId)}`),

  /** Invite links of a plan (owner). */
  listInvites: (id: string) => request<{ invites: Invite[] }>('GET', `/api/documents/${enc(id)}/invites`),
  /** Create an invite link; the URL is returned only this once (owner). */
  createInvite: (id: string, invite: { userId: string; reusable: boolean; expiresInHours: number }) =>
    request<{ invite: Invite; url: string; token: string }>('POST', `/api/documents/${enc(id)}/invites`, invite),
  /** Revoke an invite link (owner). */
  revokeInvite: (id: string, inviteId: string) =>
    request<unknown>('DELETE', `/api/documents/${enc(id)}/invites/${enc(inviteId)}`),
};
