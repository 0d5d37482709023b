import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MetaStore } from '../server/store/meta-store.ts';
import { removeDir, tempDataDir } from './helpers/server.ts';

/** The metadata as the file on disk holds it. */
const onDisk = (dir: string) => JSON.parse(readFileSync(path.join(dir, 'minga.json'), 'utf8')) as { clientAuthors: Record<string, Record<string, string>> };

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
    await store.update((data) => void (data.clientAuthors.d1 = {}));
    store.updateSoon((data) => void (data.clientAuthors.d1['1'] = 'soon'), 1000);
    store.updateSoon((data) => void (data.clientAuthors.d1['2'] = 'late'), 30_000);
    expect(store.data.clientAuthors.d1).toEqual({ '1': 'soon', '2': 'late' }); // in memory at once
    expect(onDisk(dir).clientAuthors.d1).toEqual({});
    await vi.advanceTimersByTimeAsync(1000);
    await store.flushed();
    expect(onDisk(dir).clientAuthors.d1).toEqual({ '1': 'soon', '2': 'late' });
  });

  it('a change that may wait is written by its deadline, not before', async () => {
    const store = await MetaStore.open(dir);
    await store.update((data) => void (data.clientAuthors.d1 = {}));
    store.updateSoon((data) => void (data.clientAuthors.d1['3'] = 'late'), 30_000);
    await vi.advanceTimersByTimeAsync(29_000);
    expect(onDisk(dir).clientAuthors.d1).toEqual({});
    await vi.advanceTimersByTimeAsync(1000);
    await store.flushed();
    expect(onDisk(dir).clientAuthors.d1).toEqual({ '3': 'late' });
  });
});
