import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import { CloseCode, MessageType, SyncMessageType, YName } from '../../shared/protocol.ts';
import { DEFAULT_LIMITS } from '../../server/collab/types.ts';
import { awarenessMessage, connectClient, prng, rawClient, synced, syncUpdateMessage, waitFor, type TestClient } from '../helpers/clients.ts';
import { removeDir, startTestServer, type TestServer } from '../helpers/server.ts';
import { recordReliability } from './report.ts';

let server: TestServer;
let token: string;
/** A second plan with its own canary pair: "other rooms keep their latency". */
let canaryDoc: string;
let canaryWriter: TestClient;
let canaryReader: TestClient;

beforeAll(async () => {
  server = await startTestServer({ config: { limits: { ...DEFAULT_LIMITS, maxMessageBytes: 256 * 1024, maxBufferedBytes: 512 * 1024, maxAwarenessStateBytes: 4096 } } });
  token = (await server.invite('editor', { name: 'Atacante' })).token;
  canaryDoc = (await server.workspace.createDocument({ title: 'Canario', template: 'blank', createdBy: null })).id;
  const canaryToken = (await server.invite('editor', { name: 'Canario', documentId: canaryDoc })).token;
  canaryWriter = connectClient(server.wsUrl, canaryDoc, canaryToken);
  canaryReader = connectClient(server.wsUrl, canaryDoc, canaryToken);
  await Promise.all([synced(canaryWriter), synced(canaryReader)]);
});
afterAll(async () => {
  canaryWriter.destroy();
  canaryReader.destroy();
  await server.stop();
  removeDir(server.dataDir);
});

/** Keystroke latencies between the two canary clients while `attack` runs. */
async function canaryDuring(attack: () => Promise<void>): Promise<{ p50: number; p99: number; max: number; loopP99Ms: number; samples: number }> {
  const latencies: number[] = [];
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  let running = true;
  const text = () => ((canaryWriter.doc.getXmlFragment(YName.body).get(1) as Y.XmlElement | undefined) ?? null);
  const typing = (async () => {
    while (running) {
      const paragraph = text();
      if (!paragraph) break;
      const started = performance.now();
      const marker = `k${latencies.length}`;
      let xml = paragraph.get(0) as Y.XmlText | undefined;
      if (!(xml instanceof Y.XmlText)) {
        xml = new Y.XmlText();
        paragraph.insert(0, [xml]);
      }
      const arrived = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('canary keystroke lost')), 10_000);
        const check = (): void => {
          if (!canaryReader.doc.getXmlFragment(YName.body).toString().includes(marker)) return;
          clearTimeout(timer);
          canaryReader.doc.off('update', check);
          resolve();
        };
        canaryReader.doc.on('update', check);
      });
      xml.insert(0, marker);
      await arrived;
      latencies.push(performance.now() - started);
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  await attack();
  running = false;
  await typing;
  loop.disable();
  latencies.sort((a, b) => a - b);
  const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0;
  return { p50: q(0.5), p99: q(0.99), max: latencies[latencies.length - 1] ?? 0, loopP99Ms: loop.percentile(99) / 1e6, samples: latencies.length };
}

/** Real protocol messages to mutate: sync steps, updates of every kind, awareness. */
function seedMessages(): Uint8Array[] {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  const fragment = doc.getXmlFragment(YName.body);
  const p = new Y.XmlElement('paragraph');
  fragment.insert(0, [p]);
  const text = new Y.XmlText();
  p.insert(0, [text]);
  text.insert(0, 'hola mundo', { bold: {} });
  text.delete(1, 2);
  p.setAttribute('suggestedInsert', { suggestionId: 'x' } as unknown as string);
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Sync);
  encoding.writeVarUint(encoder, SyncMessageType.Step1);
  encoding.writeVarUint8Array(encoder, Y.encodeStateVector(doc));
  return [encoding.toUint8Array(encoder), ...updates.map(syncUpdateMessage), awarenessMessage(123, 1, { user: { name: 'x' }, cursor: null })];
}

