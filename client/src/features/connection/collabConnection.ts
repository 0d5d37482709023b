/**
 * The collaboration wiring of one plan, free of React: a Y.Doc synced by y-websocket, kept
 * offline by y-indexeddb, with Minga's notices (message type 100) decoded and the connection
 * state (including how many changes wait on this device) exposed as a subscribable snapshot.
 */
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { WebsocketProvider } from 'y-websocket';
import { clearDocument, IndexeddbPersistence } from 'y-indexeddb';
import { batchOfflineWrites } from './offlineWrites.ts';
import { CloseCode, COLLAB_PATH, MessageType, type Notice } from '../../../../shared/protocol.ts';
import { offlineStoreName } from '../editor/offlineStore.ts';
import { CommandOutbox, OFFLINE_COMMAND_TIMEOUT_MS, outboxKey } from './commandOutbox.ts';

/** What the connection indicator shows. */
export type ConnectionStatus = 'connecting' | 'connected' | 'reconnecting' | 'offline' | 'closed';

/** A consistent view of the connection for rendering. */
export interface ConnectionSnapshot {
  status: ConnectionStatus;
  /** Local changes made while not connected and synced; reset once synced again. */
  pendingChanges: number;
  /** Set when the server ended the connection for good (4xxx close codes). */
  closeCode: number | null;
  closeReason: string;
}

/** The server's answer to a command. */
export type CommandResult = { ok: true } | { ok: false; error: string };

/** A command an earlier page of this plan sent and never had answered, sent again by this connection. */
export interface ResumedCommand {
  command: Record<string, unknown>;
  result: Promise<CommandResult>;
}

/** A listener for Minga notices. */
export type NoticeListener = (notice: Notice) => void;

/** How many notices are kept for the first listener (a storage problem or a role change, in practice). */
const MAX_EARLY_NOTICES = 20;

/** Closes after which reconnecting cannot help: the session, the access or the plan is gone. */
function isTerminalClose(code: number): boolean {
  return code === CloseCode.Unauthorized || code === CloseCode.Forbidden || code === CloseCode.DocumentNotFound;
}

/** Parse a notice body defensively: the server is trusted, but a bad frame must not crash. */
export function parseNotice(json: string): Notice | null {
  try {
    const value = JSON.parse(json) as Partial<Notice> & Record<string, unknown>;
    if (value.kind === 'update-refused') return { kind: 'update-refused', reason: String(value.reason ?? ''), resync: value.resync !== false };
    if (value.kind === 'role-changed' && typeof value.role === 'string') return { kind: 'role-changed', role: value.role };
    if (value.kind === 'storage') return { kind: 'storage', ok: Boolean(value.ok), message: String(value.message ?? '') };
    if (value.kind === 'command-result') return { kind: 'command-result', requestId: String(value.requestId ?? ''), ok: Boolean(value.ok), error: value.error === undefined ? undefined : String(value.error) };
  } catch {
    // Fall through: an unreadable notice is ignored, as y-websocket ignores unknown types.
  }
  return null;
}

