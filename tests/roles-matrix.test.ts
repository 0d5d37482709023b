import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { YName } from '../shared/protocol.ts';
import { ROLES, type Role } from '../shared/roles.ts';
import { planText, readPlanContent } from '../shared/plan-doc.ts';
import { FileDocumentStorage } from '../server/store/file-document-storage.ts';
import { awarenessMessage, connectClient, rawClient, synced, waitFor, type RawClient, type TestClient } from './helpers/clients.ts';
import { removeDir, startTestServer, type TestServer } from './helpers/server.ts';
import path from 'node:path';

let server: TestServer;
let observer: TestClient;

beforeAll(async () => {
  server = await startTestServer();
  const { token } = await server.invite('editor', { name: 'Observer' });
  observer = connectClient(server.wsUrl, server.documentId, token);
  await synced(observer);
});
afterAll(async () => {
  observer.destroy();
  await server.stop();
  removeDir(server.dataDir);
});

/** A raw client of a role, synced with the server's copy of the plan. */
async function rawAs(role: Role): Promise<RawClient> {
  const { token } = await server.invite(role, { name: `Raw ${role}`, delegation: 'Panamá · MITRADEL' });
  const raw = rawClient(`${server.wsUrl}/${server.documentId}?token=${token}`);
  await raw.opened;
  await waitFor(() => raw.doc.getXmlFragment(YName.body).length > 0, 5000, 'initial sync');
  return raw;
}

/** The update a change to a copy of the client's doc would produce. */
function forge(raw: RawClient, change: (doc: Y.Doc) => void): Uint8Array {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(raw.doc));
  const before = Y.encodeStateVector(copy);
  change(copy);
  return Y.encodeStateAsUpdate(copy, before);
}

const firstText = (doc: Y.Doc): Y.XmlText => (doc.getXmlFragment(YName.body).get(1) as Y.XmlElement).get(0) as Y.XmlText;

/** What the stored files say, after the server has flushed the room. */
async function storedText(): Promise<string> {
  await server.collab.room(server.documentId)?.save();
  const doc = new Y.Doc();
  for (const u of (await new FileDocumentStorage(path.join(server.dataDir, 'documents')).load(server.documentId))!) Y.applyUpdate(doc, u);
  return planText(readPlanContent(doc)) + JSON.stringify(doc.share.has('evil'));
}

const canEdit: Record<Role, boolean> = { owner: true, editor: true, suggester: false, commenter: false, viewer: false };

describe.each(ROLES.map((r) => [r]))('role matrix through a raw client: %s', (role) => {
  it(canEdit[role] ? `${role} edits the plan text and others see it` : `${role} cannot edit the plan text; nothing is applied, broadcast or stored`, async () => {
    const raw = await rawAs(role);
    const marker = `[${role}-edit]`;
    const storedBefore = await storedText();
    raw.sendUpdate(forge(raw, (doc) => firstText(doc).insert(0, marker)));
    if (canEdit[role]) {
      await waitFor(() => firstText(observer.doc).toString().includes(marker), 5000, 'edit to arrive');
    } else {
      await waitFor(() => raw.notices.some((n) => n.kind === 'update-refused'), 5000, 'refusal notice');
      // Refused for good: the client's copy must be dropped and synced afresh.
      expect(raw.notices.find((n) => n.kind === 'update-refused')).toMatchObject({ resync: true });
      await new Promise((r) => setTimeout(r, 200));
      expect(firstText(observer.doc).toString()).not.toContain(marker);
      expect(firstText(server.collab.room(server.documentId)!.doc).toString()).not.toContain(marker);
      expect(await storedText()).toBe(storedBefore);
    }
    raw.ws.close();
  });

  it(`${role} cannot delete plan text unless it may edit`, async () => {
    const raw = await rawAs(role);
    const before = firstText(observer.doc).toString();
    raw.sendUpdate(forge(raw, (doc) => firstText(doc).delete(0, 5)));
    if (canEdit[role]) await waitFor(() => firstText(observer.doc).toString() !== before, 5000, 'delete to arrive');
    else {
      await waitFor(() => raw.notices.some((n) => n.kind === 'update-refused'), 5000, 'refusal notice');
      expect(firstText(observer.doc).toString()).toBe(before);
    }
    raw.ws.close();
  });

  it(`${role} cannot write outside the plan body`, async () => {
    const raw = await rawAs(role);
    raw.sendUpdate(forge(raw, (doc) => doc.getMap('evil').set('x', 'injected')));
    await waitFor(() => raw.notices.some((n) => n.kind === 'update-refused'), 5000, 'refusal notice');
    await new Promise((r) => setTimeout(r, 100));
    expect(observer.doc.share.has('evil')).toBe(false);
    expect(server.collab.room(server.documentId)!.doc.share.has('evil')).toBe(false);
    expect(await storedText()).toContain('false');
    raw.ws.close();
  });

  it(`${role} cannot appear as someone else in presence`, async () => {
    const raw = await rawAs(role);
    const clientId = 900_000 + ROLES.indexOf(role);
    raw.send(awarenessMessage(clientId, 1, { user: { name: 'Ministra Falsa', delegation: 'OEA', color: '#000000' }, cursor: null }));
    await waitFor(() => observer.provider.awareness.getStates().has(clientId), 5000, 'awareness to arrive');
    const seen = observer.provider.awareness.getStates().get(clientId) as { user: { name: string; role: string } };
    expect(seen.user.name).toBe(`Raw ${role}`);
    expect(seen.user.role).toBe(role);
    // Nor can it take over another connection's awareness client id.
    const observerId = observer.provider.awareness.clientID;
    raw.send(awarenessMessage(observerId, 999, { user: { name: 'Hijack' } }));
    await new Promise((r) => setTimeout(r, 150));
    const state = server.collab.room(server.documentId)!.awareness.getStates().get(observerId) as { user?: { name: string } } | undefined;
    expect(state?.user?.name).not.toBe('Hijack');
    raw.ws.close();
  });
});

