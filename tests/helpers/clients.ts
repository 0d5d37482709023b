/** Collaboration clients for tests: stock y-websocket providers and raw protocol sockets. */
import * as Y from 'yjs';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import { MessageType, SyncMessageType, type Notice } from '../../shared/protocol.ts';

/** A stock WebsocketProvider client with its own Y.Doc. */
export interface TestClient {
  doc: Y.Doc;
  provider: WebsocketProvider;
  /** Minga notices received (the stock provider would only log them as unknown). */
  notices: Notice[];
  destroy(): void;
}

/** Connect a stock provider to a document with a token. */
export function connectClient(wsUrl: string, documentId: string, token: string, options: { connect?: boolean; maxBackoffTime?: number } = {}): TestClient {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(wsUrl, documentId, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    params: { token },
    connect: options.connect ?? true,
    disableBc: true,
    maxBackoffTime: options.maxBackoffTime ?? 2500,
  });
  const notices: Notice[] = [];
  provider.messageHandlers[MessageType.Notice] = (_encoder, decoder) => {
    notices.push(JSON.parse(decoding.readVarString(decoder)) as Notice);
  };
  return {
    doc,
    provider,
    notices,
    destroy: () => {
      provider.destroy();
      doc.destroy();
    },
  };
}

/** Resolve once a provider has synced with the server. */
export function synced(client: TestClient, timeoutMs = 10_000): Promise<void> {
  if (client.provider.synced) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('client did not sync')), timeoutMs);
    const onSync = (isSynced: boolean): void => {
      if (!isSynced) return;
      clearTimeout(timer);
      client.provider.off('sync', onSync);
      resolve();
    };
    client.provider.on('sync', onSync);
  });
}

/** Poll until a condition holds. */
export async function waitFor(condition: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A raw socket that speaks the protocol by hand, as a hostile or minimal client would. */
export interface RawClient {
  ws: WebSocket;
  /** Every decoded notice the server sent. */
  notices: Notice[];
  /** Every sync update payload received. */
  updates: Uint8Array[];
  closed: Promise<{ code: number; reason: string }>;
  opened: Promise<void>;
  send(bytes: Uint8Array): void;
  /** Send a Yjs update as a sync update message. */
  sendUpdate(update: Uint8Array): void;
  /** A doc mirrored from what the server sent (step 2 and updates). */
  doc: Y.Doc;
}

/** Open a raw protocol socket. */
export function rawClient(url: string, headers: Record<string, string> = {}): RawClient {
  const ws = new WebSocket(url, { headers });
  const notices: Notice[] = [];
  const updates: Uint8Array[] = [];
  const doc = new Y.Doc();
  ws.binaryType = 'nodebuffer';
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
    ws.on('error', () => {});
  });
  const opened = new Promise<void>((resolve, reject) => {
    ws.on('open', () => resolve());
    ws.on('error', reject);
  });
  ws.on('message', (data: Buffer) => {
    const decoder = decoding.createDecoder(new Uint8Array(data));
    const type = decoding.readVarUint(decoder);
    if (type === MessageType.Notice) notices.push(JSON.parse(decoding.readVarString(decoder)) as Notice);
    if (type === MessageType.Sync) {
      const sub = decoding.readVarUint(decoder);
      const payload = decoding.readVarUint8Array(decoder);
      if (sub === SyncMessageType.Step1) {
        // Answer the server's step 1 like a real client would (with what we have).
        const encoder = encoding.createEncoder();
        encoding.writeVarUint(encoder, MessageType.Sync);
        encoding.writeVarUint(encoder, SyncMessageType.Step2);
        encoding.writeVarUint8Array(encoder, Y.encodeStateAsUpdate(doc, payload));
        ws.send(encoding.toUint8Array(encoder));
        const ask = encoding.createEncoder();
        encoding.writeVarUint(ask, MessageType.Sync);
        encoding.writeVarUint(ask, SyncMessageType.Step1);
        encoding.writeVarUint8Array(ask, Y.encodeStateVector(doc));
        ws.send(encoding.toUint8Array(ask));
      } else {
        updates.push(payload);
        Y.applyUpdate(doc, payload, 'server');
      }
    }
  });
  const send = (bytes: Uint8Array): void => ws.send(bytes);
  return {
    ws,
    notices,
    updates,
    closed,
    opened,
    doc,
    send,
    sendUpdate: (update) => send(syncUpdateMessage(update)),
  };
}

/** Encode a Yjs update as a y-websocket sync update message. */
export function syncUpdateMessage(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Sync);
  encoding.writeVarUint(encoder, SyncMessageType.Update);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}

/** Encode an awareness message with one client's state. */
export function awarenessMessage(clientId: number, clock: number, state: unknown): Uint8Array {
  const inner = encoding.createEncoder();
  encoding.writeVarUint(inner, 1);
  encoding.writeVarUint(inner, clientId);
  encoding.writeVarUint(inner, clock);
  encoding.writeVarString(inner, JSON.stringify(state));
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Awareness);
  encoding.writeVarUint8Array(encoder, encoding.toUint8Array(inner));
  return encoding.toUint8Array(encoder);
}

/** Deterministic PRNG (mulberry32) so a failing seed can be replayed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Encode a Minga command message (MessageType.Command with a JSON body). */
export function commandMessage(command: Record<string, unknown>): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Command);
  encoding.writeVarString(encoder, JSON.stringify(command));
  return encoding.toUint8Array(encoder);
}

/** Base64 of a relative position at `index` of a Y type. */
export function relativeAt(type: Y.AbstractType<any>, index: number, assoc: number): string {
  return Buffer.from(Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(type, index, assoc))).toString('base64');
}
