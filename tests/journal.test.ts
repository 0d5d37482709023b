import { afterAll, describe, expect, it } from 'vitest';
import { appendFileSync, existsSync, readdirSync, rmSync, statSync, truncateSync } from 'node:fs';
import path from 'node:path';
import * as Y from 'yjs';
import { FileDocumentStorage, readStoredUpdatesReadOnly } from '../server/store/file-document-storage.ts';
import { encodeFrames } from '../server/store/frames.ts';
import { Journal, journaledFrames, readJournals } from '../server/store/journal.ts';
import { waitFor } from './helpers/clients.ts';
import { removeDir, tempDataDir } from './helpers/server.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeDir));

function freshDir(): string {
  const dir = tempDataDir();
  dirs.push(dir);
  return dir;
}

function textUpdate(doc: Y.Doc, text: string): Uint8Array {
  let update: Uint8Array = new Uint8Array();
  doc.once('update', (u: Uint8Array) => (update = u));
  doc.getText('t').insert(doc.getText('t').length, text);
  return update;
}

function replay(updates: Uint8Array[] | null): string {
  const doc = new Y.Doc();
  for (const u of updates ?? []) Y.applyUpdate(doc, u);
  return doc.getText('t').toString();
}

const journalFiles = (dir: string): string[] => readdirSync(dir).filter((name) => name.endsWith('.wal'));

/** Documents `ids`, each created empty and given `words` one append at a time. */
async function typeInto(storage: FileDocumentStorage, ids: string[], words: string[]): Promise<void> {
  const docs = ids.map(() => new Y.Doc());
  await Promise.all(ids.map((id, i) => storage.create(id, Y.encodeStateAsUpdate(docs[i]))));
  for (const word of words) await Promise.all(ids.map((id, i) => storage.append(id, [textUpdate(docs[i], word)])));
}

