/**
 * Import of a DOCX or Markdown file as a new plan (docs/export.md). Like "Nuevo plan", anyone
 * signed in may do it and becomes the new plan's owner. The file is the raw request body;
 * every check and the conversion run before the plan is created, so a refused upload changes
 * nothing, and what could not be imported is listed in the answer.
 */
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import { IMPORT_FORMATS, MAX_IMPORT_BYTES, type ImportFormat } from '../../../shared/export.ts';
import { WorkspaceError } from '../../workspace/workspace.ts';
import { requireAuth } from '../app.ts';
import type { AppContext } from '../context.ts';
import { asWorkspaceError } from './export.ts';

const ImportQuery = z.object({
  format: z.enum(IMPORT_FORMATS).optional(),
  filename: z.string().max(255).optional(),
  title: z.string().max(200).optional(),
});

const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** The upload as bytes, refused with a clear message past the size limit. */
function rawUpload() {
  const parse = express.raw({ type: () => true, limit: MAX_IMPORT_BYTES });
  return (req: Request, res: Response, next: NextFunction) =>
    parse(req, res, (error?: unknown) => {
      if ((error as { status?: number } | undefined)?.status === 413) {
        return next(new WorkspaceError(413, 'upload_too_large', `The file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB; nothing was imported. Split the document or remove large images and try again.`));
      }
      next(error);
    });
}

/** Which importer reads the upload: asked for, or told by the file name or media type. */
function formatOf(query: z.infer<typeof ImportQuery>, contentType: string | undefined): ImportFormat {
  if (query.format) return query.format;
  const name = query.filename?.toLowerCase() ?? '';
  if (name.endsWith('.docx') || contentType?.startsWith(DOCX_TYPE)) return 'docx';
  if (/\.(md|markdown|txt)$/.test(name) || contentType?.startsWith('text/markdown') || contentType?.startsWith('text/plain')) return 'md';
  throw new WorkspaceError(415, 'unsupported_format', 'Import a Word document (.docx) or a Markdown file (.md).');
}

/** Routes under /api for imports. */
export function importRoutes(ctx: AppContext): Router {
  const router = Router();

  router.post('/documents/import', rawUpload(), async (req, res) => {
    const auth = requireAuth(req);
    if (auth.via !== 'session') throw new WorkspaceError(403, 'session_required', 'Sign in to create plans.');
    const parsed = ImportQuery.safeParse(req.query);
    if (!parsed.success) throw new WorkspaceError(400, 'invalid_input', `${parsed.error.issues[0].path.join('.')}: ${parsed.error.issues[0].message}`);
    const format = formatOf(parsed.data, req.headers['content-type']);
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    if (body.length === 0) throw new WorkspaceError(400, 'empty_upload', 'The file is empty; nothing was imported.');

    let result;
    try {
      result = await ctx.exports.importFile({ format, bytes: new Uint8Array(body.buffer, body.byteOffset, body.byteLength) });
    } catch (error) {
      const refusal = asWorkspaceError(error);
      ctx.logger.info('import.refused', { userId: auth.user.id, format, bytes: body.length, code: (refusal as WorkspaceError).code ?? 'failed' });
      throw refusal;
    }
    const fromName = parsed.data.filename?.replace(/\.[^.]+$/, '').trim();
    const title = parsed.data.title?.trim() || result.heading || fromName || 'Plan importado';
    const doc = await ctx.workspace.createDocumentFromContent({ title, content: result.content, createdBy: auth.user.id });
    ctx.logger.info('document.imported', { documentId: doc.id, userId: auth.user.id, format, bytes: body.length, notImported: result.notes.map((n) => n.code) });
    res.status(201).json({
      document: { id: doc.id, title: doc.title, createdAt: doc.createdAt, updatedAt: doc.updatedAt, role: 'owner', online: [] },
      notImported: result.notes,
    });
  });

  return router;
}
