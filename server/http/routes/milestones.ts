/** The milestones of a plan: everyone on it sees them; only the owner adds, edits and removes them. */
import { Router } from 'express';
import { MilestoneInput, MilestonePatch } from '../../versions/milestones.ts';
import { parseBody } from '../app.ts';
import type { AppContext } from '../context.ts';
import { planAccess } from './versions.ts';

/** Routes under /api for milestones. */
export function milestoneRoutes(ctx: AppContext): Router {
  const router = Router();
  const { milestones, versions } = ctx;
  const view = async (documentId: string, milestoneId: string) => (await versions.milestoneViews(documentId)).find((m) => m.id === milestoneId)!;

  router.get('/documents/:id/milestones', async (req, res) => {
    const { documentId } = planAccess(ctx, req, 'view');
    res.json({ milestones: await versions.milestoneViews(documentId) });
  });

  router.post('/documents/:id/milestones', async (req, res) => {
    const { auth, documentId } = planAccess(ctx, req, 'manage');
    const created = await milestones.create(documentId, parseBody(MilestoneInput, req));
    ctx.logger.info('milestone.created', { documentId, milestoneId: created.id, userId: auth.user.id });
    res.status(201).json({ milestone: await view(documentId, created.id) });
  });

  router.patch('/documents/:id/milestones/:milestoneId', async (req, res) => {
    const { auth, documentId } = planAccess(ctx, req, 'manage');
    const updated = await milestones.update(documentId, String(req.params.milestoneId), parseBody(MilestonePatch, req));
    ctx.logger.info('milestone.updated', { documentId, milestoneId: updated.id, userId: auth.user.id });
    res.json({ milestone: await view(documentId, updated.id) });
  });

  router.delete('/documents/:id/milestones/:milestoneId', async (req, res) => {
    const { auth, documentId } = planAccess(ctx, req, 'manage');
    await milestones.remove(documentId, String(req.params.milestoneId));
    ctx.logger.info('milestone.removed', { documentId, milestoneId: req.params.milestoneId, userId: auth.user.id });
    res.json({ ok: true });
  });

  return router;
}