describe('hostile protocol input', () => {
  it('10,000 mutated and truncated messages: the process stays up, only offending connections close, the canary room keeps its latency', { timeout: 240_000 }, async () => {
    const seed = Number(process.env.SEED ?? Date.now() % 1_000_000);
    const seeds = seedMessages();
    const closes = new Map<number, number>();
    let sent = 0;
    const baseline = await canaryDuring(async () => new Promise((r) => setTimeout(r, 1500)));
    let refused = 0;
    const during = await canaryDuring(async () => {
      // Four fuzzers in parallel, each with its own seeded sequence (seed + n) and plain sockets
      // (no client-side document): the cost per refused message is the reconnect.
      const fuzzer = async (n: number, count: number): Promise<void> => {
        const random = prng(seed + n);
        let socket: WebSocket | null = null;
        let closed: Promise<number> = Promise.resolve(0);
        let onSocket = 0;
        let awaiting: (() => void) | null = null;
        const open = async (): Promise<void> => {
          const ws = new WebSocket(`${server.wsUrl}/${server.documentId}?token=${token}`);
          socket = ws;
          onSocket = 0;
          closed = new Promise((resolve) => ws.on('close', (code) => resolve(code)));
          ws.on('error', () => {});
          // Each message is followed by an awareness query: its answer proves the message was
          // processed and the connection survived it.
          ws.on('message', (data: Buffer) => {
            if (data[0] === MessageType.Awareness) awaiting?.();
          });
          await new Promise((resolve) => ws.once('open', resolve));
        };
        for (let i = 0; i < count; i++) {
          if (!socket || (socket as WebSocket).readyState !== WebSocket.OPEN || onSocket >= 400) {
            if (socket && (socket as WebSocket).readyState === WebSocket.OPEN) (socket as WebSocket).close();
            await open();
          }
          const base = seeds[Math.floor(random() * seeds.length)];
          let message: Uint8Array;
          const roll = random();
          if (roll < 0.3) message = base.subarray(0, Math.max(1, Math.floor(random() * base.length))); // truncated
          else if (roll < 0.9) {
            message = base.slice();
            for (let f = 0; f < 1 + Math.floor(random() * 3); f++) message[Math.floor(random() * message.length)] = Math.floor(random() * 256);
          } else message = new Uint8Array([4 + Math.floor(random() * 90), ...base.subarray(1)]); // unknown types
          const current = socket! as WebSocket;
          const outcome = await new Promise<'alive' | number>((resolve) => {
            awaiting = () => resolve('alive');
            void closed.then((code) => resolve(code));
            current.send(message);
            current.send(new Uint8Array([MessageType.QueryAwareness]));
          });
          awaiting = null;
          sent++;
          onSocket++;
          if (outcome !== 'alive') {
            refused++;
            closes.set(outcome, (closes.get(outcome) ?? 0) + 1);
          }
        }
        if (socket && (socket as WebSocket).readyState === WebSocket.OPEN) (socket as WebSocket).close();
      };
      await Promise.all([0, 1, 2, 3].map((n) => fuzzer(n, 2500)));
    });
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    const refusedCodes = [...closes.keys()];
    expect(refusedCodes.every((c) => [CloseCode.BadPayload, CloseCode.ProtocolError, CloseCode.RateLimited, CloseCode.Forbidden, 1005, 1006].includes(c)), `seed ${seed}: close codes ${refusedCodes}`).toBe(true);
    // The room under attack still works for an honest client.
    const honest = connectClient(server.wsUrl, server.documentId, token);
    await synced(honest);
    honest.destroy();
    recordReliability('fuzz', { seed, messages: sent, refused, accepted: sent - refused, closesByCode: Object.fromEntries(closes), canaryBaseline: baseline, canaryDuringAttack: during });
    expect(during.samples).toBeGreaterThan(10);
    expect(refused).toBeGreaterThan(1000); // the fuzz really reached the parser
  });

  it('a crafted update of the yjs #687 kind is refused in bounded time and the canary is unaffected', async () => {
    const crafted = [
      new Uint8Array([1, 0xff, 0xff, 0xff, 0xff, 0x0f, 1, 0, 0, 0]), // 2^32 structs claimed
      new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x0f]), // 2^32 clients claimed
      Buffer.from('00010000000001000100010200001602000001fdffffffff7f0000', 'hex'), // the V2 payload from the issue
      new Uint8Array([1, 1, 5, 0, 0xff, 0xff, 0xff, 0xff, 0x0f, 0, 0]), // GC of 2^32 length
    ];
    const results: number[] = [];
    const during = await canaryDuring(async () => {
      for (const payload of crafted) {
        const socket = rawClient(`${server.wsUrl}/${server.documentId}?token=${token}`);
        await socket.opened;
        const started = performance.now();
        socket.send(syncUpdateMessage(payload));
        const { code } = await socket.closed;
        results.push(performance.now() - started);
        expect(code).toBe(CloseCode.BadPayload);
      }
    });
    recordReliability('yjs687', { payloads: crafted.length, refusalMs: results, canary: during });
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it('frames over the size limit and oversized awareness states close only that connection', async () => {
    const big = rawClient(`${server.wsUrl}/${server.documentId}?token=${token}`);
    await big.opened;
    big.send(syncUpdateMessage(new Uint8Array(300 * 1024)));
    expect((await big.closed).code).toBe(CloseCode.MessageTooBig);
    const fat = rawClient(`${server.wsUrl}/${server.documentId}?token=${token}`);
    await fat.opened;
    fat.send(awarenessMessage(4242, 1, { user: {}, blob: 'x'.repeat(10_000) }));
    expect((await fat.closed).code).toBe(CloseCode.BadPayload);
    const flood = rawClient(`${server.wsUrl}/${server.documentId}?token=${token}`);
    await flood.opened;
    for (let i = 0; i < 50_000 && flood.ws.readyState === WebSocket.OPEN; i++) {
      flood.send(awarenessMessage(5151, i + 1, { cursor: i }));
      if (i % 1000 === 999) await new Promise((r) => setTimeout(r, 1));
    }
    expect((await flood.closed).code).toBe(CloseCode.RateLimited);
    // Its awareness state goes with it.
    await waitFor(() => !(server.collab.room(server.documentId)?.awareness.getStates().has(5151) ?? false), 5000, 'flooder state removed');
  });

  it('a client that never reads is dropped before its queue grows without bound', async () => {
    const writer = connectClient(server.wsUrl, server.documentId, token);
    await synced(writer);
    const room = server.collab.room(server.documentId)!;
    const known = new Set(room.connections);
    const slow = new WebSocket(`${server.wsUrl}/${server.documentId}?token=${token}`);
    await new Promise((r) => slow.once('open', r));
    await waitFor(() => [...room.connections].some((c) => !known.has(c)), 5000, 'slow reader registered');
    const slowConnection = [...room.connections].find((c) => !known.has(c))!;
    (slow as unknown as { _socket: { pause(): void } })._socket.pause(); // stop reading entirely
    // A paragraph of its own: earlier fuzzing may have left any shape at the top of the plan.
    const paragraph = new Y.XmlElement('paragraph');
    writer.doc.getXmlFragment(YName.body).push([paragraph]);
    paragraph.insert(0, [new Y.XmlText()]);
    const chunk = 'x'.repeat(64 * 1024);
    // Insert and delete big chunks: traffic for the reader grows, the document does not.
    let sentBytes = 0;
    for (let i = 0; i < 2000 && room.connections.has(slowConnection); i++) {
      const text = paragraph.get(0) as Y.XmlText;
      text.insert(0, chunk);
      text.delete(0, chunk.length);
      sentBytes += chunk.length;
      await new Promise((r) => setTimeout(r, 2));
    }
    await waitFor(() => !room.connections.has(slowConnection), 10_000, 'slow reader to be dropped');
    recordReliability('backpressure', { limitBytes: 512 * 1024, bytesBroadcastBeforeDrop: sentBytes, writerStillConnected: writer.provider.wsconnected });
    expect(sentBytes).toBeGreaterThan(512 * 1024);
    expect(writer.provider.wsconnected).toBe(true);
    writer.destroy();
    slow.terminate();
  });
});

