/**
 * Shared messages written as one prepared frame (server/http/collab-socket.ts): the bytes a
 * client reads are exactly what was sent, for every length encoding and in order with plain
 * sends; the direct path is taken with the pinned ws, and not when compression is negotiated.
 */
import { describe, expect, it } from 'vitest';
import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import * as Y from 'yjs';
import { CollabWebSocket, binaryFrame, directStream } from '../server/http/collab-socket.ts';
import { SharedMessage } from '../server/collab/types.ts';
import { YName } from '../shared/protocol.ts';
import { connectClient, synced, waitFor } from './helpers/clients.ts';
import { removeDir, startTestServer } from './helpers/server.ts';

/** A ws server using CollabWebSocket, one client, and the server's end of it. */
async function pair(perMessageDeflate: boolean): Promise<{ server: CollabWebSocket; client: WebSocket; received: Buffer[]; close(): Promise<void> }> {
  const wss = new WebSocketServer({ port: 0, perMessageDeflate, WebSocket: CollabWebSocket });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const accepted = new Promise<CollabWebSocket>((resolve) => wss.once('connection', (ws) => resolve(ws as CollabWebSocket)));
  const client = new WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`, { perMessageDeflate });
  const received: Buffer[] = [];
  client.on('message', (data) => received.push(data as Buffer));
  await new Promise<void>((resolve) => client.once('open', () => resolve()));
  const server = await accepted;
  return {
    server,
    client,
    received,
    close: async () => {
      client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

const bytes = (length: number, seed: number): Uint8Array => Uint8Array.from({ length }, (_, i) => (i * 31 + seed) & 0xff);

describe('shared messages framed once', () => {
  it('a client reads exactly the bytes sent, for 7-, 16- and 64-bit lengths, in order with plain sends', async () => {
    const { server, received, close } = await pair(false);
    expect(directStream(server)).not.toBeNull(); // the pinned ws's fields are where collab-socket.ts looks
    const lengths = [0, 1, 125, 126, 127, 65_535, 65_536, 200_000];
    const sent: Uint8Array[] = [];
    lengths.forEach((length, i) => {
      const message = new SharedMessage(bytes(length, i));
      server.sendShared(message);
      expect(message.frame?.byteLength).toBe(length + (length < 126 ? 2 : length < 65_536 ? 4 : 10));
      const plain = bytes(3, 100 + i);
      server.send(plain);
      sent.push(message.data, plain);
    });
    await waitFor(() => received.length === sent.length, 5000, 'all frames');
    received.forEach((data, i) => expect(new Uint8Array(data)).toEqual(sent[i]));
    await close();
  });

  it('tells whether more of the client\'s frames wait in the same read', async () => {
    const { server, client, close } = await pair(false);
    const seen: boolean[] = [];
    server.on('message', () => seen.push(server.moreFramesBuffered()));
    client.send(bytes(10, 1));
    await waitFor(() => seen.length === 1, 5000, 'the lone frame');
    const tcp = (client as unknown as { _socket: import('node:net').Socket })._socket;
    tcp.cork();
    for (const length of [10, 300, 70_000]) client.send(bytes(length, length));
    tcp.uncork();
    await waitFor(() => seen.length === 4, 5000, 'the burst');
    // The 70 kB frame may come in several reads; the small ones before it share the first read.
    expect(seen).toEqual([false, true, true, false]);
    await close();
  });

  it('a frame built for one socket is reused for the next', async () => {
    const a = await pair(false);
    const b = await pair(false);
    const message = new SharedMessage(bytes(300, 7));
    a.server.sendShared(message);
    const frame = message.frame;
    b.server.sendShared(message);
    expect(message.frame).toBe(frame);
    await waitFor(() => a.received.length === 1 && b.received.length === 1, 5000, 'both');
    expect(new Uint8Array(b.received[0])).toEqual(message.data);
    await a.close();
    await b.close();
  });

  it('with compression negotiated, the message goes through ws.send and still arrives', async () => {
    const { server, received, close } = await pair(true);
    expect(directStream(server)).toBeNull();
    const message = new SharedMessage(bytes(5000, 3));
    server.sendShared(message);
    expect(message.frame).toBeUndefined();
    await waitFor(() => received.length === 1, 5000, 'frame');
    expect(new Uint8Array(received[0])).toEqual(message.data);
    await close();
  });

  it('binaryFrame writes the RFC 6455 header of an unmasked final binary frame', () => {
    expect([...binaryFrame(Uint8Array.of(9, 8)).subarray(0, 2)]).toEqual([0x82, 2]);
    expect([...binaryFrame(new Uint8Array(300)).subarray(0, 4)]).toEqual([0x82, 126, 1, 44]);
    expect([...binaryFrame(new Uint8Array(70_000)).subarray(0, 10)]).toEqual([0x82, 127, 0, 0, 0, 0, 0, 1, 0x11, 0x70]);
  });
});

describe('through the server', () => {
  it('a long paste (a frame over 64 KiB) and the keystrokes after it reach the other editor intact', async () => {
    const server = await startTestServer();
    try {
      const writer = connectClient(server.wsUrl, server.documentId, (await server.invite('editor', { name: 'Paste writer' })).token);
      const reader = connectClient(server.wsUrl, server.documentId, (await server.invite('editor', { name: 'Paste reader' })).token);
      await Promise.all([synced(writer), synced(reader)]);
      const body = writer.doc.getXmlFragment(YName.body);
      const pasted = 'Línea de base del SOVIO. '.repeat(4000);
      const paragraph = new Y.XmlElement('paragraph');
      paragraph.insert(0, [new Y.XmlText(pasted)]);
      body.insert(body.length, [paragraph]);
      const text = paragraph.get(0) as Y.XmlText;
      for (const char of 'fin') text.insert(text.length, char);
      const last = (): string => (reader.doc.getXmlFragment(YName.body).toArray().at(-1) as Y.XmlElement | undefined)?.toString() ?? '';
      await waitFor(() => last().includes(`${pasted}fin`), 10_000, 'the paste and keystrokes');
      expect(reader.doc.getXmlFragment(YName.body).toString()).toBe(body.toString());
      writer.destroy();
      reader.destroy();
    } finally {
      await server.stop();
      removeDir(server.dataDir);
    }
  });
});
