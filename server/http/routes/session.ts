/** Sign-in by invite, the current session, and sign-out (here or everywhere). */
import { Router, type Response } from 'express';
import { z } from 'zod';
import { CloseCode } from '../../../shared/protocol.ts';
import { SESSION_TTL_MS, WorkspaceError } from '../../workspace/workspace.ts';
import { parseBody, requireAuth } from '../app.ts';
import { SESSION_COOKIE } from '../auth.ts';
import type { AppContext } from '../context.ts';

const RedeemBody = z.object({ token: z.string().min(10).max(200) });

/** Routes under /api for the session. */
export function sessionRoutes(ctx: AppContext): Router {
  const router = Router();

  const setSessionCookie = (res: Response, value: string, maxAge: number): void => {
    res.cookie(SESSION_COOKIE, value, { httpOnly: true, sameSite: 'lax', secure: ctx.config.secureCookies, path: '/', maxAge });
  };

  router.post('/invites/redeem', async (req, res) => {
    const { token } = parseBody(RedeemBody, req);
    try {
      const { sessionId, user, documentId } = await ctx.workspace.redeemInvite(token);
      setSessionCookie(res, sessionId, SESSION_TTL_MS);
      ctx.logger.info('session.created', { userId: user.id, documentId });
      res.json({ user: ctx.workspace.publicUser(user), documentId, csrfToken: ctx.auth.csrfToken(sessionId) });
    } catch (error) {
      if (error instanceof WorkspaceError) ctx.logger.info('invite.refused', { reason: error.message });
      throw error;
    }
  });

  router.get('/session', (req, res) => {
    const auth = requireAuth(req);
    res.json({ user: ctx.workspace.publicUser(auth.user), csrfToken: auth.via === 'session' ? ctx.auth.csrfToken(auth.secret) : null });
  });

  router.post('/session/logout', async (req, res) => {
    const auth = requireAuth(req);
    if (auth.via === 'session') await ctx.workspace.endSession(auth.secret);
    setSessionCookie(res, '', 0);
    ctx.accessChanged();
    res.json({ ok: true });
  });

  router.post('/session/logout-all', async (req, res) => {
    const auth = requireAuth(req);
    await ctx.workspace.endAllSessions(auth.user.id);
    ctx.collab.disconnectUser(auth.user.id, CloseCode.Unauthorized, 'signed out on every device');
    setSessionCookie(res, '', 0);
    ctx.logger.info('session.ended_everywhere', { userId: auth.user.id });
    res.json({ ok: true });
  });

  return router;
}
