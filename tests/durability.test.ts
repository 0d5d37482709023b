import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import * as Y from 'yjs';
import { YName } from '../shared/protocol.ts';
import { FileDocumentStorage } from '../server/store/file-document-storage.ts';
import { MetaStore } from '../server/store/meta-store.ts';
import { hashSecret } from '../server/workspace/workspace.ts';
import { connectClient, prng, synced, waitFor } from './helpers/clients.ts';
import { removeDir, spawnServer, tempDataDir, type ChildServer } from './helpers/server.ts';

const dirs: string[] = [];
const children: ChildServer[] = [];
afterAll(() => {
  children.forEach((c) => c.process.kill('SIGKILL'));
  dirs.forEach(removeDir);
});

/** The durability window the server promises (updates on disk within one second). */
const WINDOW_MS = 1000;

function paragraphText(doc: Y.Doc): Y.XmlText {
  return (doc.getXmlFragment(YName.body).get(1) as Y.XmlElement).get(0) as Y.XmlText;
}

/** Every file in the data directory parses: metadata JSON and every document's state + log. */
async function assertDataParses(dataDir: string): Promise<void> {
  JSON.parse(readFileSync(path.join(dataDir, 'minga.json'), 'utf8'));
  const storage = new FileDocumentStorage(path.join(dataDir, 'documents'));
  for (const file of readdirSync(path.join(dataDir, 'documents'))) {
    if (!file.endsWith('.ystate')) continue;
    const updates = await storage.load(file.replace('.ystate', ''));
    const doc = new Y.Doc();
    for (const u of updates!) Y.applyUpdate(doc, u);
  }
}

/** A server on a fresh data directory, with its sample plan and an editor's invite token. */
async function freshServer(env: Record<string, string> = {}): Promise<{ dataDir: string; server: ChildServer; token: string; documentId: string }> {
  const dataDir = tempDataDir();
  dirs.push(dataDir);
  const server = await spawnServer({ ...env, DATA_DIR: dataDir });
  children.push(server);
  return { dataDir, server, token: server.invites.get('editor')!, documentId: server.documentId! };
}

/** A client of the plan on `server`, synced. */
async function syncedClient(server: ChildServer, documentId: string, token: string): Promise<ReturnType<typeof connectClient>> {
  const client = connectClient(server.url.replace('http', 'ws') + '/collab', documentId, token);
  await synced(client);
  return client;
}

