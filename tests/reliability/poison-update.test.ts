import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { MessageType, SyncMessageType, YName } from '../../shared/protocol.ts';
import { connectClient, rawClient, synced, syncUpdateMessage, waitFor } from '../helpers/clients.ts';
import { removeDir, startTestServer, type TestServer } from '../helpers/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.stop();
  removeDir(server.dataDir);
});

describe('updates that depend on content the server does not have', () => {
  it('are refused for every role, so a pending struct can never poison what is saved (found by the fuzz test)', async () => {
    const { token } = await server.invite('editor', { name: 'Editora' });
    const raw = rawClient(`${server.wsUrl}/${server.documentId}?token=${token}`);
    await raw.opened;
    await waitFor(() => raw.doc.getXmlFragment(YName.body).length > 0, 5000, 'sync');
    // A struct whose parent is an item of the same client that does not exist yet. Alone, Yjs
    // keeps it pending; merged with another update for saving, it made the plan unloadable.
    raw.send(syncUpdateMessage(Buffer.from('0101c3b1acf50b010700c3b1acf50b420600', 'hex')));
    await waitFor(() => raw.notices.some((n) => n.kind === 'update-refused'), 5000, 'refusal');
    raw.ws.close();
    // Everything still saves and loads.
    const writer = connectClient(server.wsUrl, server.documentId, token);
    await synced(writer);
    ((writer.doc.getXmlFragment(YName.body).get(1) as Y.XmlElement).get(0) as Y.XmlText).insert(0, '[después]');
    await new Promise((r) => setTimeout(r, 100));
    writer.destroy();
    const dataDir = server.dataDir;
    await server.stop();
    server = await startTestServer({ dataDir });
    const reader = connectClient(server.wsUrl, server.documentId, token);
    await synced(reader);
    expect(reader.doc.getXmlFragment(YName.body).toString()).toContain('[después]');
    reader.destroy();
  });

  it('an update after a gap in its client\'s clocks (an earlier one refused or lost) is refused and never reaches anyone; the server asks for what it lacks and then takes both', async () => {
    const { token } = await server.invite('editor', { name: 'Editora con hueco' });
    const raw = rawClient(`${server.wsUrl}/${server.documentId}?token=${token}`);
    await raw.opened;
    await waitFor(() => raw.doc.getXmlFragment(YName.body).length > 1, 5000, 'sync');
    // Two edits of one client in two paragraphs the server knows; only the second is sent.
    const local = new Y.Doc();
    Y.applyUpdate(local, Y.encodeStateAsUpdate(raw.doc));
    const text = (index: number) => ((local.getXmlFragment(YName.body).get(index) as Y.XmlElement).get(0) as Y.XmlText);
    text(0).insert(0, '[primero]');
    const middle = Y.encodeStateVector(local);
    text(1).insert(0, '[segundo]');
    const second = Y.encodeStateAsUpdate(local, middle);
    const room = () => server.collab.room(server.documentId)!;
    // The server then asks for what it lacks (sync step 1), as a y-websocket client would be asked on connecting.
    const asked: Uint8Array[] = [];
    raw.ws.on('message', (data: Buffer) => {
      const decoder = decoding.createDecoder(new Uint8Array(data));
      if (decoding.readVarUint(decoder) === MessageType.Sync && decoding.readVarUint(decoder) === SyncMessageType.Step1) asked.push(decoding.readVarUint8Array(decoder));
    });
    raw.sendUpdate(second);
    await waitFor(() => raw.notices.some((n) => n.kind === 'update-refused' && !n.resync), 5000, 'refusal');
    expect(room().doc.store.pendingStructs).toBeNull();
    // Someone joining now gets nothing of it.
    const reader = connectClient(server.wsUrl, server.documentId, token);
    await synced(reader);
    expect(reader.doc.getXmlFragment(YName.body).toString()).not.toContain('[segundo]');
    expect(reader.doc.store.pendingStructs).toBeNull();
    // Answered as y-websocket answers a sync step 1: everything the server lacks, the missing edit first.
    await waitFor(() => asked.length > 0, 5000, 'a sync step 1 after the refusal');
    const answer = encoding.createEncoder();
    encoding.writeVarUint(answer, MessageType.Sync);
    encoding.writeVarUint(answer, SyncMessageType.Step2);
    encoding.writeVarUint8Array(answer, Y.encodeStateAsUpdate(local, asked[0]));
    raw.send(encoding.toUint8Array(answer));
    await waitFor(() => reader.doc.getXmlFragment(YName.body).toString().includes('[segundo]'), 5000, 'both edits');
    expect(reader.doc.getXmlFragment(YName.body).toString()).toContain('[primero]');
    expect(room().doc.store.pendingStructs).toBeNull();
    reader.destroy();
    raw.ws.close();
  });
});
