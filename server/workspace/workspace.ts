/**
 * The workspace: plans, participants, invites and sessions, with the role rules that apply
 * to them. HTTP routes, the websocket authenticator and the CLI all go through it.
 */
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { delegationColor } from '../../shared/delegations.ts';
import { can, type Capability, type Role } from '../../shared/roles.ts';
import { templateContent, type TemplateName } from '../../shared/template.ts';
import { encodePlanContent } from '../../shared/plan-doc.ts';
import type { JSONContent } from '@tiptap/core';
import type { DocumentStorage } from '../collab/storage.ts';
import type { DocumentRecord, InviteRecord, MetaData, MetaStore, ParticipantRecord, UserRecord } from '../store/meta-store.ts';

type MetaSessions = MetaData['sessions'];

/** A refusal a person can act on; routes turn it into a JSON error with this status. */
export class WorkspaceError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'WorkspaceError';
  }
}

/** A person as others see them. */
export interface PublicUser {
  id: string;
  name: string;
  delegation: string;
  color: string;
}

/** How long a browser session lasts without use. */
export const SESSION_TTL_MS = 30 * 24 * 3600 * 1000;
/** Longest life of an invite link. */
export const MAX_INVITE_HOURS = 24 * 90;
/** How often a plan's last-edited time moves in memory while people type in it. */
const TOUCH_RESOLUTION_MS = 5000;
/** How late a last-edited time may reach the disk (it goes with any earlier metadata write). */
const TOUCH_WRITE_MS = 30_000;

/** Recent hashes: open connections are re-checked every few seconds with the same secrets. */
const recentHashes = new Map<string, string>();
const RECENT_HASHES = 4096;

/** SHA-256 of a secret, hex: tokens and session ids are stored only this way. */
export function hashSecret(secret: string): string {
  let hash = recentHashes.get(secret);
  if (hash === undefined) {
    hash = createHash('sha256').update(secret).digest('hex');
    if (recentHashes.size >= RECENT_HASHES) recentHashes.clear();
    recentHashes.set(secret, hash);
  }
  return hash;
}

/** A new random secret, URL-safe. */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** The link a person opens to sign in: the token travels in the fragment, never to server logs. */
export function inviteUrl(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/$/, '')}/invite#${token}`;
}

/**
 * A new document id: short, URL-safe, unguessable, and never starting with "-", which the CLI's
 * `--doc <id>` would read as an option (an id like that needs `--doc=<id>`; one in 64 did).
 */
