import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import net from 'node:net';
import * as Y from 'yjs';
import { CloseCode, YName } from '../shared/protocol.ts';
import { connectClient, rawClient, synced, syncUpdateMessage, waitFor, type TestClient } from './helpers/clients.ts';
import { browserish, signIn } from './helpers/http.ts';
import { removeDir, startTestServer, type TestServer } from './helpers/server.ts';

let server: TestServer;
let canary: TestClient;

beforeAll(async () => {
  server = await startTestServer({ config: { limits: { ...(await import('../server/collab/types.ts')).DEFAULT_LIMITS, maxMessageBytes: 64 * 1024, messagesPerSecond: 50, messageBurst: 100 } } });
  const { token } = await server.invite('editor', { name: 'Canary' });
  canary = connectClient(server.wsUrl, server.documentId, token);
  await synced(canary);
});
afterAll(async () => {
  canary.destroy();
  await server.stop();
  removeDir(server.dataDir);
});

/** The canary still gets edits through: the server kept serving. */
async function canaryStillServed(): Promise<void> {
  const { token } = await server.invite('editor', { name: 'Witness' });
  const witness = connectClient(server.wsUrl, server.documentId, token);
  await synced(witness);
  const marker = `alive-${Math.random()}`;
  canary.doc.getMap('unused'); // touching nothing in the body
  const text = ((canary.doc.getXmlFragment(YName.body).get(1) as Y.XmlElement).get(0) as Y.XmlText);
  text.insert(0, marker);
  await waitFor(() => witness.doc.getXmlFragment(YName.body).toString().includes(marker), 5000, 'canary edit');
  witness.destroy();
}

const wsFor = (token: string, documentId = server.documentId) => `${server.wsUrl}/${documentId}?token=${token}`;

