/**
 * A room: one open document, its awareness, its connections and its persistence schedule.
 * Updates are saved within `saveMaxWaitMs` (plus the save clock's grain) of arriving; a failed
 * save keeps the document in memory, tells the people in it, and is retried until it succeeds.
 */
import * as Y from 'yjs';
import { Awareness, removeAwarenessStates } from 'y-protocols/awareness';
import { encodeSyncUpdate, type Connection } from './connection.ts';
import { mergeUpdateList } from './merge.ts';
import type { SaveClock, SaveWaiter } from './save-clock.ts';
import type { DocumentStorage } from './storage.ts';
import { SharedMessage, type CollabLimits, type Logger } from './types.ts';

/** Transaction origin of updates read from storage: never saved again, never broadcast. */
export const LOAD_ORIGIN = { name: 'minga:load' } as const;
/** Transaction origin of changes the server itself makes to a document. */
export const SERVER_ORIGIN = { name: 'minga:server' } as const;

const RETRY_MS = 2000;
/**
 * A save merges its updates when it has more than this many: a burst (a replayed trace, a
 * script) then costs its merged size on disk instead of hundreds of frames. Everyday typing is
 * written as it came, even twenty people typing at once (~40 updates a save): a merge runs
 * once per save, too rarely for V8 to optimise it, and measured in the server it held the
 * event loop 0.35–5 ms (median ~0.9 ms) for forty keystrokes, every 800 ms in every busy plan,
 * to save ~800 bytes that the next compaction saves anyway (docs/benchmarks.md, fourteenth pass).
 */
const MERGE_ABOVE = 256;

/** Whether Yjs holds structs or deletions of `doc` waiting for what they build on. */
function hasPending(doc: Y.Doc): boolean {
  const { pendingStructs, pendingDs } = (doc as unknown as { store: { pendingStructs: unknown; pendingDs: unknown } }).store;
  return pendingStructs !== null || pendingDs !== null;
}

/** One open document. */
export class Room implements SaveWaiter {
  readonly doc = new Y.Doc({ gc: true });
  readonly awareness = new Awareness(this.doc);
  readonly connections = new Set<Connection>();
  /** Updates not yet durable, in arrival order. */
  private pending: Uint8Array[] = [];
  private firstPendingAt = 0;
  private lastPendingAt = 0;
  /** After a failed save: when to try again (0: no retry pending). */
  private retryAt = 0;
  private chain: Promise<void> = Promise.resolve();
  private saving = false;
  /** Set while saving fails, cleared by the next successful save. */
  storageError: Error | null = null;
  /** Listeners told when storage health changes. */
  onStorageHealth: (error: Error | null) => void = () => {};
  /**
   * Updates applied in this turn of the event loop and not yet sent to the other connections,
   * all from one origin. ws hands every frame of one socket read to us in one go; merging them
   * sends each reader one message per burst instead of one per keystroke.
   */
  private outgoing: { origin: unknown; updates: Uint8Array[] } | null = null;
  /** The sync reply for a client that has nothing yet, while the document has not changed since. */
  private fullSyncReply: Uint8Array | null = null;
  /** Set while an update that has already gone out is applied: its update event sends nothing. */
  private relaying = false;

