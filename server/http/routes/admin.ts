/** /api/admin: the local CLI's door into a running server, guarded by the lock file's secret. */
import { Router } from 'express';
import { adminCreateDocument, adminInvite, DocCreateInput, InviteInput } from '../../workspace/admin-commands.ts';
import { safeEqual, WorkspaceError } from '../../workspace/workspace.ts';
import { adminCreateVersion, adminVerifyVersions, VersionCreateInput, VersionVerifyInput } from '../../versions/admin.ts';
import { parseBody } from '../app.ts';
import type { AppContext } from '../context.ts';

/** Routes of the admin API. */
export function adminRoutes(ctx: AppContext): Router {
  const router = Router();
  router.use((req, _res, next) => {
    const presented = req.header('x-minga-admin');
    if (!presented || !safeEqual(presented, ctx.adminToken)) {
      throw new WorkspaceError(403, 'admin_only', 'The admin API is for the local command-line tool.');
    }
    next();
  });
  router.post('/documents', async (req, res) => {
    res.status(201).json(await adminCreateDocument(ctx.workspace, parseBody(DocCreateInput, req)));
  });
  router.post('/invites', async (req, res) => {
    const result = await adminInvite(ctx.workspace, ctx.publicUrl(), parseBody(InviteInput, req));
    res.status(201).json(result);
  });
  router.post('/versions', async (req, res) => {
    res.status(201).json(await adminCreateVersion(ctx.versions, parseBody(VersionCreateInput, req)));
  });
  router.post('/versions/verify', async (req, res) => {
    res.json(await adminVerifyVersions(ctx.versions, parseBody(VersionVerifyInput, req)));
  });
  return router;
}
