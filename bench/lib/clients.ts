/**
 * Pools of stock y-websocket clients: one Y.Doc and one WebsocketProvider each, exactly what
 * a browser tab runs minus the editor, so both servers meet the same client code.
 */
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import WebSocket from 'ws';
import { YName } from '../../shared/protocol.ts';

/** Where a room lives: the provider's base URL, the room name and URL parameters. */
export interface RoomAddress {
  wsBase: string;
  room: string;
  params: Record<string, string>;
}

/** One connected client. */
export interface BenchClient {
  doc: Y.Doc;
  provider: WebsocketProvider;
  /** Times its websocket closed since it connected (each is a reconnect in a real app). */
  disconnects: number;
}

const CONNECT_TIMEOUT_MS = 20_000;
// Every provider adds a process 'exit' listener; hundreds of clients are expected here.
process.setMaxListeners(0);
/** Rooms connected at once in many-room cases: enough to be quick, few enough not to be a storm. */
const ROOM_CONCURRENCY = 10;

/**
 * The Y.XmlText a person would type into: the first paragraph of the plan body. Both
 * servers' rooms hold the same SOVIO plan, so this is the same node in both.
 */
export function typingTarget(doc: Y.Doc): Y.XmlText | null {
  for (const node of doc.getXmlFragment(YName.body).toArray()) {
    if (node instanceof Y.XmlElement && node.nodeName === 'paragraph') {
      const text = node.toArray().find((child) => child instanceof Y.XmlText);
      if (text) return text as Y.XmlText;
    }
  }
  return null;
}

/** Connect one client and resolve once its first sync with the server is complete. */
export async function connectClient(address: RoomAddress): Promise<BenchClient> {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(address.wsBase, address.room, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    params: address.params,
    // Node has a global BroadcastChannel: without this, clients of one process would pass
    // updates to each other directly and the server would not be measured at all.
    disableBc: true,
  });
  const client: BenchClient = { doc, provider, disconnects: 0 };
  provider.on('connection-close', () => {
    client.disconnects++;
  });
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`client did not sync with ${address.wsBase}/${address.room} within ${CONNECT_TIMEOUT_MS} ms`)), CONNECT_TIMEOUT_MS);
      provider.on('sync', (synced: boolean) => {
        if (!synced) return;
        clearTimeout(timer);
        resolve();
      });
      provider.on('closed', ({ code, reason }: { code: number; reason: string }) => {
        clearTimeout(timer);
        reject(new Error(`server closed the connection to ${address.room}: ${code} ${reason}`));
      });
    });
  } catch (error) {
    closeClients([client]);
    throw error;
  }
  return client;
}

/** Poll until `check` holds, or fail after `timeoutMs`. */
export async function waitFor(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * Connect `size` clients to a room. When the room has no plan yet (the reference server
 * starts every room empty), the first client writes `seed` into it, the others then join.
 */
export async function connectRoom(address: RoomAddress, size: number, seed: Uint8Array | null): Promise<BenchClient[]> {
  const first = await connectClient(address);
  const clients = [first];
  try {
    if (!typingTarget(first.doc)) {
      if (!seed) throw new Error(`room ${address.room} holds no paragraph to type into`);
      Y.applyUpdate(first.doc, seed);
    }
    clients.push(...(await Promise.all(Array.from({ length: size - 1 }, () => connectClient(address)))));
    await waitFor(() => clients.every((client) => typingTarget(client.doc) !== null), CONNECT_TIMEOUT_MS, `the plan to reach every client of ${address.room}`);
    return clients;
  } catch (error) {
    closeClients(clients);
    throw error;
  }
}

/** Connect many rooms, a few at a time. */
export async function connectRooms(addresses: RoomAddress[], size: number, seed: Uint8Array | null): Promise<BenchClient[][]> {
  const rooms: BenchClient[][] = [];
  try {
    for (let i = 0; i < addresses.length; i += ROOM_CONCURRENCY) {
      const batch = addresses.slice(i, i + ROOM_CONCURRENCY);
      rooms.push(...(await Promise.all(batch.map((address) => connectRoom(address, size, seed)))));
    }
    return rooms;
  } catch (error) {
    for (const room of rooms) closeClients(room);
    throw error;
  }
}

/** Disconnect and free clients. */
export function closeClients(clients: BenchClient[]): void {
  for (const client of clients) {
    client.provider.destroy();
    client.doc.destroy();
  }
}
