import { afterAll, describe, expect, it } from 'vitest';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as Y from 'yjs';
import { MemoryDocumentStorage, type DocumentStorage } from '../server/collab/storage.ts';
import { FileDocumentStorage } from '../server/store/file-document-storage.ts';
import { parseFrames } from '../server/store/frames.ts';
import { removeDir, tempDataDir } from './helpers/server.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeDir));

function textUpdate(doc: Y.Doc, text: string): Uint8Array {
  let update: Uint8Array = new Uint8Array();
  doc.once('update', (u: Uint8Array) => (update = u));
  doc.getText('t').insert(doc.getText('t').length, text);
  return update;
}

function replay(updates: Uint8Array[]): string {
  const doc = new Y.Doc();
  for (const u of updates) Y.applyUpdate(doc, u);
  return doc.getText('t').toString();
}

const implementations: Array<[string, () => DocumentStorage]> = [
  ['memory', () => new MemoryDocumentStorage()],
  [
    'file',
    () => {
      const dir = tempDataDir();
      dirs.push(dir);
      return new FileDocumentStorage(dir);
    },
  ],
];

describe.each(implementations)('document storage contract: %s', (_name, make) => {
  it('1. an unknown document loads as null', async () => {
    expect(await make().load('nope')).toBeNull();
  });

  it('2. create then load returns the state; creating twice is refused', async () => {
    const storage = make();
    const doc = new Y.Doc();
    textUpdate(doc, 'hola');
    await storage.create('d1', Y.encodeStateAsUpdate(doc));
    expect(replay((await storage.load('d1'))!)).toBe('hola');
    await expect(storage.create('d1', Y.encodeStateAsUpdate(doc))).rejects.toThrow();
  });

  it('3. appended updates come back in order after the state', async () => {
    const storage = make();
    const doc = new Y.Doc();
    await storage.create('d2', Y.encodeStateAsUpdate(doc));
    for (const word of ['uno ', 'dos ', 'tres']) await storage.append('d2', [textUpdate(doc, word)]);
    expect(replay((await storage.load('d2'))!)).toBe('uno dos tres');
  });

  it('3b. updates appended together come back as they were, in order, after earlier ones', async () => {
    const storage = make();
    const doc = new Y.Doc();
    await storage.create('d2b', Y.encodeStateAsUpdate(doc));
    await storage.append('d2b', [textUpdate(doc, 'uno ')]);
    const together = ['dos ', 'tres ', 'cuatro'].map((word) => textUpdate(doc, word));
    const { pendingBytes } = await storage.append('d2b', together);
    const loaded = (await storage.load('d2b'))!;
    expect(loaded.slice(-3)).toEqual(together);
    expect(replay(loaded)).toBe('uno dos tres cuatro');
    expect(pendingBytes).toBeGreaterThanOrEqual(together.reduce((n, u) => n + u.length, 0));
  });

  it('4. compaction keeps the content and shrinks what is stored', async () => {
    const storage = make();
    const doc = new Y.Doc();
    await storage.create('d3', Y.encodeStateAsUpdate(doc));
    for (let i = 0; i < 200; i++) await storage.append('d3', [textUpdate(doc, 'x')]);
    const before = await storage.size('d3');
    await storage.compact('d3', Y.encodeStateAsUpdate(doc));
    const after = await storage.size('d3');
    expect(after).toBeLessThan(before);
    expect(after).toBeLessThanOrEqual(Y.encodeStateAsUpdate(doc).length * 1.2);
    expect(replay((await storage.load('d3'))!)).toBe('x'.repeat(200));
  });

  it('5. appending to an unknown document is refused or creates nothing readable as another', async () => {
    const storage = make();
    const doc = new Y.Doc();
    await storage.create('d4', Y.encodeStateAsUpdate(doc));
    await storage.append('d4', [textUpdate(doc, 'a')]);
    expect(replay((await storage.load('d4'))!)).toBe('a');
  });
});

describe('file storage on disk', () => {
  it('a torn last frame (crash mid-append) is trimmed and every earlier update loads', async () => {
    const dir = tempDataDir();
    dirs.push(dir);
    const storage = new FileDocumentStorage(dir);
    const doc = new Y.Doc();
    await storage.create('torn', Y.encodeStateAsUpdate(doc));
    await storage.append('torn', [textUpdate(doc, 'kept')]);
    await storage.close(); // the journal's checkpoint writes the log
    const logFile = path.join(dir, 'torn.ylog');
    appendFileSync(logFile, Buffer.from([50, 0, 0, 0, 1, 2, 3])); // header of a frame whose body never arrived
    expect(replay((await new FileDocumentStorage(dir).load('torn'))!)).toBe('kept');
    expect(parseFrames(readFileSync(logFile)).validBytes).toBe(readFileSync(logFile).length);
  });

  it('a corrupted frame stops the replay at the last good frame instead of failing', async () => {
    const dir = tempDataDir();
    dirs.push(dir);
    const storage = new FileDocumentStorage(dir);
    const doc = new Y.Doc();
    await storage.create('bad', Y.encodeStateAsUpdate(doc));
    await storage.append('bad', [textUpdate(doc, 'a')]);
    await storage.append('bad', [textUpdate(doc, 'b')]);
    await storage.close();
    const logFile = path.join(dir, 'bad.ylog');
    const bytes = readFileSync(logFile);
    bytes[bytes.length - 1] ^= 0xff;
    writeFileSync(logFile, bytes);
    expect(replay((await new FileDocumentStorage(dir).load('bad'))!)).toBe('a');
  });

  it('refuses ids that could escape the directory', async () => {
    const storage = new FileDocumentStorage(tempDataDir());
    await expect(storage.load('../etc/passwd')).rejects.toThrow(/invalid document id/);
  });
});