describe('sign-in and sessions', () => {
  it('an invite link signs in with an HttpOnly SameSite cookie; the token is never stored in clear', async () => {
    const { token } = await server.invite('editor', { name: 'Cookie' });
    const b = browserish(server.url);
    const res = await fetch(new URL('/api/invites/redeem', server.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token }) });
    const cookie = res.headers.getSetCookie().join(';');
    expect(cookie).toMatch(/minga_session=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(JSON.stringify(server.workspace.meta.data)).not.toContain(token);
    expect(b).toBeTruthy();
  });

  it('a single-use link works once; an expired or revoked link is refused with a reason', async () => {
    const participant = await server.workspace.addParticipant(server.documentId, { name: 'Once', delegation: 'OEA', role: 'viewer', invitedBy: null });
    const single = await server.workspace.createInvite(server.documentId, { userId: participant.userId, reusable: false, expiresInHours: 1, createdBy: null });
    expect((await browserish(server.url).request('POST', '/api/invites/redeem', { token: single.token })).status).toBe(200);
    const again = await browserish(server.url).request('POST', '/api/invites/redeem', { token: single.token });
    expect(again.status).toBe(410);
    expect(again.body.error.message).toMatch(/already used/);

    const expiring = await server.workspace.createInvite(server.documentId, { userId: participant.userId, reusable: true, expiresInHours: 1, createdBy: null });
    await server.workspace.meta.update((d) => (d.invites.find((i) => i.id === expiring.invite.id)!.expiresAt = new Date(Date.now() - 1000).toISOString()));
    const expired = await browserish(server.url).request('POST', '/api/invites/redeem', { token: expiring.token });
    expect(expired.status).toBe(410);
    expect(expired.body.error.message).toMatch(/expired/);
    const ws = rawClient(wsFor(expiring.token));
    expect((await ws.closed).code).toBe(CloseCode.Unauthorized);

    const revoked = await server.workspace.createInvite(server.documentId, { userId: participant.userId, reusable: true, expiresInHours: 1, createdBy: null });
    await server.workspace.revokeInvite(server.documentId, revoked.invite.id);
    expect((await browserish(server.url).request('POST', '/api/invites/redeem', { token: revoked.token })).body.error.message).toMatch(/revoked/);
    expect((await rawClient(wsFor(revoked.token)).closed).code).toBe(CloseCode.Unauthorized);
  });

  it('cookie-authenticated changes need the CSRF token and our Origin', async () => {
    const { token } = await server.invite('owner', { name: 'Csrf' });
    const b = await signIn(server.url, token);
    const csrf = b.csrf;
    b.csrf = null;
    const without = await b.request('PATCH', `/api/documents/${server.documentId}`, { title: 'Hacked' });
    expect(without.status).toBe(403);
    expect(without.body.error.code).toBe('csrf');
    b.csrf = csrf;
    const foreign = await b.request('PATCH', `/api/documents/${server.documentId}`, { title: 'Hacked' }, { origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    const ok = await b.request('PATCH', `/api/documents/${server.documentId}`, { title: 'Plan renombrado' }, { origin: server.url });
    expect(ok.status).toBe(200);
    expect(ok.body.document.title).toBe('Plan renombrado');
  });

  it('signing out everywhere ends every session and closes open sockets', async () => {
    const { token } = await server.invite('editor', { name: 'Everywhere' });
    const phone = await signIn(server.url, token);
    const laptop = await signIn(server.url, token);
    const ws = rawClient(`${server.wsUrl}/${server.documentId}`, { cookie: laptop.cookieHeader(), origin: server.url });
    await ws.opened;
    expect((await phone.request('POST', '/api/session/logout-all')).status).toBe(200);
    expect((await laptop.request('GET', '/api/session')).status).toBe(401);
    expect((await ws.closed).code).toBe(CloseCode.Unauthorized);
  });

  it('API routes refuse callers without a session and roles without the right', async () => {
    expect((await browserish(server.url).request('GET', '/api/documents')).status).toBe(401);
    const { token } = await server.invite('editor', { name: 'NotOwner' });
    const editor = await signIn(server.url, token);
    const res = await editor.request('POST', `/api/documents/${server.documentId}/participants`, { name: 'X', delegation: 'Y', role: 'owner' });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(/does not allow/);
  });
});

describe('websocket refusals', () => {
  it('unknown documents, foreign-document tokens and bad origins get named close codes', async () => {
    const { token } = await server.invite('editor', { name: 'Refusals' });
    expect((await rawClient(wsFor(token, 'doesNotExist')).closed).code).toBe(CloseCode.Forbidden); // token is for another plan
    const other = await server.workspace.createDocument({ title: 'Otro', template: 'blank', createdBy: null });
    expect((await rawClient(wsFor(token, other.id)).closed).code).toBe(CloseCode.Forbidden);
    const owner = await server.invite('owner', { name: 'Origin' });
    const b = await signIn(server.url, owner.token);
    expect((await rawClient(`${server.wsUrl}/unknownDoc`, { cookie: b.cookieHeader(), origin: server.url }).closed).code).toBe(CloseCode.DocumentNotFound);
    expect((await rawClient(`${server.wsUrl}/${server.documentId}`, { cookie: b.cookieHeader() }).closed).code).toBe(CloseCode.Unauthorized); // no Origin
    expect((await rawClient(`${server.wsUrl}/${server.documentId}`, { cookie: b.cookieHeader(), origin: 'https://evil.example' }).closed).code).toBe(CloseCode.Forbidden);
    expect((await rawClient(wsFor('not-a-token')).closed).code).toBe(CloseCode.Unauthorized);
    await canaryStillServed();
  });

  it('oversized, malformed and unknown messages close only that connection', async () => {
    const { token } = await server.invite('editor', { name: 'Hostile' });
    const big = rawClient(wsFor(token));
    await big.opened;
    big.send(syncUpdateMessage(new Uint8Array(70 * 1024)));
    expect((await big.closed).code).toBe(CloseCode.MessageTooBig);

    const malformed = rawClient(wsFor(token));
    await malformed.opened;
    malformed.send(syncUpdateMessage(new Uint8Array([1, 0xff, 0xff, 0xff, 0xff, 0x0f, 1, 0, 0, 0])));
    expect((await malformed.closed).code).toBe(CloseCode.BadPayload);

    const unknown = rawClient(wsFor(token));
    await unknown.opened;
    unknown.send(new Uint8Array([42, 1, 2, 3]));
    expect((await unknown.closed).code).toBe(CloseCode.BadPayload);

    const garbage = rawClient(wsFor(token));
    await garbage.opened;
    garbage.send(new Uint8Array([0xff, 0xff]));
    expect([CloseCode.BadPayload, CloseCode.ProtocolError]).toContain((await garbage.closed).code);
    await canaryStillServed();
  });

  it('a message flood is cut off with a rate-limit close', async () => {
    const { token } = await server.invite('editor', { name: 'Flood' });
    const flood = rawClient(wsFor(token));
    await flood.opened;
    for (let i = 0; i < 500; i++) flood.send(new Uint8Array([3])); // query awareness, cheap to send
    expect((await flood.closed).code).toBe(CloseCode.RateLimited);
    await canaryStillServed();
  });

  it('sockets that never authenticate do not stop the server from serving others', async () => {
    const sockets = await Promise.all(
      Array.from({ length: 200 }, () => new Promise<net.Socket>((resolve) => {
        const s = net.connect(Number(new URL(server.url).port), '127.0.0.1', () => resolve(s));
        s.on('error', () => {});
      })),
    );
    await canaryStillServed();
    sockets.forEach((s) => s.destroy());
  });
});

describe('role changes on open connections', () => {
  it('a promoted viewer can edit without reconnecting; a revoked participant is disconnected', async () => {
    const { token, userId } = await server.invite('viewer', { name: 'Promoted' });
    const raw = rawClient(wsFor(token));
    await raw.opened;
    await waitFor(() => raw.doc.getXmlFragment(YName.body).length > 0, 5000, 'sync');
    const edit = (marker: string): Uint8Array => {
      const copy = new Y.Doc();
      Y.applyUpdate(copy, Y.encodeStateAsUpdate(raw.doc));
      const sv = Y.encodeStateVector(copy);
      ((copy.getXmlFragment(YName.body).get(1) as Y.XmlElement).get(0) as Y.XmlText).insert(0, marker);
      return Y.encodeStateAsUpdate(copy, sv);
    };
    raw.sendUpdate(edit('[as-viewer]'));
    await waitFor(() => raw.notices.some((n) => n.kind === 'update-refused'), 5000, 'refusal');

    await server.workspace.changeRole(server.documentId, userId, 'editor');
    server.context.accessChanged();
    await waitFor(() => raw.notices.some((n) => n.kind === 'role-changed' && n.role === 'editor'), 3000, 'role-changed notice');
    raw.sendUpdate(edit('[as-editor]'));
    await waitFor(() => canary.doc.getXmlFragment(YName.body).toString().includes('[as-editor]'), 5000, 'promoted edit');
    expect(canary.doc.getXmlFragment(YName.body).toString()).not.toContain('[as-viewer]');

    await server.workspace.revokeParticipant(server.documentId, userId);
    const started = Date.now();
    expect((await raw.closed).code).toBe(CloseCode.Forbidden);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
