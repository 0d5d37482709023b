/**
 * The server's fan-out: a keystroke goes to the others before the server applies it, once; the
 * updates of one socket read are merged into one message per reader, nothing is lost or
 * reordered by that, and no other message overtakes a held-back update.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'node:net';
import WebSocket from 'ws';
import { DEFAULT_LIMITS } from '../server/collab/types.ts';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import { MessageType, YName, type Notice } from '../shared/protocol.ts';
import { readThreads } from '../shared/threads.ts';
import { commandMessage, rawClient, relativeAt, syncUpdateMessage, waitFor, type RawClient } from './helpers/clients.ts';
import { removeDir, startTestServer, type TestServer } from './helpers/server.ts';

let server: TestServer;
beforeAll(async () => {
  // Short pings, for the heartbeat test; nothing else here waits long enough to see one.
  server = await startTestServer({ config: { limits: { ...DEFAULT_LIMITS, pingIntervalMs: 300 } } });
});
afterAll(async () => {
  await server.stop();
  removeDir(server.dataDir);
});

async function join(role: 'editor' | 'commenter', name: string): Promise<RawClient> {
  const { token } = await server.invite(role, { name });
  const raw = rawClient(`${server.wsUrl}/${server.documentId}?token=${token}`);
  await raw.opened;
  await waitFor(() => raw.doc.getXmlFragment(YName.body).length > 0, 5000, 'sync');
  return raw;
}

/** The first paragraph's text of a mirrored plan. */
function firstParagraph(doc: Y.Doc): Y.XmlText {
  const paragraph = doc.getXmlFragment(YName.body).toArray().find((n) => n instanceof Y.XmlElement && n.nodeName === 'paragraph') as Y.XmlElement;
  return paragraph.get(0) as Y.XmlText;
}

/** The websocket's TCP socket, to put several frames in one write. */
function tcp(raw: RawClient): Socket {
  return (raw.ws as unknown as { _socket: Socket })._socket;
}

/** Record, for every message the server writes to `name`'s connection, the first paragraph the server held then. */
function serverTextAtWrites(name: string): string[] {
  const room = server.collab.room(server.documentId)!;
  const connection = [...room.connections].find((c) => c.identity.name === name)!;
  const seen: string[] = [];
  const write = connection.write.bind(connection);
  connection.write = (message) => {
    seen.push(firstParagraph(room.doc).toString());
    write(message);
  };
  return seen;
}