describe('durability of a server process', () => {
  it('kill -9 while clients type loses nothing older than the durability window, and the files parse', async () => {
    const seed = Number(process.env.SEED ?? Date.now() % 1_000_000);
    const random = prng(seed);
    const dataDir = tempDataDir();
    dirs.push(dataDir);
    let server = await spawnServer({ DATA_DIR: dataDir });
    children.push(server);
    const token = server.invites.get('editor')!;
    const documentId = server.documentId!;
    let sent: Array<{ marker: string; at: number }> = [];
    let counter = 0;

    for (let cycle = 0; cycle < 3; cycle++) {
      const writer = connectClient(server.url.replace('http', 'ws') + '/collab', documentId, token);
      await synced(writer);
      const typing = setInterval(() => {
        const marker = `<${cycle}.${counter++}>`;
        paragraphText(writer.doc).insert(0, marker);
        sent.push({ marker, at: Date.now() });
      }, 7);
      await new Promise((r) => setTimeout(r, 1500 + random() * 1500));
      const killedAt = Date.now();
      server.process.kill('SIGKILL');
      await server.exited;
      clearInterval(typing);
      writer.destroy();

      await assertDataParses(dataDir);
      server = await spawnServer({ DATA_DIR: dataDir });
      children.push(server);
      const reader = connectClient(server.url.replace('http', 'ws') + '/collab', documentId, token);
      await synced(reader);
      const text = paragraphText(reader.doc).toString();
      const missing = sent.filter((s) => s.at < killedAt - WINDOW_MS && !text.includes(s.marker));
      expect(missing, `seed ${seed}, cycle ${cycle}: updates older than the window were lost`).toEqual([]);
      // What a kill lost inside its window is legitimately gone; later cycles check the rest.
      sent = sent.filter((s) => text.includes(s.marker));
      expect(sent.length).toBeGreaterThan(0);
      reader.destroy();
    }
    server.process.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    await assertDataParses(dataDir);
  });

  it('SIGTERM flushes everything pending before exit', async () => {
    const fresh = await freshServer();
    const { dataDir, token, documentId } = fresh;
    let server = fresh.server;
    const writer = await syncedClient(server, documentId, token);
    paragraphText(writer.doc).insert(0, '[last words]');
    await new Promise((r) => setTimeout(r, 30)); // reaches the server, well inside the save debounce
    server.process.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    writer.destroy();
    server = await spawnServer({ DATA_DIR: dataDir });
    children.push(server);
    const reader = await syncedClient(server, documentId, token);
    await waitFor(() => paragraphText(reader.doc).toString().includes('[last words]'), 3000, 'flushed text');
    reader.destroy();
    server.process.kill('SIGTERM');
    await server.exited;
  });

  it('kill -9: saved edits that only the journal holds reach the plan’s log at the next start', async () => {
    const fresh = await freshServer();
    const { dataDir, token, documentId } = fresh;
    let server = fresh.server;
    const writer = await syncedClient(server, documentId, token);
    const markers = Array.from({ length: 20 }, (_, i) => `[journal ${i}]`);
    for (const marker of markers) {
      paragraphText(writer.doc).insert(0, marker);
      await new Promise((r) => setTimeout(r, 20));
    }
    await new Promise((r) => setTimeout(r, WINDOW_MS + 500)); // saved: durable in the journal
    server.process.kill('SIGKILL');
    await server.exited;
    writer.destroy();
    // Who typed them is on disk too (within a second of the first edit), for the compare views.
    const meta = await MetaStore.open(dataDir);
    const editor = meta.data.invites.find((invite) => invite.tokenHash === hashSecret(token))!.userId;
    expect(meta.authors.author(documentId, writer.doc.clientID)).toBe(editor);
    // Saved edits reach the plan's log when the journal is checkpointed (every 30 s): until
    // then they are on disk in the journal only. (Had a log been written and the machine gone
    // down before it was flushed, its pages would be lost: the journal holds them too.)
    const log = path.join(dataDir, 'documents', `${documentId}.ylog`);
    expect(existsSync(log)).toBe(false);
    server = await spawnServer({ DATA_DIR: dataDir });
    children.push(server);
    const reader = await syncedClient(server, documentId, token);
    const text = paragraphText(reader.doc).toString();
    expect(markers.filter((marker) => !text.includes(marker))).toEqual([]);
    expect(readdirSync(path.join(dataDir, 'documents')).filter((name) => name.endsWith('.wal'))).toEqual([]);
    reader.destroy();
    server.process.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  });

  it('the journal’s checkpoint moves saved edits into the plan’s log and deletes the journal file', async () => {
    const { dataDir, server, token, documentId } = await freshServer({ JOURNAL_CHECKPOINT_MS: '300' });
    const writer = await syncedClient(server, documentId, token);
    paragraphText(writer.doc).insert(0, '[checkpointed]');
    const documents = path.join(dataDir, 'documents');
    const log = path.join(documents, `${documentId}.ylog`);
    // Saved within a second; the journal file retires 300 ms after it was opened.
    await waitFor(() => existsSync(log) && readdirSync(documents).every((name) => !name.endsWith('.wal')), 5000, 'the checkpoint');
    const doc = new Y.Doc();
    for (const update of (await new FileDocumentStorage(documents).load(documentId))!) Y.applyUpdate(doc, update);
    expect(paragraphText(doc).toString()).toContain('[checkpointed]');
    writer.destroy();
    server.process.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  });

  it('a second server on the same data directory refuses to start with a clear message', async () => {
    const dataDir = tempDataDir();
    dirs.push(dataDir);
    const first = await spawnServer({ DATA_DIR: dataDir });
    children.push(first);
    const second = spawnServer({ DATA_DIR: dataDir });
    await expect(second).rejects.toThrow(/Another Minga server \(pid \d+.*\) is using the data directory/);
    first.process.kill('SIGTERM');
    await first.exited;
  });
});
