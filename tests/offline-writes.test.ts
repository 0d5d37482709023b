/**
 * When the offline copy's batched writes run (client/src/features/connection/offlineWrites.ts):
 * after the frame for the person's own edits, in the next task for updates from the server
 * alone (a frame asked for them would draw nothing), at once when the page is left.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { IndexeddbPersistence } from 'y-indexeddb';
import { batchOfflineWrites } from '../client/src/features/connection/offlineWrites.ts';

/** Frames run only when the test says so; `requested` counts the frames asked for. */
const frames = { callbacks: [] as Array<() => void>, requested: 0 };
const nextTask = () => new Promise((resolve) => setTimeout(resolve, 5));
const runFrame = () => frames.callbacks.splice(0).forEach((callback) => callback());

beforeEach(() => {
  frames.callbacks = [];
  frames.requested = 0;
  const target = new EventTarget();
  Object.assign(globalThis, {
    window: target,
    document: Object.assign(new EventTarget(), { visibilityState: 'visible' }),
    requestAnimationFrame: (callback: () => void) => {
      frames.requested++;
      frames.callbacks.push(callback);
      return frames.requested;
    },
    cancelAnimationFrame: () => undefined,
  });
});

afterEach(() => {
  for (const name of ['window', 'document', 'requestAnimationFrame', 'cancelAnimationFrame']) delete (globalThis as Record<string, unknown>)[name];
});

/** A document whose offline writes are batched, and the updates the (fake) store received. */
function setUp() {
  const doc = new Y.Doc();
  const remote = { name: 'provider' };
  const written: Uint8Array[] = [];
  const persistence = { _storeUpdate: (update: Uint8Array) => written.push(update) } as unknown as IndexeddbPersistence;
  doc.on('update', persistence._storeUpdate);
  const stop = batchOfflineWrites(persistence, doc, (origin) => origin === remote);
  const edit = (text: string, origin: unknown) => doc.transact(() => doc.getText('t').insert(doc.getText('t').length, text), origin);
  /** What the store holds, applied to a fresh document. */
  const stored = () => {
    const copy = new Y.Doc();
    for (const update of written) Y.applyUpdate(copy, update);
    return copy.getText('t').toString();
  };
  return { doc, remote, written, stop, edit, stored };
}

describe('offline copy writes', () => {
  it('updates from the server alone are written in the next task, asking for no frame', async () => {
    const { remote, written, edit, stored } = setUp();
    edit('a', remote);
    edit('b', remote);
    expect(written).toHaveLength(0);
    await nextTask();
    expect(frames.requested).toBe(0);
    expect(written).toHaveLength(1); // merged
    expect(stored()).toBe('ab');
  });

  it('the person’s own edits are written after the frame that shows them', async () => {
    const { written, edit, stored } = setUp();
    edit('a', 'typing');
    await nextTask();
    expect(written).toHaveLength(0);
    expect(frames.requested).toBe(1);
    runFrame();
    await nextTask();
    expect(stored()).toBe('a');
  });

  it('an own edit after a server update moves the pending write after the frame; a server update joins a pending frame write', async () => {
    const { remote, written, edit, stored } = setUp();
    edit('a', remote);
    edit('b', 'typing');
    edit('c', remote);
    await nextTask();
    expect(written).toHaveLength(0); // not before the frame that shows "b"
    expect(frames.requested).toBe(1);
    runFrame();
    await nextTask();
    expect(written).toHaveLength(1);
    expect(stored()).toBe('abc');
  });

  it('leaving the page writes what is pending at once, and stopping does too', async () => {
    const { written, edit, stop, stored } = setUp();
    edit('a', 'typing');
    window.dispatchEvent(new Event('pagehide'));
    expect(stored()).toBe('a');
    edit('b', 'typing');
    stop();
    expect(stored()).toBe('ab');
    expect(written).toHaveLength(2);
  });
});
