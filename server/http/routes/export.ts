/**
 * Exports of a plan (docs/export.md): anyone who may view the plan may export it, as it is now
 * or as a captured version. Browsers start a job and poll its progress; scripts can ask for
 * the file in one request.
 */
import { Router, type Response } from 'express';
import { z } from 'zod';
import { EXPORT_FORMATS, EXPORT_LANGUAGES, type ExportOptions } from '../../../shared/export.ts';
import { WorkspaceError } from '../../workspace/workspace.ts';
import { TaskError } from '../../export/task-error.ts';
import type { ExportResult } from '../../export/export-plan.ts';
import { parseBody, requireAuth } from '../app.ts';
import type { AppContext } from '../context.ts';

/** "1", "true", "yes" (query strings) or a JSON boolean. */
const Flag = z.union([z.boolean(), z.enum(['1', '0', 'true', 'false', 'yes', 'no']).transform((v) => v === '1' || v === 'true' || v === 'yes')]);
const ExportBody = z.object({
  format: z.enum(EXPORT_FORMATS),
  version: z.string().min(1).max(64).optional(),
  comments: Flag.default(false),
  suggestions: Flag.default(true),
  lang: z.enum(EXPORT_LANGUAGES).default('es'),
});

/** Turn a refusal from export work into the API's JSON error. */
export function asWorkspaceError(error: unknown): unknown {
  return error instanceof TaskError ? new WorkspaceError(error.status, error.code, error.message) : error;
}

/** Send a produced file as a download. */
function sendFile(res: Response, result: ExportResult): void {
  const ascii = result.fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  res.setHeader('Content-Type', result.mediaType);
  res.setHeader('Content-Disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(result.fileName)}`);
  res.setHeader('Cache-Control', 'no-store');
  res.send(Buffer.from(result.bytes.buffer, result.bytes.byteOffset, result.bytes.byteLength));
}

/** Routes under /api for exports. */
export function exportRoutes(ctx: AppContext): Router {
  const router = Router();
  const { workspace } = ctx;

  /** The caller, checked to be allowed to view (and so export) the plan. */
  const viewer = (req: Parameters<typeof requireAuth>[0], documentId: string) => {
    const auth = requireAuth(req);
    if (auth.documentId && auth.documentId !== documentId) throw new WorkspaceError(403, 'token_for_other_document', 'This token is for another plan.');
    workspace.requireRole(documentId, auth.user.id, 'view');
    return { auth, title: workspace.document(documentId)!.title };
  };

  router.post('/documents/:id/exports', (req, res) => {
    const { auth, title } = viewer(req, req.params.id);
    const options: ExportOptions = parseBody(ExportBody, req);
    try {
      const job = ctx.exports.startJob({ userId: auth.user.id, documentId: req.params.id, title }, options);
      ctx.logger.info('export.started', { documentId: req.params.id, userId: auth.user.id, format: options.format, version: options.version ?? null });
      res.status(202).json({ job: ctx.exports.describe(job) });
    } catch (error) {
      throw asWorkspaceError(error);
    }
  });

  router.get('/documents/:id/exports/:jobId', (req, res) => {
    const { auth } = viewer(req, req.params.id);
    const job = ctx.exports.job(req.params.jobId, auth.user.id, req.params.id);
    if (!job) throw new WorkspaceError(404, 'export_not_found', 'This export does not exist or has expired; export again.');
    res.setHeader('Cache-Control', 'no-store');
    res.json({ job: ctx.exports.describe(job) });
  });

  router.get('/documents/:id/exports/:jobId/file', (req, res) => {
    const { auth } = viewer(req, req.params.id);
    const job = ctx.exports.job(req.params.jobId, auth.user.id, req.params.id);
    if (!job) throw new WorkspaceError(404, 'export_not_found', 'This export does not exist or has expired; export again.');
    if (job.status === 'failed') throw asWorkspaceError(job.error);
    if (!job.result) throw new WorkspaceError(409, 'export_not_ready', 'This export is not finished yet.');
    sendFile(res, job.result);
  });

  router.get('/documents/:id/export', async (req, res) => {
    const { auth, title } = viewer(req, req.params.id);
    const parsed = ExportBody.safeParse(req.query);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new WorkspaceError(400, 'invalid_input', `${issue.path.join('.') || 'query'}: ${issue.message}`);
    }
    try {
      const result = await ctx.exports.exportNow(req.params.id, title, parsed.data);
      ctx.logger.info('export.sent', { documentId: req.params.id, userId: auth.user.id, format: parsed.data.format, bytes: result.bytes.byteLength });
      sendFile(res, result);
    } catch (error) {
      throw asWorkspaceError(error);
    }
  });

  return router;
}