describe('refusals that need no resync', () => {
  it('an edit that arrives before what it builds on is refused without resync, and applied once its base arrives in the sync', async () => {
    const raw = await rawAs('editor');
    const copy = new Y.Doc();
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(raw.doc));
    const base = Y.encodeStateVector(copy);
    firstText(copy).insert(0, '[base]');
    const middle = Y.encodeStateVector(copy);
    firstText(copy).insert(6, '[after]');
    const first = Y.encodeStateAsUpdate(copy, base);
    const second = Y.encodeStateAsUpdate(copy, middle);
    raw.sendUpdate(second);
    await waitFor(() => raw.notices.some((n) => n.kind === 'update-refused'), 5000, 'refusal notice');
    expect(raw.notices.find((n) => n.kind === 'update-refused')).toMatchObject({ resync: false });
    expect(firstText(observer.doc).toString()).not.toContain('[after]');
    // What a reconnecting client's sync step 2 brings: both, in one update.
    raw.sendUpdate(Y.mergeUpdates([first, second]));
    await waitFor(() => firstText(observer.doc).toString().includes('[base][after]'), 5000, 'both edits');
    raw.ws.close();
  });

  it('an edit placed before someone else\'s text the server lacks is refused too, not held pending', async () => {
    const raw = await rawAs('editor');
    const other = new Y.Doc();
    Y.applyUpdate(other, Y.encodeStateAsUpdate(raw.doc));
    const known = Y.encodeStateVector(other);
    firstText(other).insert(3, '[ajeno]');
    const theirs = Y.encodeStateAsUpdate(other, known);
    // This client has the other's text (the server does not) and types just before it: its
    // origin is text the server has, its right origin is the text it lacks.
    const mine = new Y.Doc();
    Y.applyUpdate(mine, Y.encodeStateAsUpdate(other));
    const before = Y.encodeStateVector(mine);
    firstText(mine).insert(3, '[propio]');
    const own = Y.encodeStateAsUpdate(mine, before);
    raw.sendUpdate(own);
    await waitFor(() => raw.notices.some((n) => n.kind === 'update-refused'), 5000, 'refusal notice');
    expect(raw.notices.find((n) => n.kind === 'update-refused')).toMatchObject({ resync: false });
    const store = (server.collab.room(server.documentId)!.doc as unknown as { store: { pendingStructs: unknown } }).store;
    expect(store.pendingStructs).toBeNull();
    raw.sendUpdate(Y.mergeUpdates([theirs, own]));
    await waitFor(() => firstText(observer.doc).toString().includes('[propio][ajeno]'), 5000, 'both edits');
    raw.ws.close();
  });
});
