/**
 * The Express application: security headers, the JSON API under /api, /healthz and the
 * built client. Websocket upgrades are handled beside it (see upgrade.ts).
 */
import path from 'node:path';
import { existsSync } from 'node:fs';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { rateLimit } from 'express-rate-limit';
import { z } from 'zod';
import { WorkspaceError } from '../workspace/workspace.ts';
import type { Auth } from './auth.ts';
import { SESSION_COOKIE, type Authenticator } from './auth.ts';
import { documentRoutes } from './routes/documents.ts';
import { sessionRoutes } from './routes/session.ts';
import { adminRoutes } from './routes/admin.ts';
import { milestoneRoutes } from './routes/milestones.ts';
import { versionRoutes } from './routes/versions.ts';
import { exportRoutes } from './routes/export.ts';
import { importRoutes } from './routes/import.ts';
import type { AppContext } from './context.ts';

declare module 'express-serve-static-core' {
  interface Request {
    auth?: Auth;
  }
}

/** Send a JSON error a person can act on. */
export function sendError(res: Response, status: number, code: string, message: string): void {
  res.status(status).json({ error: { code, message } });
}

/** Parse a body with a zod schema or answer 400 with what is wrong. */
export function parseBody<T>(schema: z.ZodType<T>, req: Request): T {
  const result = schema.safeParse(req.body);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new WorkspaceError(400, 'invalid_input', `${issue.path.join('.') || 'body'}: ${issue.message}`);
  }
  return result.data;
}

/** Require a signed-in caller. */
export function requireAuth(req: Request): Auth {
  if (!req.auth) throw new WorkspaceError(401, 'not_signed_in', 'Sign in by opening your invite link.');
  return req.auth;
}

/** Build the application. */
export function createApp(ctx: AppContext): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', ctx.config.trustProxy);
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          // ProseMirror and the caret extension set style attributes on nodes they create.
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:'],
          connectSrc: ["'self'"],
          fontSrc: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'none'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          reportUri: ['/api/csp-report'],
        },
      },
      crossOriginEmbedderPolicy: false,
      strictTransportSecurity: ctx.config.secureCookies,
    }),
  );

  app.get('/healthz', (_req, res) => {
    res.json({ ok: true, version: ctx.version, uptimeSeconds: Math.round(process.uptime()), openDocuments: ctx.collab.openDocuments });
  });

  app.post('/api/csp-report', express.json({ type: ['application/csp-report', 'application/json', 'application/reports+json'], limit: '16kb' }), (req, res) => {
    ctx.logger.warn('csp.violation', { report: JSON.stringify(req.body).slice(0, 2000) });
    ctx.cspReports.push(req.body);
    if (ctx.cspReports.length > 100) ctx.cspReports.shift();
    res.status(204).end();
  });

  const api = express.Router();
  api.use(express.json({ limit: '256kb' }));
  api.use((req, _res, next) => {
    req.auth = ctx.auth.fromHeaders(req.headers);
    next();
  });
  api.use(csrfProtection(ctx.auth));
  api.use(
    '/invites/redeem',
    rateLimit({ windowMs: 60_000, limit: ctx.config.redeemPerMinute, standardHeaders: 'draft-8', legacyHeaders: false, handler: (_req, res) => sendError(res, 429, 'rate_limited', 'Too many attempts; wait a minute and try again.') }),
  );
  api.use(sessionRoutes(ctx));
  api.use(importRoutes(ctx));
  api.use(documentRoutes(ctx));
  api.use(exportRoutes(ctx));
  api.use(versionRoutes(ctx));
  api.use(milestoneRoutes(ctx));
  api.use('/admin', adminRoutes(ctx));
  api.use((_req, res) => sendError(res, 404, 'not_found', 'No such API route.'));
  app.use('/api', api);

  const clientDir = ctx.config.clientDir;
  if (existsSync(path.join(clientDir, 'index.html'))) {
    app.use(express.static(clientDir, { index: false, maxAge: '1h' }));
    app.get(/^\/(?!api\/|collab\/|healthz).*/, (_req, res) => {
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile(path.join(clientDir, 'index.html'));
    });
  } else {
    app.get('/', (_req, res) => {
      res.status(503).type('text/plain').send('The client is not built. Run `npm start` (it builds the client) or `npm run build`.');
    });
  }

  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (error instanceof WorkspaceError) return sendError(res, error.status, error.code, error.message);
    const status = (error as { status?: number }).status;
    if (status === 413) return sendError(res, 413, 'too_large', 'The request body is too large.');
    if (status === 400) return sendError(res, 400, 'invalid_json', 'The request body is not valid JSON.');
    ctx.logger.error('http.error', { error: (error as Error).message });
    sendError(res, 500, 'internal', 'Something went wrong on the server; nothing was changed. Try again.');
  });
  return app;
}

/**
 * Cookie-authenticated state changes need the session's CSRF token and, when the browser
 * names one, our own Origin. Bearer-token calls carry no ambient authority and are exempt.
 */
function csrfProtection(auth: Authenticator) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return next();
    const origin = req.headers.origin;
    if (origin && !auth.originAllowed(origin, req.headers.host)) {
      return sendError(res, 403, 'origin_refused', 'Requests from other sites are not accepted.');
    }
    if (req.auth?.via === 'session' && !auth.csrfValid(req.auth.secret, req.header('x-csrf-token'))) {
      return sendError(res, 403, 'csrf', 'The page is out of date; reload it and try again.');
    }
    next();
  };
}

export { SESSION_COOKIE };