  constructor(
    readonly documentId: string,
    private readonly storage: DocumentStorage,
    private readonly limits: CollabLimits,
    private readonly logger: Logger,
    private readonly clock: SaveClock,
  ) {
    this.awareness.setLocalState(null);
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      this.fullSyncReply = null;
      if (origin === LOAD_ORIGIN) return;
      this.pending.push(update);
      this.lastPendingAt = Date.now();
      if (this.pending.length === 1) {
        this.firstPendingAt = this.lastPendingAt;
        this.clock.watch(this);
      }
    });
  }

  /**
   * Apply every stored update; called once before the first connection joins. One unreadable
   * update is logged and skipped rather than making the whole plan impossible to open.
   */
  load(updates: Uint8Array[]): void {
    Y.transact(this.doc, () => {
      updates.forEach((update, index) => {
        try {
          Y.applyUpdate(this.doc, update, LOAD_ORIGIN);
        } catch (error) {
          this.logger.error('document.update_unreadable', { documentId: this.documentId, index, bytes: update.length, error: (error as Error).message });
        }
      });
    }, LOAD_ORIGIN);
  }

  /**
   * Send an applied update to every connection but its origin, merged with the others of this
   * turn from the same origin. Sent at the end of the turn, or before anything else is sent to
   * anyone in the room (so a notice or awareness change never overtakes the update it follows).
   */
  broadcast(update: Uint8Array, origin: unknown): void {
    if (this.connections.size === 0 || this.relaying) return;
    if (this.outgoing && this.outgoing.origin !== origin) this.flushBroadcast();
    if (!this.outgoing) {
      this.outgoing = { origin, updates: [] };
      queueMicrotask(() => this.flushBroadcast());
    }
    this.outgoing.updates.push(update);
  }

  /**
   * The sync step 2 message for a client with an empty state vector: the whole document.
   * Encoded once and shared until the document changes, so that people opening a long plan
   * at the same time (a meeting starting) do not each cost a full encoding.
   */
  fullSync(encode: () => Uint8Array): Uint8Array {
    this.fullSyncReply ??= encode();
    return this.fullSyncReply;
  }

  /**
   * Apply an update a client sent and the guard let through, and get it to the others.
   *
   * A `relayable` update (one that resolves entirely against the document, nothing it refers to
   * missing, and is the last frame of its socket read) goes to the others first, as the client
   * wrote it, and is applied after, when the server holds nothing pending and nothing is held
   * back for the room: readers do not wait for the server's own integration (decoding,
   * integrating, encoding the result again for the update listeners; most of the server's time
   * on a keystroke). Applying it then changes exactly what it says, so the document's update
   * event has nothing to add and sends nothing.
   *
   * Otherwise it is applied and the document's update event broadcasts what changed (which
   * includes structs held pending until now, which the others have never had); the frames of
   * one read are merged and sent at the end of the turn (see `broadcast`).
   */
  applyClientUpdate(update: Uint8Array, origin: Connection, relayable: boolean): void {
    if (!relayable || this.outgoing || this.connections.size < 2 || hasPending(this.doc)) {
      Y.applyUpdate(this.doc, update, origin);
      return;
    }
    const message = new SharedMessage(encodeSyncUpdate(update));
    for (const connection of this.connections) if (connection !== origin) connection.write(message);
    this.relaying = true;
    try {
      Y.applyUpdate(this.doc, update, origin);
    } finally {
      this.relaying = false;
    }
  }

  /** Send what `broadcast` holds back, now. */
  flushBroadcast(): void {
    const batch = this.outgoing;
    if (!batch) return;
    this.outgoing = null;
    const message = new SharedMessage(encodeSyncUpdate(mergeUpdateList(batch.updates)));
    for (const connection of this.connections) if (connection !== batch.origin) connection.write(message);
  }

  /** Whether any update is still waiting to reach storage. */
  get dirty(): boolean {
    return this.pending.length > 0 || this.saving;
  }

  /**
   * When the pending updates are due on disk: `saveDebounceMs` after the last one, and never
   * later than `saveMaxWaitMs` after the first; after a failed save, when it is retried. The
   * save clock asks at each tick, so a keystroke only records its time.
   */
  saveDueAt(): number {
    if (this.retryAt > 0) return this.retryAt;
    return Math.min(this.lastPendingAt + this.limits.saveDebounceMs, this.firstPendingAt + this.limits.saveMaxWaitMs);
  }

  /** The clock's call: it has already taken the room off its lists. */
  startSave(): void {
    void this.queueSave();
  }

  /** Make every pending update durable. Resolves when done (or when it failed and a retry is scheduled). */
  save(): Promise<void> {
    this.clock.unwatch(this);
    return this.queueSave();
  }

  private queueSave(): Promise<void> {
    this.chain = this.chain.then(() => this.saveNow());
    return this.chain;
  }

  private async saveNow(): Promise<void> {
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.retryAt = 0;
    this.saving = true;
    try {
      // A few updates are written as they are (a merge costs more than it saves on them);
      // a burst is merged into one (a pasted page, a replay: far fewer bytes on disk).
      const updates = batch.length > MERGE_ABOVE ? [mergeUpdateList(batch)] : batch;
      const { pendingBytes } = await this.storage.append(this.documentId, updates);
      if (pendingBytes > this.limits.compactAfterBytes) await this.compactNow();
      this.setStorageError(null);
    } catch (error) {
      // Keep the batch, in order, ahead of anything that arrived meanwhile, and retry.
      this.pending = [...batch, ...this.pending];
      if (this.pending.length > 1) this.pending = [mergeUpdateList(this.pending)];
      this.setStorageError(error as Error);
      this.logger.error('document.save_failed', { documentId: this.documentId, error: (error as Error).message });
      this.retryAt = Date.now() + RETRY_MS;
      this.clock.watch(this);
    } finally {
      this.saving = false;
    }
  }

  private async compactNow(): Promise<void> {
    await this.storage.compact(this.documentId, Y.encodeStateAsUpdate(this.doc));
    this.logger.info('document.compacted', { documentId: this.documentId });
  }

  /** Save everything and fold the log into the state: used before unloading and at shutdown. */
  async flushAndCompact(): Promise<void> {
    await this.save();
    if (this.pending.length > 0) throw this.storageError ?? new Error('save failed');
    this.chain = this.chain.then(() => this.compactNow());
    await this.chain;
  }

  private setStorageError(error: Error | null): void {
    const changed = (error === null) !== (this.storageError === null);
    this.storageError = error;
    if (changed) this.onStorageHealth(error);
  }

  /** Remove the awareness states a departing connection controlled. */
  forgetClients(clientIds: Iterable<number>, origin: unknown): void {
    const ids = [...clientIds];
    if (ids.length > 0) removeAwarenessStates(this.awareness, ids, origin);
  }

  /** Release timers and memory; the room must be saved first. */
  destroy(): void {
    this.clock.unwatch(this);
    this.outgoing = null;
    this.awareness.destroy();
    this.doc.destroy();
  }
}
