/** Plans, their participants and their invite links. */
import { Router } from 'express';
import { z } from 'zod';
import { ROLES } from '../../../shared/roles.ts';
import { TEMPLATES } from '../../../shared/template.ts';
import { inviteUrl, MAX_INVITE_HOURS, WorkspaceError } from '../../workspace/workspace.ts';
import { parseBody, requireAuth } from '../app.ts';
import type { AppContext } from '../context.ts';
import type { DocumentRecord, InviteRecord } from '../../store/meta-store.ts';

const Name = z.string().trim().min(1).max(120);
const CreateDocumentBody = z.object({ title: z.string().max(200).default(''), template: z.enum(TEMPLATES).default('sovio') });
const RenameBody = z.object({ title: z.string().trim().min(1).max(200) });
const AddParticipantBody = z.object({ name: Name, delegation: Name, role: z.enum(ROLES) });
const ChangeRoleBody = z.object({ role: z.enum(ROLES) });
const CreateInviteBody = z.object({
  userId: z.string().min(1).max(64),
  reusable: z.boolean().default(false),
  expiresInHours: z.number().positive().max(MAX_INVITE_HOURS).default(72),
});

/** The status of an invite as the owner sees it. */
function inviteStatus(invite: InviteRecord): 'active' | 'used' | 'expired' | 'revoked' {
  if (invite.revokedAt) return 'revoked';
  if (Date.parse(invite.expiresAt) <= Date.now()) return 'expired';
  if (!invite.reusable && invite.redemptions.length > 0) return 'used';
  return 'active';
}