describe('broadcast', () => {
  it('a keystroke goes to the others as the client wrote it, before the server has applied it, and only once', async () => {
    const writer = await join('editor', 'Relay writer');
    const reader = await join('editor', 'Relay reader');
    const serverTexts = serverTextAtWrites('Relay reader');
    const before = reader.updates.length;
    let keystroke: Uint8Array | null = null;
    writer.doc.once('update', (update: Uint8Array) => (keystroke = update));
    const text = firstParagraph(writer.doc);
    text.insert(text.length, '¶');
    writer.sendUpdate(keystroke!);

    await waitFor(() => firstParagraph(reader.doc).toString() === text.toString(), 5000, 'the keystroke at the reader');
    // Give a second (duplicate) message time to arrive, were one sent.
    await new Promise((r) => setTimeout(r, 200));
    expect(reader.updates.length - before).toBe(1);
    expect(reader.updates.at(-1)).toEqual(keystroke);
    // The server wrote it to the reader while its own copy did not have it yet.
    expect(serverTexts).toHaveLength(1);
    expect(serverTexts[0].endsWith('¶')).toBe(false);
    expect(firstParagraph(server.collab.room(server.documentId)!.doc).toString()).toBe(text.toString());
    writer.ws.close();
    reader.ws.close();
  });

  it('an update that releases what the server held pending sends that too', async () => {
    const writer = await join('editor', 'Release writer');
    const reader = await join('editor', 'Release reader');
    const room = server.collab.room(server.documentId)!;
    const text = firstParagraph(writer.doc);
    const updates: Uint8Array[] = [];
    const capture = (update: Uint8Array): void => void updates.push(update);
    writer.doc.on('update', capture);
    text.insert(text.length, 'x');
    text.insert(text.length, 'y');
    writer.doc.off('update', capture);
    // The server holds "y" pending without "x" (as after loading a log with a hole in it)...
    Y.applyUpdate(room.doc, updates[1]);
    expect(firstParagraph(room.doc).toString().endsWith('y')).toBe(false);
    // ...and "x" arriving from the writer releases it: the reader must get both.
    writer.sendUpdate(updates[0]);
    await waitFor(() => firstParagraph(reader.doc).toString() === text.toString(), 5000, 'both characters at the reader');
    expect(firstParagraph(room.doc).toString()).toBe(text.toString());
    writer.ws.close();
    reader.ws.close();
  });

  it('a burst of keystrokes read in one go reaches the others merged, complete and in order', async () => {
    const writer = await join('editor', 'Burst writer');
    const reader = await join('editor', 'Burst reader');
    const keystrokes: Uint8Array[] = [];
    const capture = (update: Uint8Array, origin: unknown): void => {
      if (origin !== 'server') keystrokes.push(update);
    };
    writer.doc.on('update', capture);
    const typed = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWX';
    const text = firstParagraph(writer.doc);
    for (const char of typed) text.insert(text.length, char);
    writer.doc.off('update', capture);
    expect(keystrokes).toHaveLength(typed.length);

    const before = reader.updates.length;
    const socket = tcp(writer);
    socket.cork();
    for (const update of keystrokes) writer.send(syncUpdateMessage(update));
    socket.uncork();

    await waitFor(() => firstParagraph(reader.doc).toString().endsWith(typed), 5000, 'the burst at the reader');
    expect(firstParagraph(reader.doc).toString()).toBe(firstParagraph(writer.doc).toString());
    const messages = reader.updates.length - before;
    expect(messages).toBeGreaterThan(0);
    // One read of the socket usually holds the whole burst; allow for it to be split a few times.
    expect(messages).toBeLessThanOrEqual(6);
    writer.ws.close();
    reader.ws.close();
  });

  it('a command result never arrives before the change it made', async () => {
    const commenter = await join('commenter', 'Order checker');
    const text = firstParagraph(commenter.doc);
    const threadId = `t${Date.now().toString(36)}order`;
    let threadPresentAtResult: boolean | null = null;
    commenter.ws.on('message', (data: Buffer) => {
      // Runs after the helper's own listener has applied any update in this message.
      const decoder = decoding.createDecoder(new Uint8Array(data));
      if (decoding.readVarUint(decoder) !== MessageType.Notice) return;
      const notice = JSON.parse(decoding.readVarString(decoder)) as Notice;
      if (notice.kind === 'command-result' && notice.requestId === 'order-1') {
        threadPresentAtResult = readThreads(commenter.doc).some((thread) => thread.id === threadId);
      }
    });
    commenter.send(
      commandMessage({
        op: 'thread.create',
        requestId: 'order-1',
        threadId,
        messageId: `m${Date.now().toString(36)}order`,
        anchor: { start: relativeAt(text, 0, 0), end: relativeAt(text, 3, -1) },
        quote: text.toString().slice(0, 3),
        body: 'orden',
        mentions: [],
      }),
    );
    await waitFor(() => threadPresentAtResult !== null, 5000, 'the command result');
    expect(threadPresentAtResult).toBe(true);
    commenter.ws.close();
  });

  it('drops a socket that stops answering pings and keeps one that answers', async () => {
    const { token } = await server.invite('editor', { name: 'Heartbeat' });
    const url = `${server.wsUrl}/${server.documentId}?token=${token}`;
    const silent = new WebSocket(url, { autoPong: false });
    const lively = new WebSocket(url);
    const closedAt = new Promise<number>((resolve) => silent.on('close', () => resolve(Date.now())));
    let livelyClosed = false;
    lively.on('close', () => (livelyClosed = true));
    await Promise.all([new Promise((r) => silent.on('open', r)), new Promise((r) => lively.on('open', r))]);
    const openedAt = Date.now();
    const gone = await Promise.race([closedAt, new Promise<number>((resolve) => setTimeout(() => resolve(Infinity), 6000))]);
    // One ping goes unanswered, the next check drops it: within a few intervals, not before one.
    expect(gone - openedAt).toBeGreaterThanOrEqual(300);
    expect(gone - openedAt).toBeLessThan(5000);
    await new Promise((r) => setTimeout(r, 900));
    expect(livelyClosed).toBe(false);
    expect(server.collab.presence(server.documentId).length).toBeGreaterThanOrEqual(1);
    lively.close();
  });

  it('people opening the plan with nothing get the whole plan, including a change made between their joins', async () => {
    const first = await join('editor', 'Joiner one');
    const second = await join('editor', 'Joiner two');
    expect(second.doc.getXmlFragment(YName.body).toString()).toBe(first.doc.getXmlFragment(YName.body).toString());
    const text = firstParagraph(first.doc);
    const before = Y.encodeStateVector(first.doc);
    text.insert(0, 'Cambio entre llegadas. ');
    first.send(syncUpdateMessage(Y.encodeStateAsUpdate(first.doc, before)));
    await waitFor(() => firstParagraph(second.doc).toString().startsWith('Cambio entre llegadas.'), 5000, 'the change at the second joiner');
    const third = await join('editor', 'Joiner three');
    await waitFor(() => firstParagraph(third.doc).toString().startsWith('Cambio entre llegadas.'), 5000, 'the change in the third joiner\'s first sync');
    expect(third.doc.getXmlFragment(YName.body).toString()).toBe(first.doc.getXmlFragment(YName.body).toString());
    for (const client of [first, second, third]) client.ws.close();
  });
});