/** The websocket base URL of this origin (ws: or wss: to match the page). */
export function collabServerUrl(): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}${COLLAB_PATH}`;
}

let instances = 0;

/** One plan's Y.Doc with its websocket provider and offline store. */
export class CollabConnection {
  /** Tells this connection from the one that replaces it after a resync (a React key). */
  readonly instance = ++instances;
  readonly doc = new Y.Doc();
  readonly provider: WebsocketProvider;
  readonly persistence: IndexeddbPersistence;
  private snapshot: ConnectionSnapshot = { status: 'connecting', pendingChanges: 0, closeCode: null, closeReason: '' };
  private readonly listeners = new Set<() => void>();
  private readonly noticeListeners = new Set<NoticeListener>();
  /** Notices that arrived before anyone listened (the connection opens before the screen is built). */
  private earlyNotices: Notice[] = [];
  private everSynced = false;
  /** Set when the server refused a change for good: this copy can no longer sync (see discard). */
  private diverged = false;
  private readonly divergedListeners = new Set<() => void>();
  private readonly cleanups: Array<() => void> = [];
  /** Commands on their way, by request id: called with the server's answer. */
  private readonly commandWaiters = new Map<string, (result: CommandResult) => void>();
  /** How to stop waiting for each of them, when the connection is released. */
  private readonly commandStops = new Set<() => void>();
  /** This person's unanswered commands in this plan, kept across reloads (null: not kept). */
  private readonly outbox: CommandOutbox | null;
  /** Commands an earlier page left unanswered, sent again once this connection is synced. */
  readonly resumed: readonly ResumedCommand[];

  /**
   * `userId`: whose commands this page sends. With it, unanswered commands are kept in this
   * browser and those an earlier page of this plan left are sent again (see commandOutbox.ts).
   */
  constructor(readonly documentId: string, options: { serverUrl?: string; userId?: string } = {}) {
    const serverUrl = options.serverUrl ?? collabServerUrl();
    this.outbox = options.userId ? new CommandOutbox(outboxKey(options.userId, documentId)) : null;
    this.persistence = new IndexeddbPersistence(offlineStoreName(documentId), this.doc);
    this.cleanups.push(batchOfflineWrites(this.persistence, this.doc, (origin) => origin === this.provider));
    // Not connected yet: the notice handler must be in place before the first frame arrives.
    this.provider = new WebsocketProvider(serverUrl, documentId, this.doc, { connect: false });
    this.provider.messageHandlers[MessageType.Notice] = (_encoder, decoder) => {
      const notice = parseNotice(decoding.readVarString(decoder));
      if (!notice) return;
      if (notice.kind === 'command-result') {
        this.commandWaiters.get(notice.requestId)?.(notice.ok ? { ok: true } : { ok: false, error: notice.error ?? '' });
        return;
      }
      if (this.noticeListeners.size === 0) this.earlyNotices = [...this.earlyNotices, notice].slice(-MAX_EARLY_NOTICES);
      for (const listener of this.noticeListeners) listener(notice);
      // After the listeners (the screen says why): those told of the divergence release this connection.
      if (notice.kind === 'update-refused' && notice.resync && !this.diverged) {
        this.diverged = true;
        this.provider.disconnect(); // a reconnect would only send the refused change again
        for (const listener of this.divergedListeners) listener();
      }
    };

    const onUpdate = (_update: Uint8Array, origin: unknown) => {
      // Remote changes (provider) and the offline store's replay are not the person's edits.
      if (origin === this.provider || origin === this.persistence) return;
      if (!this.isLive()) this.update({ pendingChanges: this.snapshot.pendingChanges + 1 });
    };
    this.doc.on('update', onUpdate);
    this.cleanups.push(() => this.doc.off('update', onUpdate));

    const onStatus = () => this.recompute();
    const onSync = (synced: boolean) => {
      if (synced) {
        this.everSynced = true;
        this.update({ pendingChanges: 0 });
      }
      this.recompute();
    };
    const onClose = (event: CloseEvent | null) => {
      if (event && isTerminalClose(event.code)) {
        // y-websocket already stops on 44xx; say so explicitly so a later 'online' cannot revive it.
        this.provider.shouldConnect = false;
        this.update({ closeCode: event.code, closeReason: event.reason });
      }
      this.recompute();
    };
    this.provider.on('status', onStatus);
    this.provider.on('sync', onSync);
    this.provider.on('connection-close', onClose);
    this.cleanups.push(() => {
      this.provider.off('status', onStatus);
      this.provider.off('sync', onSync);
      this.provider.off('connection-close', onClose);
    });

    // The browser knows it is offline before the socket notices; stop retrying and count changes.
    const onOffline = () => {
      this.provider.disconnect();
      this.recompute();
    };
    const onOnline = () => {
      if (this.snapshot.closeCode === null) this.provider.connect();
      this.recompute();
    };
    window.addEventListener('offline', onOffline);
    window.addEventListener('online', onOnline);
    this.cleanups.push(() => {
      window.removeEventListener('offline', onOffline);
      window.removeEventListener('online', onOnline);
    });

    // Queued before any command of this page, so they go out first and in their order.
    this.resumed = (this.outbox?.entries() ?? []).map((entry) => ({ command: entry.command, result: this.dispatchCommand(entry.requestId, entry.command, OFFLINE_COMMAND_TIMEOUT_MS) }));

    if (navigator.onLine) this.provider.connect();
    this.recompute();
  }

  /** Whether edits reach the server right now. */
  isLive(): boolean {
    return this.provider.wsconnected && this.provider.synced;
  }

  /**
   * Send a command (MessageType.Command) for the server to check and apply. Commands made
   * while disconnected wait and go out once the plan is synced again; the promise settles
   * with the server's command-result, or with an error after `timeoutMs` of waiting.
   */
  sendCommand(command: Record<string, unknown>, timeoutMs = 60_000): Promise<CommandResult> {
    const requestId = `c${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}`;
    this.outbox?.add({ requestId, command, at: Date.now() });
    return this.dispatchCommand(requestId, command, timeoutMs);
  }

  /**
   * Send a command with this request id once live, and again after each reconnection until it
   * is answered (the server takes a command it already applied as done). Settles with the answer
   * or the timeout; when the connection is released first it never settles, and the command
   * stays in the outbox for the next page.
   */
  private dispatchCommand(requestId: string, command: Record<string, unknown>, timeoutMs: number): Promise<CommandResult> {
    const body = JSON.stringify({ ...command, requestId });
    return new Promise((resolve) => {
      let sentOn: WebSocket | null = null;
      const stop = (): void => {
        clearTimeout(timer);
        this.commandWaiters.delete(requestId);
        this.commandStops.delete(stop);
        this.provider.off('sync', trySend);
      };
      const finish = (result: CommandResult): void => {
        stop();
        // Answered, or given up on with the person told: either way no later page sends it.
        this.outbox?.remove(requestId);
        resolve(result);
      };
      const trySend = (): void => {
        const ws = this.provider.ws;
        if (!ws || ws === sentOn || !this.isLive()) return;
        const encoder = encoding.createEncoder();
        encoding.writeVarUint(encoder, MessageType.Command);
        encoding.writeVarString(encoder, body);
        ws.send(encoding.toUint8Array(encoder));
        sentOn = ws;
      };
      const timer = setTimeout(() => finish({ ok: false, error: 'timeout' }), timeoutMs);
      this.commandWaiters.set(requestId, finish);
      this.commandStops.add(stop);
      this.provider.on('sync', trySend);
      trySend();
    });
  }

  /** Listen for Minga notices; the first listener also gets those that arrived before it. Returns the unsubscribe function. */
  onNotice(listener: NoticeListener): () => void {
    this.noticeListeners.add(listener);
    const early = this.earlyNotices;
    this.earlyNotices = [];
    for (const notice of early) listener(notice);
    return () => this.noticeListeners.delete(listener);
  }

  /**
   * Be told (once) when the server refuses a change of this copy for good; called at once if it
   * already has. The owner then discards this connection and opens a new one.
   */
  onDiverged(listener: () => void): () => void {
    if (this.diverged) listener();
    else this.divergedListeners.add(listener);
    return () => this.divergedListeners.delete(listener);
  }

  /** For useSyncExternalStore. */
  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** For useSyncExternalStore: the same object until something changes. */
  getSnapshot = (): ConnectionSnapshot => this.snapshot;

  /** Leave the room: others see this person go at once, then everything is released. */
  destroy(): void {
    this.release();
    void this.persistence.destroy();
  }

  /** Resolves once this connection has synced with the server for the first time. */
  whenSynced(): Promise<void> {
    if (this.everSynced) return Promise.resolve();
    return new Promise((resolve) => {
      const onSync = (synced: boolean): void => {
        if (!synced) return;
        this.provider.off('sync', onSync);
        resolve();
      };
      this.provider.on('sync', onSync);
      this.cleanups.push(() => this.provider.off('sync', onSync));
    });
  }

  /**
   * Leave the room and delete this device's copy of the plan (after the server refused a change
   * for good: the copy holds it, and everything typed after it builds on it). Resolves once the
   * offline copy is gone, so a new connection starts from the server's plan alone, with the
   * discarded copy's state (Y.encodeStateAsUpdate), to recover what the server did not keep
   * (unsavedText.ts).
   */
  async discard(): Promise<Uint8Array> {
    const discarded = Y.encodeStateAsUpdate(this.doc);
    this.release();
    try {
      await this.persistence.destroy();
      await clearDocument(offlineStoreName(this.documentId));
    } catch (error) {
      console.warn('Could not delete the offline copy', error);
    }
    return discarded;
  }

  private release(): void {
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    for (const stop of [...this.commandStops]) stop();
    this.provider.awareness.setLocalState(null);
    this.provider.destroy();
    this.doc.destroy();
    this.listeners.clear();
    this.noticeListeners.clear();
    this.divergedListeners.clear();
  }

  private recompute(): void {
    this.update({ status: this.computeStatus() });
  }

  private computeStatus(): ConnectionStatus {
    if (this.snapshot.closeCode !== null) return 'closed';
    if (!navigator.onLine) return 'offline';
    if (this.isLive()) return 'connected';
    if (!this.everSynced && this.provider.wsUnsuccessfulReconnects === 0) return 'connecting';
    // After a couple of failed attempts the server is effectively unreachable: say so, with the count.
    return this.provider.wsUnsuccessfulReconnects >= 2 ? 'offline' : 'reconnecting';
  }

  private update(patch: Partial<ConnectionSnapshot>): void {
    const next = { ...this.snapshot, ...patch };
    const keys = Object.keys(patch) as Array<keyof ConnectionSnapshot>;
    if (keys.every((key) => next[key] === this.snapshot[key])) return;
    this.snapshot = next;
    for (const listener of this.listeners) listener();
  }
}

