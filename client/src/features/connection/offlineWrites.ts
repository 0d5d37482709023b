/**
 * The offline copy's writes, batched. y-indexeddb stores every Yjs update in an IndexedDB
 * transaction of its own, synchronously in the update's handler: every keystroke typed here and
 * every one that arrives from someone else paid ~0.3–0.5 ms of main thread between the key and
 * its character on screen (docs/benchmarks.md, scenario browser). Here the updates are collected
 * and written as one merged update in one transaction right after the next frame (so a key's
 * write follows its character on screen by a frame, and several updates in a frame are one
 * write), and at once when the page is hidden or left, or the connection closes. Not at idle
 * time: a page reloaded or closed within that wait loses the write (an IndexedDB transaction
 * begun at pagehide did not land before the reload in the e2e test of an offline reload).
 */
import * as Y from 'yjs';
import type { IndexeddbPersistence } from 'y-indexeddb';
import { afterNextFrame } from '../../lib/idle.ts';

/** Take over `persistence`'s writes of `doc`'s updates; returns the function that writes what is pending and stops. */
export function batchOfflineWrites(persistence: IndexeddbPersistence, doc: Y.Doc): () => void {
  doc.off('update', persistence._storeUpdate);
  let pending: Uint8Array[] = [];
  let cancelScheduled: (() => void) | null = null;
  const flush = () => {
    cancelScheduled?.();
    cancelScheduled = null;
    if (pending.length === 0) return;
    const update = pending.length === 1 ? pending[0] : Y.mergeUpdates(pending);
    pending = [];
    // The origin is not the persistence itself: that one means "read back from the copy".
    persistence._storeUpdate(update, null);
  };
  const onUpdate = (update: Uint8Array, origin: unknown) => {
    if (origin === persistence) return; // replayed from the copy: already in it
    pending.push(update);
    cancelScheduled ??= afterNextFrame(flush);
  };
  const onHidden = () => {
    if (document.visibilityState === 'hidden') flush();
  };
  doc.on('update', onUpdate);
  window.addEventListener('pagehide', flush);
  document.addEventListener('visibilitychange', onHidden);
  return () => {
    flush();
    doc.off('update', onUpdate);
    window.removeEventListener('pagehide', flush);
    document.removeEventListener('visibilitychange', onHidden);
  };
}