/** Routes under /api for plans. */
export function documentRoutes(ctx: AppContext): Router {
  const router = Router();
  const { workspace } = ctx;

  const present = (doc: DocumentRecord, role: string) => ({
    id: doc.id,
    title: doc.title,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
    role,
    online: uniqueOnline(doc.id),
  });
  const uniqueOnline = (documentId: string) => {
    const seen = new Map<string, { id: string; name: string; delegation: string; color: string }>();
    for (const i of ctx.collab.presence(documentId)) seen.set(i.userId, { id: i.userId, name: i.name, delegation: i.delegation, color: i.color });
    return [...seen.values()];
  };
  /** Tokens open one plan only. */
  const scoped = (auth: ReturnType<typeof requireAuth>, documentId: string): void => {
    if (auth.documentId && auth.documentId !== documentId) throw new WorkspaceError(403, 'token_for_other_document', 'This token is for another plan.');
  };

  router.get('/documents', (req, res) => {
    const auth = requireAuth(req);
    const docs = workspace.documentsFor(auth.user.id).filter((d) => !auth.documentId || d.id === auth.documentId);
    res.json({ documents: docs.map((d) => present(d, d.role)) });
  });

  router.post('/documents', async (req, res) => {
    const auth = requireAuth(req);
    if (auth.via !== 'session') throw new WorkspaceError(403, 'session_required', 'Sign in to create plans.');
    const body = parseBody(CreateDocumentBody, req);
    const doc = await workspace.createDocument({ title: body.title, template: body.template, createdBy: auth.user.id });
    ctx.logger.info('document.created', { documentId: doc.id, userId: auth.user.id, template: body.template });
    res.status(201).json({ document: present(doc, 'owner') });
  });

  router.get('/documents/:id', (req, res) => {
    const auth = requireAuth(req);
    scoped(auth, req.params.id);
    const role = workspace.requireRole(req.params.id, auth.user.id);
    res.json({ document: present(workspace.document(req.params.id)!, role) });
  });

  router.patch('/documents/:id', async (req, res) => {
    const auth = requireAuth(req);
    scoped(auth, req.params.id);
    const role = workspace.requireRole(req.params.id, auth.user.id, 'editText');
    const { title } = parseBody(RenameBody, req);
    const doc = await workspace.renameDocument(req.params.id, title);
    ctx.logger.info('document.renamed', { documentId: doc.id, userId: auth.user.id });
    res.json({ document: present(doc, role) });
  });

  router.get('/documents/:id/participants', (req, res) => {
    const auth = requireAuth(req);
    scoped(auth, req.params.id);
    workspace.requireRole(req.params.id, auth.user.id, 'view');
    const online = new Set(ctx.collab.presence(req.params.id).map((i) => i.userId));
    const participants = workspace.participants(req.params.id).map((p) => ({
      userId: p.userId,
      name: p.name,
      delegation: p.delegation,
      color: p.color,
      role: p.role,
      invitedAt: p.invitedAt,
      joinedAt: p.joinedAt,
      revokedAt: p.revokedAt,
      online: online.has(p.userId),
    }));
    res.json({ participants });
  });

  router.post('/documents/:id/participants', async (req, res) => {
    const auth = requireAuth(req);
    scoped(auth, req.params.id);
    workspace.requireRole(req.params.id, auth.user.id, 'manage');
    const body = parseBody(AddParticipantBody, req);
    const participant = await workspace.addParticipant(req.params.id, { ...body, invitedBy: auth.user.id });
    ctx.logger.info('participant.added', { documentId: req.params.id, userId: participant.userId, role: participant.role });
    res.status(201).json({ participant: { ...participant, ...workspace.publicUser(workspace.user(participant.userId)!) } });
  });

  router.patch('/documents/:id/participants/:userId', async (req, res) => {
    const auth = requireAuth(req);
    scoped(auth, req.params.id);
    workspace.requireRole(req.params.id, auth.user.id, 'manage');
    const { role } = parseBody(ChangeRoleBody, req);
    const participant = await workspace.changeRole(req.params.id, req.params.userId, role);
    ctx.logger.info('participant.role_changed', { documentId: req.params.id, userId: req.params.userId, role });
    ctx.accessChanged();
    res.json({ participant: { ...participant, ...workspace.publicUser(workspace.user(participant.userId)!) } });
  });

  router.delete('/documents/:id/participants/:userId', async (req, res) => {
    const auth = requireAuth(req);
    scoped(auth, req.params.id);
    workspace.requireRole(req.params.id, auth.user.id, 'manage');
    await workspace.revokeParticipant(req.params.id, req.params.userId);
    ctx.logger.info('participant.revoked', { documentId: req.params.id, userId: req.params.userId });
    ctx.accessChanged();
    res.json({ ok: true });
  });

  router.get('/documents/:id/invites', (req, res) => {
    const auth = requireAuth(req);
    scoped(auth, req.params.id);
    workspace.requireRole(req.params.id, auth.user.id, 'manage');
    const invites = workspace.meta.data.invites
      .filter((i) => i.documentId === req.params.id)
      .map(({ tokenHash: _hidden, ...invite }) => ({ ...invite, status: inviteStatus({ ...invite, tokenHash: '' }) }));
    res.json({ invites });
  });

  router.post('/documents/:id/invites', async (req, res) => {
    const auth = requireAuth(req);
    scoped(auth, req.params.id);
    workspace.requireRole(req.params.id, auth.user.id, 'manage');
    const body = parseBody(CreateInviteBody, req);
    const { invite, token } = await workspace.createInvite(req.params.id, { ...body, createdBy: auth.user.id });
    ctx.logger.info('invite.created', { documentId: req.params.id, inviteId: invite.id, reusable: invite.reusable });
    const { tokenHash: _hidden, ...visible } = invite;
    res.status(201).json({ invite: { ...visible, status: inviteStatus(invite) }, token, url: inviteUrl(ctx.publicUrl(), token) });
  });

  router.delete('/documents/:id/invites/:inviteId', async (req, res) => {
    const auth = requireAuth(req);
    scoped(auth, req.params.id);
    workspace.requireRole(req.params.id, auth.user.id, 'manage');
    await workspace.revokeInvite(req.params.id, req.params.inviteId);
    ctx.logger.info('invite.revoked', { documentId: req.params.id, inviteId: req.params.inviteId });
    ctx.accessChanged();
    res.json({ ok: true });
  });

  return router;
}
