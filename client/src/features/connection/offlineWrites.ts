/**
 * The offline copy's writes, batched. y-indexeddb stores every Yjs update in an IndexedDB
 * transaction of its own, synchronously in the update's handler: every keystroke typed here and
 * every one that arrives from someone else paid ~0.3–0.5 ms of main thread between the key and
 * its character on screen (docs/benchmarks.md, scenario browser). Here the updates are collected
 * and written as one merged update in one transaction right after the next frame (so a key's
 * write follows its character on screen by a frame, and several updates in a frame are one
 * write), and at once when the page is hidden or left, or the connection closes. Updates from
 * the server alone are written in the next task instead: a remote edit in a block far from the
 * viewport draws nothing, and a frame asked for it would be a frame for nothing. Not at idle
 * time: a page reloaded or closed within that wait loses the write (an IndexedDB transaction
 * begun at pagehide did not land before the reload in the e2e test of an offline reload).
 */
import * as Y from 'yjs';
import type { IndexeddbPersistence } from 'y-indexeddb';
import { afterNextFrame, afterThisTask } from '../../lib/idle.ts';

/**
 * Take over `persistence`'s writes of `doc`'s updates; returns the function that writes what is
 * pending and stops. `isRemote(origin)` tells the updates that came from the server.
 */
export function batchOfflineWrites(persistence: IndexeddbPersistence, doc: Y.Doc, isRemote: (origin: unknown) => boolean): () => void {
  doc.off('update', persistence._storeUpdate);
  let pending: Uint8Array[] = [];
  /** The pending write's schedule: after the next frame, or (updates from the server only) after this task. */
  let scheduled: { cancel: () => void; afterFrame: boolean } | null = null;
  const flush = () => {
    scheduled?.cancel();
    scheduled = null;
    if (pending.length === 0) return;
    const update = pending.length === 1 ? pending[0] : Y.mergeUpdates(pending);
    pending = [];
    // The origin is not the persistence itself: that one means "read back from the copy".
    persistence._storeUpdate(update, null);
  };
  const onUpdate = (update: Uint8Array, origin: unknown) => {
    if (origin === persistence) return; // replayed from the copy: already in it
    pending.push(update);
    const remote = isRemote(origin);
    if (scheduled && (scheduled.afterFrame || remote)) return;
    // A local edit after a remote one: the write waits for the edit's frame, not before it.
    scheduled?.cancel();
    scheduled = remote ? { cancel: afterThisTask(flush), afterFrame: false } : { cancel: afterNextFrame(flush), afterFrame: true };
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
