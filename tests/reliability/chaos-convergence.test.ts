import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import WebSocket, { WebSocketServer } from 'ws';
import type { AddressInfo } from 'node:net';
import { YName } from '../../shared/protocol.ts';
import { readThreads } from '../../shared/threads.ts';
import { commandMessage, connectClient, prng, relativeAt, synced, waitFor, type TestClient } from '../helpers/clients.ts';
import { removeDir, startTestServer, type TestServer } from '../helpers/server.ts';
import { recordReliability } from './report.ts';

const cleanups: Array<() => Promise<void> | void> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

/**
 * A websocket proxy that delays every frame by a random time (keeping each socket's own order,
 * as TCP does, so frames of different clients arrive reordered) and drops connections at random.
 */
async function chaosProxy(target: string, random: () => number): Promise<{ url: string; drops: () => number; close: () => void }> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((resolve) => wss.once('listening', resolve));
  let drops = 0;
  const sockets = new Set<WebSocket>();
  wss.on('connection', (client, request) => {
    // Origin is the browser's to send; these clients authenticate with their token.
    const upstream = new WebSocket(target + request.url);
    sockets.add(client);
    let clientChain = Promise.resolve();
    let upstreamChain = Promise.resolve();
    const pending: Buffer[] = [];
    const delay = () => new Promise((r) => setTimeout(r, random() * 40));
    upstream.on('open', () => pending.splice(0).forEach((m) => upstream.send(m)));
    client.on('message', (data: Buffer) => {
      upstreamChain = upstreamChain.then(delay).then(() => {
        if (upstream.readyState === WebSocket.OPEN) upstream.send(data);
        else if (upstream.readyState === WebSocket.CONNECTING) pending.push(data);
      });
    });
    upstream.on('message', (data: Buffer) => {
      clientChain = clientChain.then(delay).then(() => {
        if (client.readyState === WebSocket.OPEN) client.send(data);
      });
    });
    const end = () => {
      client.terminate();
      upstream.terminate();
      sockets.delete(client);
    };
    client.on('close', end);
    upstream.on('close', end);
    client.on('error', end);
    upstream.on('error', end);
  });
  const timer = setInterval(() => {
    for (const socket of sockets) {
      if (random() < 0.08) {
        drops++;
        socket.terminate();
      }
    }
  }, 250);
  return {
    url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`,
    drops: () => drops,
    close: () => {
      clearInterval(timer);
      sockets.forEach((s) => s.terminate());
      wss.close();
    },
  };
}

const paragraphs = (doc: Y.Doc) => doc.getXmlFragment(YName.body).toArray().filter((n): n is Y.XmlElement => n instanceof Y.XmlElement && n.nodeName === 'paragraph' && n.get(0) instanceof Y.XmlText);
const snapshotOf = (doc: Y.Doc) => JSON.stringify({ body: doc.getXmlFragment(YName.body).toString(), threads: readThreads(doc) });

describe('convergence under chaos', () => {
  it('edits, comments and suggestions from 6 clients with delays, reordering and drops: server, clients and a reload from disk end identical', { timeout: 180_000 }, async () => {
    const seed = Number(process.env.SEED ?? Date.now() % 1_000_000);
    const random = prng(seed);
    const logs: string[] = [];
    let server: TestServer = await startTestServer({ logs });
    const dataDir = server.dataDir;
    cleanups.push(() => removeDir(dataDir));
    const proxy = await chaosProxy(server.url.replace('http', 'ws'), random);
    cleanups.push(() => proxy.close());
    type Actor = { client: TestClient; role: 'editor' | 'suggester' | 'commenter'; userId: string; name: string; token: string };
    const actors: Actor[] = [];
    let wsBase = `${proxy.url}/collab`;
    for (const [role, n] of [['editor', 3], ['suggester', 2], ['commenter', 1]] as const) {
      for (let i = 0; i < n; i++) {
        const name = `${role} ${i}`;
        const { token, userId } = await server.invite(role, { name });
        actors.push({ client: connectClient(wsBase, server.documentId, token, { maxBackoffTime: 200 }), role, userId, name, token });
      }
    }
    cleanups.push(() => actors.forEach((a) => a.client.destroy()));
    await Promise.all(actors.map((a) => synced(a.client, 20_000)));
    /**
     * What the browser does when the server refuses a change for good (resync): drop the copy
     * and load the plan afresh. Two suggesters typing at one spot at once can get there: Yjs may
     * order one's inherited-format character inside the other's concurrent suggestion, which
     * the guard must refuse (it would credit the other with text they did not write).
     */
    const refusals: string[] = [];
    const rebuildRefused = async (): Promise<void> => {
      for (const actor of actors) {
        const refusal = actor.client.notices.find((n) => n.kind === 'update-refused' && n.resync);
        if (!refusal || refusal.kind !== 'update-refused') continue;
        refusals.push(`${actor.role}: ${refusal.reason}`);
        actor.client.destroy();
        actor.client = connectClient(wsBase, server.documentId, actor.token, { maxBackoffTime: 200 });
        await synced(actor.client, 20_000);
      }
    };
    let commands = 0;
    try {
      for (let round = 0; round < 400; round++) {
        await rebuildRefused();
        const actor = actors[Math.floor(random() * actors.length)];
        const doc = actor.client.doc;
        const ps = paragraphs(doc);
        const text = ps[Math.floor(random() * ps.length)].get(0) as Y.XmlText;
        const at = Math.floor(random() * (text.length + 1));
        if (actor.role === 'editor') {
          if (random() < 0.7 || text.length < 3) text.insert(at, String.fromCharCode(97 + Math.floor(random() * 26)), {});
          else text.delete(Math.min(at, text.length - 1), 1);
        } else if (actor.role === 'suggester') {
          text.insert(at, '+', { insertion: { suggestionId: `sug-${actor.userId.slice(0, 8)}`, authorId: actor.userId, authorName: actor.name, color: '#1f5fbf', createdAt: '2026-01-01T00:00:00.000Z' } });
        } else if (actor.client.provider.wsconnected && actor.client.provider.synced && text.length > 4) {
          const threadId = `t${seed}x${round}`;
          actor.client.provider.ws!.send(commandMessage({ op: 'thread.create', requestId: `r${round}`, threadId, messageId: `m${seed}x${round}`, anchor: { start: relativeAt(text, 0, 0), end: relativeAt(text, 3, -1) }, quote: text.toString().slice(0, 3), body: 'comentario', mentions: [] }));
          commands++;
        }
        if (round % 2 === 0) await new Promise((r) => setTimeout(r, random() * 25));
      }
      proxy.close(); // calm returns: clients reconnect straight to the server
      wsBase = server.wsUrl;
      for (const a of actors) {
        a.client.provider.disconnect();
        (a.client.provider as unknown as { serverUrl: string }).serverUrl = server.wsUrl;
        a.client.provider.connect();
      }
      await Promise.all(actors.map((a) => synced(a.client, 20_000)));
      const room = server.collab.room(server.documentId)!;
      try {
        const deadline = Date.now() + 20_000;
        for (;;) {
          await rebuildRefused();
          if (actors.every((a) => snapshotOf(a.client.doc) === snapshotOf(room.doc))) break;
          if (Date.now() > deadline) throw new Error('timed out waiting for clients equal to the server');
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      } catch (error) {
        // Say who differs and why.
        const body = (doc: Y.Doc) => doc.getXmlFragment(YName.body).toString();
        const differing = actors
          .filter((a) => snapshotOf(a.client.doc) !== snapshotOf(room.doc))
          .map((a) => `${a.name} (body ${body(a.client.doc) === body(room.doc) ? 'same' : 'differs'}, threads ${JSON.stringify(readThreads(a.client.doc)) === JSON.stringify(readThreads(room.doc)) ? 'same' : 'differ'}, pending structs ${a.client.doc.store.pendingStructs ? 'yes' : 'no'})`);
        const refusals = logs.filter((line) => /"level":"(warn|error)"/.test(line)).slice(0, 10);
        throw new Error(`${(error as Error).message}; differing: ${differing.join('; ')}; server pending structs: ${room.doc.store.pendingStructs ? 'yes' : 'no'}; warnings: ${refusals.join(' ')}`);
      }
      const expected = snapshotOf(room.doc);
      expect(readThreads(room.doc).length).toBeGreaterThan(0);
      // Only a suggestion can collide that way; editors and commenters are never refused.
      expect(refusals.filter((r) => !r.startsWith('suggester: a suggester can only')), refusals.join('; ')).toEqual([]);

      actors.forEach((a) => a.client.destroy());
      await server.stop();
      server = await startTestServer({ dataDir });
      const { token } = await server.invite('viewer', { name: 'Lectora' });
      const fresh = connectClient(server.wsUrl, server.documentId, token);
      await synced(fresh);
      await waitFor(() => snapshotOf(fresh.doc) === expected, 5000, 'reload from disk');
      fresh.destroy();
      recordReliability('chaosConvergence', { seed, clients: actors.length, rounds: 400, commandsSent: commands, threadsCreated: readThreads(server.collab.room(server.documentId)?.doc ?? new Y.Doc()).length, connectionDrops: proxy.drops(), maxDelayMs: 40, suggesterResyncs: refusals.length });
    } catch (error) {
      throw new Error(`chaos convergence failed with SEED=${seed}: ${(error as Error).message}`);
    } finally {
      await server.stop();
    }
  });
});