describe('abuse', () => {
  it('thousands of unknown document ids and hundreds of silent sockets: clear refusals, no rooms, bounded memory', async () => {
    const rssBefore = process.memoryUsage().rss;
    const codes = new Map<number, number>();
    for (let batch = 0; batch < 20; batch++) {
      const sockets = Array.from({ length: 100 }, (_, i) => rawClient(`${server.wsUrl}/unknown${batch}x${i}?token=${token}`));
      for (const s of sockets) {
        const { code } = await s.closed;
        codes.set(code, (codes.get(code) ?? 0) + 1);
      }
    }
    expect([...codes.keys()]).toEqual([CloseCode.Forbidden]); // the token is for another plan
    const owner = await server.invite('owner', { name: 'Sesión' });
    const { signIn } = await import('../helpers/http.ts');
    const session = await signIn(server.url, owner.token);
    const unknown = await Promise.all(Array.from({ length: 200 }, (_, i) => rawClient(`${server.wsUrl}/nope${i}`, { cookie: session.cookieHeader(), origin: server.url }).closed));
    expect(new Set(unknown.map((c) => c.code))).toEqual(new Set([CloseCode.DocumentNotFound]));
    expect(server.collab.openDocumentIds().every((id) => id === server.documentId || id === canaryDoc)).toBe(true);
    const net = await import('node:net');
    const silent = await Promise.all(Array.from({ length: 200 }, () => new Promise<import('node:net').Socket>((resolve) => {
      const s = net.connect(Number(new URL(server.url).port), '127.0.0.1', () => resolve(s));
      s.on('error', () => {});
    })));
    const honest = connectClient(server.wsUrl, canaryDoc, (await server.invite('editor', { name: 'Honesta', documentId: canaryDoc })).token);
    await synced(honest);
    honest.destroy();
    silent.forEach((s) => s.destroy());
    const growthMb = (process.memoryUsage().rss - rssBefore) / 1024 / 1024;
    recordReliability('abuse', { unknownIdsWithToken: 2000, unknownIdsWithSession: 200, silentSockets: 200, rssGrowthMb: Math.round(growthMb) });
    expect(growthMb).toBeLessThan(200);
  });
});