describe('the journal: appends made durable in groups', () => {
  it('records that arrive while a journal write is on its way go together in the next one', async () => {
    const dir = freshDir();
    const journal = new Journal(dir, { retireBytes: 1 << 20, retireMs: 60_000, flushDocument: async () => {} });
    const ids = Array.from({ length: 50 }, (_, i) => `plan${i}`);
    const frames = ids.map((id) => encodeFrames([Buffer.from(`update of ${id}`)]));
    await Promise.all(ids.map((id, i) => journal.record(id, frames[i])));
    // The first goes alone; the 49 queued behind it share one durable write.
    expect(journal.commits).toBe(2);
    for (const id of ids) expect(await journaledFrames(dir, id)).toEqual([new Uint8Array(Buffer.from(`update of ${id}`))]);
    await journal.close();
    expect(journalFiles(dir)).toEqual([]);
  });

  it('appends of many plans at once each load back as their own', async () => {
    const dir = freshDir();
    const storage = new FileDocumentStorage(dir);
    const ids = Array.from({ length: 50 }, (_, i) => `plan${i}`);
    await typeInto(storage, ids, ['uno ', 'dos']);
    // Each round's 50 appends are issued together: the first is written alone, the rest in one.
    expect(storage.journalCommits).toBe(4);
    for (const id of ids) expect(replay(await storage.load(id))).toBe('uno dos');
    await storage.close();
  });

  it('after a crash, the next start puts the journaled appends into the plans’ logs before anything loads', async () => {
    const dir = freshDir();
    const storage = new FileDocumentStorage(dir);
    await typeInto(storage, ['a', 'b'], ['uno ', 'dos ', 'tres']);
    // The process dies without closing: the appends are durable in the journal only.
    expect(existsSync(path.join(dir, 'a.ylog'))).toBe(false);
    expect(replay(await new FileDocumentStorage(dir).load('a'))).toBe('');
    // b's log had frames from before, and the crash tore its last one.
    appendFileSync(path.join(dir, 'b.ylog'), Buffer.from([50, 0, 0, 0, 1, 2, 3]));

    const restarted = new FileDocumentStorage(dir);
    expect((await restarted.recover()).sort()).toEqual(['a', 'b']);
    expect(replay(await restarted.load('a'))).toBe('uno dos tres');
    expect(replay(await restarted.load('b'))).toBe('uno dos tres');
    expect(journalFiles(dir)).toEqual([]);
    // Recovered once: a second start finds nothing to do, and the logs hold everything.
    expect(await new FileDocumentStorage(dir).recover()).toEqual([]);
    expect(replay(await new FileDocumentStorage(dir).load('b'))).toBe('uno dos tres');
  });

  it('appends are in the log once flushed at shutdown, and a compaction drops what it holds', async () => {
    const dir = freshDir();
    const storage = new FileDocumentStorage(dir);
    const doc = new Y.Doc();
    await storage.create('c', Y.encodeStateAsUpdate(doc));
    await storage.append('c', [textUpdate(doc, 'uno ')]);
    expect(replay(await storage.load('c'))).toBe('uno ');
    expect(await storage.size('c')).toBeGreaterThan(statSync(path.join(dir, 'c.ystate')).size);
    await storage.compact('c', Y.encodeStateAsUpdate(doc));
    await storage.append('c', [textUpdate(doc, 'dos')]);
    await storage.close();
    expect(journalFiles(dir)).toEqual([]);
    // The log holds only what came after the compaction.
    const other = new FileDocumentStorage(dir);
    expect(replay(await other.load('c'))).toBe('uno dos');
    // What a compaction is due on: the log's bytes and the unflushed ones.
    const update = textUpdate(doc, '!');
    const { pendingBytes } = await other.append('c', [update]);
    expect(pendingBytes).toBe(statSync(path.join(dir, 'c.ylog')).size + 8 + update.length);
  });

  it('a full journal file is retired: the plans’ logs are flushed, then it is deleted', async () => {
    const dir = freshDir();
    const storage = new FileDocumentStorage(dir, { journal: { retireBytes: 200, retireMs: 60_000 } });
    await typeInto(storage, ['p', 'q'], Array.from({ length: 20 }, (_, i) => `palabra${i} `));
    await waitFor(() => journalFiles(dir).length <= 1, 5000, 'retired journal files to be deleted');
    const expected = Array.from({ length: 20 }, (_, i) => `palabra${i} `).join('');
    // What the deleted files held is in the logs: a reader of the logs alone misses only the
    // newest words, which the current journal file holds.
    for (const id of ['p', 'q']) {
      const fromLogs = replay(await new FileDocumentStorage(dir).load(id));
      expect(fromLogs.length).toBeGreaterThan(0);
      expect(expected.startsWith(fromLogs)).toBe(true);
      expect(replay(await readStoredUpdatesReadOnly(dir, id))).toBe(expected);
    }
    await storage.close();
    expect(journalFiles(dir)).toEqual([]);
    for (const id of ['p', 'q']) expect(replay(await new FileDocumentStorage(dir).load(id))).toBe(expected);
  });

  it('an append the journal could not write is refused and not kept', async () => {
    const dir = freshDir();
    const storage = new FileDocumentStorage(dir);
    const doc = new Y.Doc();
    await storage.create('lost', Y.encodeStateAsUpdate(doc));
    rmSync(dir, { recursive: true });
    await expect(storage.append('lost', [textUpdate(doc, 'uno')])).rejects.toThrow(/ENOENT/);
    // Nothing of it stays in memory for a later checkpoint, and retries do not pile up.
    expect(await storage.size('lost')).toBe(0);
    expect(await storage.load('lost')).toBeNull();
  });

  it('a reader that does not own the directory sees journaled updates the log lost', async () => {
    const dir = freshDir();
    const storage = new FileDocumentStorage(dir);
    await typeInto(storage, ['r'], ['uno ', 'dos']);
    expect(existsSync(path.join(dir, 'r.ylog'))).toBe(false);
    expect(replay(await readStoredUpdatesReadOnly(dir, 'r'))).toBe('uno dos');
    expect(journalFiles(dir).length).toBe(1);
    // A file the server's checkpoint deleted after the reader listed it is skipped (its records
    // are in the logs, which the reader reads after the journal).
    const listed = [path.join(dir, 'gone-meanwhile.wal'), ...journalFiles(dir).map((name) => path.join(dir, name))];
    expect([...(await readJournals(listed)).keys()]).toEqual(['r']);
  });
});
