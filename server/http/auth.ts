/**
 * Who is calling: session cookies for browsers, invite tokens for other clients. One
 * authenticator serves HTTP routes and websocket upgrades, so both answer the same way.
 */
import { createHmac } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { CloseCode } from '../../shared/protocol.ts';
import { CollabRefusal, type Identity, type UpgradeRequest } from '../collab/types.ts';
import { safeEqual, Workspace, WorkspaceError } from '../workspace/workspace.ts';
import type { UserRecord } from '../store/meta-store.ts';

/** Name of the HttpOnly session cookie. */
export const SESSION_COOKIE = 'minga_session';

/** How a request proved who it is. */
export interface Auth {
  user: UserRecord;
  /** A session cookie (browser) or an invite token scoped to one document. */
  via: 'session' | 'token';
  /** The secret that authenticated, to re-check it later (never logged). */
  secret: string;
  /** For tokens: the only document they open. */
  documentId?: string;
}

/** Parse a Cookie header. */
export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i < 0) continue;
    const key = part.slice(0, i).trim();
    if (key) out[key] = decodeURIComponent(part.slice(i + 1).trim());
  }
  return out;
}

/** Authentication and origin policy shared by HTTP and websocket. */
export class Authenticator {
  constructor(
    private readonly workspace: Workspace,
    private readonly csrfKey: string,
    private readonly extraOrigins: string[],
    private readonly publicOrigin: () => string,
  ) {}

  /** Whether an Origin header names this server (or an explicitly allowed origin). */
  originAllowed(origin: string, host: string | undefined): boolean {
    if (origin === this.publicOrigin() || this.extraOrigins.includes(origin)) return true;
    if (!host) return false;
    return origin === `http://${host}` || origin === `https://${host}`;
  }

  /** The CSRF token bound to a session. */
  csrfToken(sessionSecret: string): string {
    return createHmac('sha256', this.csrfKey).update(sessionSecret).digest('base64url');
  }

  /** Check a CSRF token against a session. */
  csrfValid(sessionSecret: string, token: string | undefined): boolean {
    return typeof token === 'string' && safeEqual(this.csrfToken(sessionSecret), token);
  }

  /** Authenticate from headers (cookie or bearer token); undefined when neither is valid. */
  fromHeaders(headers: IncomingHttpHeaders): Auth | undefined {
    const bearer = /^Bearer\s+(.+)$/i.exec(headers.authorization ?? '')?.[1];
    if (bearer) return this.fromToken(bearer);
    const sessionSecret = parseCookies(headers.cookie)[SESSION_COOKIE];
    if (sessionSecret) {
      const user = this.workspace.sessionUser(sessionSecret);
      if (user) return { user, via: 'session', secret: sessionSecret };
    }
    return undefined;
  }

  /** Authenticate an invite token (non-browser clients). */
  fromToken(token: string): Auth | undefined {
    const invite = this.workspace.inviteByToken(token);
    if (this.workspace.inviteProblem(invite, false)) return undefined;
    const user = this.workspace.user(invite!.userId);
    return user ? { user, via: 'token', secret: token, documentId: invite!.documentId } : undefined;
  }

  /** Whether an earlier authentication still holds (session not ended, token not revoked). */
  stillValid(auth: Auth): boolean {
    return auth.via === 'session' ? this.workspace.sessionValid(auth.secret) : this.fromToken(auth.secret) !== undefined;
  }

  /** The identity of a person on a document, or a refusal. */
  identityFor(auth: Auth, documentId: string): Identity {
    if (auth.documentId && auth.documentId !== documentId) {
      throw new WorkspaceError(403, 'token_for_other_document', 'This token is for another plan.');
    }
    const role = this.workspace.requireRole(documentId, auth.user.id);
    const pub = this.workspace.publicUser(auth.user);
    return { userId: pub.id, name: pub.name, delegation: pub.delegation, color: pub.color, role };
  }

  /** The collab core's authenticate hook. */
  authenticateUpgrade(request: UpgradeRequest): { identity: Identity; auth: Auth } {
    const origin = request.headers.origin;
    if (origin && !this.originAllowed(origin, request.headers.host)) {
      throw new CollabRefusal(CloseCode.Forbidden, 'origin not allowed');
    }
    const token = request.url.searchParams.get('token');
    let auth: Auth | undefined;
    if (token) auth = this.fromToken(token);
    else {
      // A cookie alone is only trusted from a page of ours: browsers always send Origin.
      if (!origin) throw new CollabRefusal(CloseCode.Unauthorized, 'origin required for cookie sign-in');
      auth = this.fromHeaders({ cookie: request.headers.cookie });
    }
    if (!auth) throw new CollabRefusal(CloseCode.Unauthorized, 'not signed in or token not valid');
    try {
      return { identity: this.identityFor(auth, request.documentId), auth };
    } catch (error) {
      if (error instanceof WorkspaceError) {
        throw new CollabRefusal(error.status === 404 ? CloseCode.DocumentNotFound : CloseCode.Forbidden, error.message);
      }
      throw error;
    }
  }
}