export function newDocumentId(): string {
  for (;;) {
    const id = randomBytes(12).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

function now(): string {
  return new Date().toISOString();
}

/** Constant-time comparison of two strings. */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function participantKey(documentId: string, userId: string): string {
  return `${documentId}\u0000${userId}`;
}

interface Lookups {
  revision: number;
  users: Map<string, UserRecord>;
  documents: Map<string, DocumentRecord>;
  participants: Map<string, ParticipantRecord>;
  invites: Map<string, InviteRecord>;
  sessions: Map<string, MetaSessions[number]>;
}

/** Operations on the workspace's metadata and plans. */
export class Workspace {
  constructor(
    readonly meta: MetaStore,
    private readonly storage: DocumentStorage,
  ) {}

  /** Public view of a user. */
  publicUser(user: UserRecord): PublicUser {
    return { id: user.id, name: user.name, delegation: user.delegation, color: delegationColor(user.delegation) };
  }

  user(userId: string): UserRecord | undefined {
    return this.lookups().users.get(userId);
  }

  document(documentId: string): DocumentRecord | undefined {
    return this.lookups().documents.get(documentId);
  }

  /** The active participation of a user in a plan. */
  participant(documentId: string, userId: string): ParticipantRecord | undefined {
    return this.lookups().participants.get(participantKey(documentId, userId));
  }

  private index: Lookups | null = null;

  /**
   * Maps over the metadata, rebuilt after any change to it: connections are re-authorised
   * every few seconds, and a linear scan per connection grows with connections × records.
   */
  private lookups(): Lookups {
    const { data, revision } = this.meta;
    if (this.index?.revision === revision) return this.index;
    this.index = {
      revision,
      users: new Map(data.users.map((u) => [u.id, u])),
      documents: new Map(data.documents.map((d) => [d.id, d])),
      // Reversed so that, as with find(), the first active record of a pair wins.
      participants: new Map(data.participants.filter((p) => !p.revokedAt).reverse().map((p) => [participantKey(p.documentId, p.userId), p])),
      invites: new Map(data.invites.map((i) => [i.tokenHash, i])),
      sessions: new Map(data.sessions.map((s) => [s.idHash, s])),
    };
    return this.index;
  }

  /** The role of a user on a plan, or refuse with 404/403. */
  requireRole(documentId: string, userId: string, capability?: Capability): Role {
    if (!this.document(documentId)) throw new WorkspaceError(404, 'document_not_found', 'This plan does not exist.');
    const participant = this.participant(documentId, userId);
    if (!participant) throw new WorkspaceError(403, 'not_a_participant', 'You are not a participant of this plan.');
    if (capability && !can(participant.role, capability)) {
      throw new WorkspaceError(403, 'role_forbids', `Your role (${participant.role}) does not allow this.`);
    }
    return participant.role;
  }

  /** Plans a user belongs to, newest edit first. */
  documentsFor(userId: string): Array<DocumentRecord & { role: Role }> {
    const roles = new Map(this.meta.data.participants.filter((p) => p.userId === userId && !p.revokedAt).map((p) => [p.documentId, p.role]));
    return this.meta.data.documents
      .filter((d) => roles.has(d.id))
      .map((d) => ({ ...d, role: roles.get(d.id)! }))
      .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
  }

  /** Create a plan from a template; the creator (if any) becomes its owner. */
  async createDocument(input: { title: string; template: TemplateName; createdBy: string | null }): Promise<DocumentRecord> {
    const title = input.title.trim() || (input.template === 'sovio' ? 'Plan de Trabajo para la mejora del SOVIO' : 'Plan sin título');
    return this.createDocumentFromContent({ title, content: templateContent(input.template, title), template: input.template, createdBy: input.createdBy });
  }

  /** Create a plan from given ProseMirror JSON (an import); the creator (if any) becomes its owner. */
  async createDocumentFromContent(input: { title: string; content: JSONContent; template?: TemplateName; createdBy: string | null }): Promise<DocumentRecord> {
    const id = newDocumentId();
    const title = input.title.trim().slice(0, 200) || 'Plan sin título';
    await this.storage.create(id, encodePlanContent(input.content));
    const record: DocumentRecord = { id, title, template: input.template ?? 'blank', createdAt: now(), updatedAt: now(), createdBy: input.createdBy };
    await this.meta.update((data) => {
      data.documents.push(record);
      if (input.createdBy) {
        data.participants.push({ documentId: id, userId: input.createdBy, role: 'owner', invitedAt: now(), invitedBy: null, joinedAt: now(), revokedAt: null });
      }
    });
    return record;
  }

  /** Rename a plan. */
  async renameDocument(documentId: string, title: string): Promise<DocumentRecord> {
    const clean = title.trim();
    if (!clean) throw new WorkspaceError(400, 'title_required', 'A plan needs a title.');
    return this.meta.update((data) => {
      const doc = data.documents.find((d) => d.id === documentId);
      if (!doc) throw new WorkspaceError(404, 'document_not_found', 'This plan does not exist.');
      doc.title = clean;
      doc.updatedAt = now();
      return doc;
    });
  }

  /** Record that a plan's content changed now (at most one metadata write per few seconds per plan). */
  private touched = new Map<string, number>();
  touchDocument(documentId: string): void {
    const last = this.touched.get(documentId) ?? 0;
    if (Date.now() - last < TOUCH_RESOLUTION_MS) return;
    this.touched.set(documentId, Date.now());
    // In memory at once (the plans page reads it); on disk with the next write, at the latest
    // in half a minute: a last-edited time is not worth a workspace rewrite every few seconds.
    const doc = this.document(documentId);
    if (doc) this.meta.updateSoon(() => (doc.updatedAt = now()), TOUCH_WRITE_MS);
  }

  /**
   * Remember which person writes with which Yjs client ids: called for every accepted update,
   * written (to its own file, within a second) only when new ids appear.
   */
  recordClientAuthors(documentId: string, clients: readonly number[], userId: string): void {
    this.meta.authors.record(documentId, clients, userId);
  }

  /** The person who wrote with a Yjs client id in a plan, if known. */
  authorOfClient(documentId: string, client: number): PublicUser | undefined {
    const userId = this.meta.authors.author(documentId, client);
    const user = userId ? this.user(userId) : undefined;
    return user ? this.publicUser(user) : undefined;
  }

  /** User ids of a plan's active participants. */
  activeParticipantIds(documentId: string): Set<string> {
    return new Set(this.meta.data.participants.filter((p) => p.documentId === documentId && !p.revokedAt).map((p) => p.userId));
  }

  /** Participants of a plan (revoked ones included, marked). */
  participants(documentId: string): Array<ParticipantRecord & PublicUser> {
    return this.meta.data.participants
      .filter((p) => p.documentId === documentId)
      .map((p) => ({ ...p, ...this.publicUser(this.user(p.userId)!) }));
  }

  /** Add a new person to a plan with a role. */
  async addParticipant(documentId: string, input: { name: string; delegation: string; role: Role; invitedBy: string | null }): Promise<ParticipantRecord> {
    if (!this.document(documentId)) throw new WorkspaceError(404, 'document_not_found', 'This plan does not exist.');
    const user: UserRecord = { id: randomUUID(), name: input.name.trim(), delegation: input.delegation.trim(), createdAt: now() };
    const participant: ParticipantRecord = { documentId, userId: user.id, role: input.role, invitedAt: now(), invitedBy: input.invitedBy, joinedAt: null, revokedAt: null };
    await this.meta.update((data) => {
      data.users.push(user);
      data.participants.push(participant);
    });
    return participant;
  }

  /** Change a participant's role; the last owner cannot be demoted. */
  async changeRole(documentId: string, userId: string, role: Role): Promise<ParticipantRecord> {
    return this.meta.update((data) => {
      const participant = data.participants.find((p) => p.documentId === documentId && p.userId === userId && !p.revokedAt);
      if (!participant) throw new WorkspaceError(404, 'participant_not_found', 'This person is not a participant of the plan.');
      if (participant.role === 'owner' && role !== 'owner') this.assertAnotherOwner(documentId, userId);
      participant.role = role;
      return participant;
    });
  }

  /** Revoke a participant's access (their invites die with it). */
  async revokeParticipant(documentId: string, userId: string): Promise<ParticipantRecord> {
    return this.meta.update((data) => {
      const participant = data.participants.find((p) => p.documentId === documentId && p.userId === userId && !p.revokedAt);
      if (!participant) throw new WorkspaceError(404, 'participant_not_found', 'This person is not a participant of the plan.');
      if (participant.role === 'owner') this.assertAnotherOwner(documentId, userId);
      participant.revokedAt = now();
      for (const invite of data.invites) if (invite.documentId === documentId && invite.userId === userId && !invite.revokedAt) invite.revokedAt = now();
      return participant;
    });
  }

  private assertAnotherOwner(documentId: string, userId: string): void {
    const others = this.meta.data.participants.filter((p) => p.documentId === documentId && p.role === 'owner' && !p.revokedAt && p.userId !== userId);
    if (others.length === 0) throw new WorkspaceError(409, 'last_owner', 'A plan must keep at least one owner.');
  }

  /** Create an invite link for a participant. The token is returned once and stored hashed. */
  async createInvite(documentId: string, input: { userId: string; reusable: boolean; expiresInHours: number; createdBy: string | null }): Promise<{ invite: InviteRecord; token: string }> {
    if (!this.participant(documentId, input.userId)) throw new WorkspaceError(404, 'participant_not_found', 'Invite a participant of this plan.');
    const hours = Math.min(Math.max(input.expiresInHours, 1 / 60), MAX_INVITE_HOURS);
    const token = newSecret();
    const invite: InviteRecord = {
      id: randomUUID(),
      documentId,
      userId: input.userId,
      tokenHash: hashSecret(token),
      reusable: input.reusable,
      createdAt: now(),
      createdBy: input.createdBy,
      expiresAt: new Date(Date.now() + hours * 3600_000).toISOString(),
      revokedAt: null,
      redemptions: [],
    };
    await this.meta.update((data) => data.invites.push(invite));
    return { invite, token };
  }

  /** Revoke one invite link. */
  async revokeInvite(documentId: string, inviteId: string): Promise<void> {
    await this.meta.update((data) => {
      const invite = data.invites.find((i) => i.id === inviteId && i.documentId === documentId);
      if (!invite) throw new WorkspaceError(404, 'invite_not_found', 'This invite link does not exist.');
      invite.revokedAt ??= now();
    });
  }

  /** Why an invite cannot be used now, or null if it can. */
  inviteProblem(invite: InviteRecord | undefined, forRedemption: boolean): string | null {
    if (!invite) return 'This invite link is not valid.';
    if (invite.revokedAt) return 'This invite link was revoked.';
    if (Date.parse(invite.expiresAt) <= Date.now()) return 'This invite link has expired; ask the plan owner for a new one.';
    if (!invite.reusable && invite.redemptions.length > 0) return forRedemption ? 'This single-use invite link was already used.' : 'This invite token was exchanged for a session.';
    if (!this.participant(invite.documentId, invite.userId)) return 'Your access to this plan was revoked.';
    return null;
  }

  /** Invites and sessions by hash, rebuilt when their lists change (a sweep re-checks every open connection). */
  /** Look up an invite by token (the token itself is never stored). */
  inviteByToken(token: string): InviteRecord | undefined {
    // A map lookup by the SHA-256 of the token: timing reveals nothing about any stored token.
    return this.lookups().invites.get(hashSecret(token));
  }

  private sessionByHash(hash: string): MetaSessions[number] | undefined {
    return this.lookups().sessions.get(hash);
  }

  /** Exchange an invite token for a new session; returns the session secret (cookie value). */
  async redeemInvite(token: string): Promise<{ sessionId: string; user: UserRecord; documentId: string }> {
    const invite = this.inviteByToken(token);
    const problem = this.inviteProblem(invite, true);
    if (problem) throw new WorkspaceError(invite ? 410 : 404, 'invite_unusable', problem);
    const sessionId = newSecret();
    await this.meta.update((data) => {
      const record = data.invites.find((i) => i.id === invite!.id)!;
      record.redemptions.push(now());
      const participant = data.participants.find((p) => p.documentId === record.documentId && p.userId === record.userId && !p.revokedAt);
      if (participant && !participant.joinedAt) participant.joinedAt = now();
      data.sessions.push({ idHash: hashSecret(sessionId), userId: record.userId, createdAt: now(), expiresAt: new Date(Date.now() + SESSION_TTL_MS).toISOString() });
    });
    return { sessionId, user: this.user(invite!.userId)!, documentId: invite!.documentId };
  }

  /** The user of a live session, or undefined. */
  sessionUser(sessionId: string): UserRecord | undefined {
    const session = this.sessionByHash(hashSecret(sessionId));
    if (!session || Date.parse(session.expiresAt) <= Date.now()) return undefined;
    return this.user(session.userId);
  }

  /** When a credential stops being valid by itself (ms since the epoch), or 0 if it is not valid now. */
  credentialExpiry(via: 'session' | 'token', secret: string): number {
    const record = via === 'session' ? this.sessionByHash(hashSecret(secret)) : this.inviteByToken(secret);
    return record ? Date.parse(record.expiresAt) : 0;
  }

  /** Whether a session (by secret) is still valid. */
  sessionValid(sessionId: string): boolean {
    return this.sessionUser(sessionId) !== undefined;
  }

  /** End one session. */
  async endSession(sessionId: string): Promise<void> {
    const hash = hashSecret(sessionId);
    await this.meta.update((data) => {
      data.sessions = data.sessions.filter((s) => s.idHash !== hash);
    });
  }

  /** End every session of a user (sign out everywhere). */
  async endAllSessions(userId: string): Promise<void> {
    await this.meta.update((data) => {
      data.sessions = data.sessions.filter((s) => s.userId !== userId);
    });
  }

  /** Drop expired sessions (housekeeping). */
  async pruneSessions(): Promise<void> {
    const t = Date.now();
    if (!this.meta.data.sessions.some((s) => Date.parse(s.expiresAt) <= t)) return;
    await this.meta.update((data) => {
      data.sessions = data.sessions.filter((s) => Date.parse(s.expiresAt) > t);
    });
  }
}
