import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ClientAuthors } from '../server/store/client-authors.ts';
import { emptyMeta, MetaStore } from '../server/store/meta-store.ts';
import { removeDir, tempDataDir } from './helpers/server.ts';

/** The metadata as the file on disk holds it. */
const onDisk = (dir: string) => JSON.parse(readFileSync(path.join(dir, 'minga.json'), 'utf8')) as Record<string, any>;
const plan = { id: 'd1', title: 'Plan', template: 'sovio' as const, createdAt: '2026-01-01T00:00:00.000Z', updatedAt: 'then', createdBy: null };

describe('bookkeeping writes of the metadata store', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDataDir();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
    removeDir(dir);
  });

  it('a change that may wait long does not postpone one due sooner, and rides along with it', async () => {
    const store = await MetaStore.open(dir);
    await store.update((data) => void data.documents.push({ ...plan }, { ...plan, id: 'd2' }));
    store.updateSoon((data) => void (data.documents[0].updatedAt = 'soon'), 1000);
    store.updateSoon((data) => void (data.documents[1].updatedAt = 'late'), 30_000);
    expect(store.data.documents.map((d) => d.updatedAt)).toEqual(['soon', 'late']); // in memory at once
    expect(onDisk(dir).documents.map((d: any) => d.updatedAt)).toEqual(['then', 'then']);
    await vi.advanceTimersByTimeAsync(1000);
    await store.flushed();
    expect(onDisk(dir).documents.map((d: any) => d.updatedAt)).toEqual(['soon', 'late']);
  });

  it('a change that may wait is written by its deadline, not before', async () => {
    const store = await MetaStore.open(dir);
    await store.update((data) => void data.documents.push({ ...plan }));
    store.updateSoon((data) => void (data.documents[0].updatedAt = 'late'), 30_000);
    await vi.advanceTimersByTimeAsync(29_000);
    expect(onDisk(dir).documents[0].updatedAt).toBe('then');
    await vi.advanceTimersByTimeAsync(1000);
    await store.flushed();
    expect(onDisk(dir).documents[0].updatedAt).toBe('late');
  });
});

describe('the attribution of Yjs client ids (client-authors.jsonl)', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = tempDataDir();
    file = path.join(dir, 'client-authors.jsonl');
  });
  afterEach(() => removeDir(dir));
  const lines = () => readFileSync(file, 'utf8').split('\n');

  it('is known in memory at once, on disk within the second in one append, and the first writer wins', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      const authors = await ClientAuthors.open(file);
      authors.record('d1', [1, 2], 'ana');
      authors.record('d1', [2, 3], 'bea'); // 2 is Ana's already
      authors.record('d2', [1], 'bea');
      expect([authors.author('d1', 2), authors.author('d1', 3), authors.author('d2', 1), authors.author('d2', 2)]).toEqual(['ana', 'bea', 'bea', undefined]);
      await vi.advanceTimersByTimeAsync(900);
      expect(() => readFileSync(file)).toThrow(/ENOENT/);
      await vi.advanceTimersByTimeAsync(100);
      await authors.flush();
      expect(lines()).toEqual(['{"d":"d1","c":1,"u":"ana"}', '{"d":"d1","c":2,"u":"ana"}', '{"d":"d1","c":3,"u":"bea"}', '{"d":"d2","c":1,"u":"bea"}', '']);
      authors.record('d1', [1, 2, 3], 'carla'); // nothing new: nothing written
      await authors.flush();
      expect(lines()).toHaveLength(5);
    } finally {
      vi.useRealTimers();
    }
    const reopened = await ClientAuthors.open(file);
    expect(reopened.author('d1', 3)).toBe('bea');
  });

  it('a torn last line (a crash mid-append) is skipped, and the next append starts a new line', async () => {
    writeFileSync(file, '{"d":"d1","c":1,"u":"ana"}\n{"d":"d1","c":2,"u":"b');
    const authors = await ClientAuthors.open(file);
    expect([authors.author('d1', 1), authors.author('d1', 2)]).toEqual(['ana', undefined]);
    authors.record('d1', [3], 'carla');
    await authors.flush();
    const reopened = await ClientAuthors.open(file);
    expect([reopened.author('d1', 1), reopened.author('d1', 2), reopened.author('d1', 3)]).toEqual(['ana', undefined, 'carla']);
  });

  it('an append that fails keeps its lines and writes them with the next one; flush reports the failure', async () => {
    const gone = path.join(dir, 'sub');
    mkdirSync(gone);
    const authors = await ClientAuthors.open(path.join(gone, 'client-authors.jsonl'));
    rmSync(gone, { recursive: true });
    authors.record('d1', [1], 'ana');
    await expect(authors.flush()).rejects.toThrow(/ENOENT/);
    mkdirSync(gone);
    authors.record('d1', [2], 'bea');
    await authors.flush();
    const reopened = await ClientAuthors.open(path.join(gone, 'client-authors.jsonl'));
    expect([reopened.author('d1', 1), reopened.author('d1', 2)]).toEqual(['ana', 'bea']);
  });

  it('an older minga.json keeping the attribution inside is moved to the file, and the field dropped', async () => {
    writeFileSync(path.join(dir, 'minga.json'), JSON.stringify({ ...emptyMeta(), documents: [plan], clientAuthors: { d1: { '7': 'ana', '8': 'bea' } } }));
    const store = await MetaStore.open(dir);
    expect([store.authors.author('d1', 7), store.authors.author('d1', 8)]).toEqual(['ana', 'bea']);
    expect(onDisk(dir).clientAuthors).toBeUndefined();
    expect(onDisk(dir).documents).toEqual([plan]);
    const reopened = await MetaStore.open(dir);
    expect(reopened.authors.author('d1', 8)).toBe('bea');
    expect(lines()).toHaveLength(3); // moved once
  });
});
