/**
 * Named versions of a plan: list, capture, open (JSON and standalone HTML), compare (JSON and
 * HTML), restore and verify (docs/versions.md). Everyone on the plan may read history and
 * compare; owners and editors capture and restore.
 */
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Capability, Role } from '../../../shared/roles.ts';
import { VERSION_LIMITS } from '../../../shared/versions.ts';
import { comparePage, versionPage } from '../../versions/render-html.ts';
import { WorkspaceError } from '../../workspace/workspace.ts';
import type { Auth } from '../auth.ts';
import { parseBody, requireAuth } from '../app.ts';
import type { AppContext } from '../context.ts';

/** A policy for the standalone pages: styles inline, nothing else, never framed. */
const STANDALONE_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const Id = z.string().min(1).max(64);
const CaptureBody = z.object({ name: z.string().trim().min(1, 'give the version a name').max(VERSION_LIMITS.name), milestoneId: Id.nullable().default(null) });
const CompareQuery = z.object({ from: Id, to: Id });

/** The caller, checked against a plan and a capability (tokens open only their own plan). */
export function planAccess(ctx: AppContext, req: Request, capability: Capability): { auth: Auth; role: Role; documentId: string } {
  const auth = requireAuth(req);
  const documentId = String(req.params.id);
  if (auth.documentId && auth.documentId !== documentId) throw new WorkspaceError(403, 'token_for_other_document', 'This token is for another plan.');
  const role = ctx.workspace.requireRole(documentId, auth.user.id, capability);
  return { auth, role, documentId };
}

function sendPage(res: Response, html: string): void {
  res.setHeader('Content-Security-Policy', STANDALONE_CSP);
  res.setHeader('Cache-Control', 'no-store');
  res.type('html').send(html);
}

function compareQuery(req: Request): z.infer<typeof CompareQuery> {
  const parsed = CompareQuery.safeParse(req.query);
  if (!parsed.success) throw new WorkspaceError(400, 'invalid_input', 'Name the two sides to compare: ?from=<version id>&to=<version id or "current">.');
  return parsed.data;
}

/** Routes under /api for versions and comparisons. */
export function versionRoutes(ctx: AppContext): Router {
  const router = Router();
  const { versions } = ctx;
  const planTitle = (documentId: string): string => ctx.workspace.document(documentId)?.title ?? '';

  router.get('/documents/:id/versions', async (req, res) => {
    const { documentId } = planAccess(ctx, req, 'view');
    const [list, chain] = await Promise.all([versions.list(documentId), versions.chainStatus(documentId)]);
    res.json({ versions: list, chain });
  });

  router.post('/documents/:id/versions', async (req, res) => {
    const { auth, documentId } = planAccess(ctx, req, 'captureVersion');
    const body = parseBody(CaptureBody, req);
    const version = await versions.captureVersion(documentId, {
      name: body.name,
      milestoneId: body.milestoneId,
      capturedBy: { kind: 'person', id: auth.user.id, name: auth.user.name, delegation: auth.user.delegation },
    });
    res.status(201).json({ version });
  });

  router.get('/documents/:id/versions/verify', async (req, res) => {
    const { documentId } = planAccess(ctx, req, 'view');
    res.json(await versions.verifyVersionChain(documentId));
  });

  router.get('/documents/:id/versions/:versionId', async (req, res) => {
    const { documentId } = planAccess(ctx, req, 'view');
    res.json(await versions.openVersion(documentId, String(req.params.versionId)));
  });

  router.get('/documents/:id/versions/:versionId/html', async (req, res) => {
    const { documentId } = planAccess(ctx, req, 'view');
    const { version, doc } = await versions.versionTree(documentId, String(req.params.versionId));
    sendPage(res, versionPage({ planTitle: planTitle(documentId), version, doc }));
  });

  router.post('/documents/:id/versions/:versionId/restore', async (req, res) => {
    const { auth, documentId } = planAccess(ctx, req, 'captureVersion');
    ctx.workspace.requireRole(documentId, auth.user.id, 'editText');
    const result = await versions.restoreVersion(documentId, String(req.params.versionId), { kind: 'person', id: auth.user.id, name: auth.user.name, delegation: auth.user.delegation });
    res.json(result);
  });

  router.get('/documents/:id/compare', async (req, res) => {
    const { documentId } = planAccess(ctx, req, 'view');
    const { from, to } = compareQuery(req);
    res.json(await versions.compareVersions(documentId, from, to));
  });

  router.get('/documents/:id/compare/html', async (req, res) => {
    const { documentId } = planAccess(ctx, req, 'view');
    const { from, to } = compareQuery(req);
    const result = await versions.compareVersions(documentId, from, to);
    sendPage(res, comparePage({ planTitle: planTitle(documentId), result }));
  });

  return router;
}
