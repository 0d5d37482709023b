/**
 * The collaboration core: rooms that load on the first connection and unload, once saved,
 * after the last one leaves. Framework-free: it gets sockets, storage and hooks, and knows
 * nothing of HTTP routing or of the store behind the storage interface.
 */
import { CloseCode } from '../../shared/protocol.ts';
import { Connection, encodeAwarenessMessage } from './connection.ts';
import { Room } from './room.ts';
import { SaveClock } from './save-clock.ts';
import { CollabRefusal, DEFAULT_LIMITS, SharedMessage, type CollabLimits, type CollabOptions, type CollabSocket, type Identity, type UpgradeRequest } from './types.ts';

/**
 * How often the save clock ticks while a room has unsaved updates: a save starts at most this
 * long after it is due (so every update is on disk within saveMaxWaitMs + SAVE_GRAIN_MS).
 */
const SAVE_GRAIN_MS = 50;

/** The rooms of one server process. */
export class CollabServer {
  readonly limits: CollabLimits;
  private readonly rooms = new Map<string, Room>();
  /** Rooms being loaded or unloaded, so a connection never sees a half-made room. */
  private readonly transitions = new Map<string, Promise<Room | null>>();
  private readonly heartbeat: NodeJS.Timeout;
  /** Tells every room when its pending updates are due on disk (one timer for all). */
  private readonly saveClock = new SaveClock(SAVE_GRAIN_MS);
  private closing = false;

  constructor(private readonly options: CollabOptions) {
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    // Each connection is pinged on its own schedule (from when it joined), checked ten times per
    // interval: pinging every socket in the same tick stalled the loop for ~15 ms at 500 sockets.
    this.heartbeat = setInterval(() => {
      const now = Date.now();
      for (const room of this.rooms.values()) for (const connection of room.connections) connection.heartbeat(now);
    }, Math.max(10, Math.floor(this.limits.pingIntervalMs / 10)));
    this.heartbeat.unref();
  }

  /** When the last message from any client arrived (ms since the epoch; 0: never). */
  private lastMessageAt = 0;

  /** Milliseconds since any client last sent anything. */
  quietForMs(): number {
    return Date.now() - this.lastMessageAt;
  }

  /** Number of open documents. */
  get openDocuments(): number {
    return this.rooms.size;
  }

  /** Ids of open documents. */
  openDocumentIds(): string[] {
    return [...this.rooms.keys()];
  }

  /** Identities connected to a document (one per connection). */
  presence(documentId: string): Identity[] {
    const room = this.rooms.get(documentId);
    return room ? [...room.connections].map((c) => c.identity) : [];
  }

  /** The live room of a document, if open (for server-side reads and changes). */
  room(documentId: string): Room | undefined {
    return this.rooms.get(documentId);
  }

  /**
   * Make a server-side change to a document whether or not anyone has it open: the room is
   * loaded if needed (and unloaded again, once saved, when nobody is connected), so the change
   * is broadcast and stored like any edit and never raced by a room loading the same document.
   * Resolves false for an unknown document.
   */
  async changeDocument(documentId: string, change: (doc: Room['doc']) => void): Promise<boolean> {
    if (this.closing) throw new CollabRefusal(CloseCode.ServiceRestart, 'server is shutting down');
    const room = await this.openRoom(documentId);
    if (!room) return false;
    try {
      change(room.doc);
    } finally {
      this.maybeUnload(room);
    }
    return true;
  }

  /**
   * Accept an upgraded socket: authenticate, load the room, join. Messages that arrive while
   * that happens are queued, so the client's first sync step is never lost.
   */
  async accept(socket: CollabSocket, request: UpgradeRequest): Promise<void> {
    const { logger } = this.options;
    const queue: Uint8Array[] = [];
    let connection: Connection | null = null;
    let closedEarly = false;
    socket.on('message', (data) => {
      this.lastMessageAt = Date.now();
      const bytes = toBytes(data);
      if (connection) connection.receive(bytes);
      else if (queue.length < this.limits.messageBurst) queue.push(bytes);
    });
    socket.on('error', (error) => logger.warn('socket.error', { documentId: request.documentId, error: error.message }));
    socket.on('close', () => {
      closedEarly = true;
      if (connection) this.leave(connection);
    });

    const refuse = (code: number, reason: string): void => {
      logger.info('connection.refused', { documentId: request.documentId, code, reason });
      socket.close(code, reason);
    };
    try {
      if (this.closing) return refuse(CloseCode.ServiceRestart, 'server is shutting down');
      const identity = await this.options.hooks.authenticate(request);
      const room = await this.openRoom(request.documentId);
      if (!room) return refuse(CloseCode.DocumentNotFound, 'unknown document');
      if (closedEarly) return this.maybeUnload(room);
      if (room.connections.size >= this.limits.maxConnectionsPerDocument) {
        this.maybeUnload(room);
        return refuse(CloseCode.TooManyDocuments, 'document has too many connections');
      }
      connection = new Connection(socket, identity, room, this.options.hooks, this.limits, logger);
      room.connections.add(connection);
      logger.info('connection.joined', { documentId: room.documentId, userId: identity.userId, role: identity.role, connections: room.connections.size });
      connection.greet();
      for (const message of queue.splice(0)) connection.receive(message);
      this.options.hooks.onPresence?.({ documentId: room.documentId, identities: this.presence(room.documentId) });
    } catch (error) {
      if (error instanceof CollabRefusal) return refuse(error.code, error.reason);
      logger.error('connection.failed', { documentId: request.documentId, error: (error as Error).message });
      refuse(CloseCode.ServiceRestart, 'could not open document');
    }
  }

  private async openRoom(documentId: string): Promise<Room | null> {
    // Wait for any load or unload of this document in flight, then look again.
    while (this.transitions.has(documentId)) await this.transitions.get(documentId);
    const open = this.rooms.get(documentId);
    if (open) return open;
    if (this.rooms.size >= this.limits.maxOpenDocuments) {
      throw new CollabRefusal(CloseCode.TooManyDocuments, 'too many open documents');
    }
    const loading = this.loadRoom(documentId);
    this.transitions.set(documentId, loading);
    try {
      return await loading;
    } finally {
      this.transitions.delete(documentId);
    }
  }

  private async loadRoom(documentId: string): Promise<Room | null> {
    const updates = await this.options.storage.load(documentId);
    if (!updates) return null;
    const room = new Room(documentId, this.options.storage, this.limits, this.options.logger, this.saveClock);
    room.load(updates);
    room.awareness.on('update', ({ added, updated, removed }: AwarenessChange, origin: unknown) => {
      const changed = [...added, ...updated, ...removed];
      const message = new SharedMessage(encodeAwarenessMessage(room, changed));
      for (const connection of room.connections) if (connection !== origin) connection.sendShared(message);
    });
    room.doc.on('update', (update: Uint8Array, origin: unknown) => room.broadcast(update, origin));
    room.onStorageHealth = (error) => {
      if (error) this.options.hooks.onStoreError?.({ documentId, error });
      for (const connection of room.connections) {
        connection.notice({ kind: 'storage', ok: error === null, message: error ? 'saving-failed' : 'saved' });
      }
    };
    this.rooms.set(documentId, room);
    this.options.logger.info('document.loaded', { documentId, updates: updates.length });
    return room;
  }

  private leave(connection: Connection): void {
    const { room } = connection;
    if (!room.connections.delete(connection)) return;
    room.forgetClients(connection.clientIds, connection);
    this.options.logger.info('connection.left', { documentId: room.documentId, userId: connection.identity.userId, connections: room.connections.size });
    this.options.hooks.onPresence?.({ documentId: room.documentId, identities: this.presence(room.documentId) });
    this.maybeUnload(room);
  }

  /** Unload a room with no connections once everything is saved. */
  private maybeUnload(room: Room): void {
    if (room.connections.size > 0 || this.transitions.has(room.documentId) || this.closing) return;
    const unloading = (async (): Promise<null> => {
      try {
        await room.flushAndCompact();
      } catch (error) {
        // Keep it in memory: unloading now would lose what could not be saved.
        this.options.logger.error('document.unload_deferred', { documentId: room.documentId, error: (error as Error).message });
        setTimeout(() => this.maybeUnload(room), 5000).unref();
        return null;
      }
      if (room.connections.size === 0) {
        this.rooms.delete(room.documentId);
        room.destroy();
        this.options.logger.info('document.unloaded', { documentId: room.documentId });
        this.options.hooks.onUnload?.({ documentId: room.documentId });
      }
      return null;
    })();
    this.transitions.set(room.documentId, unloading);
    void unloading.finally(() => this.transitions.delete(room.documentId));
  }

  /** Apply a new identity (role change) to every open connection of a user on a document; null revokes. */
  updateAccess(documentId: string, userId: string, identity: Identity | null): void {
    const room = this.rooms.get(documentId);
    if (!room) return;
    for (const connection of [...room.connections]) {
      if (connection.identity.userId !== userId) continue;
      if (identity) connection.setIdentity(identity);
      else connection.close(CloseCode.Forbidden, 'access revoked');
    }
  }

  /**
   * Re-check every open connection against current access rules: the check returns the
   * identity the connection should now have, or a refusal that closes it.
   */
  reauthorize(check: (documentId: string, identity: Identity) => Identity | CollabRefusal): void {
    for (const room of this.rooms.values()) {
      for (const connection of [...room.connections]) {
        const result = check(room.documentId, connection.identity);
        if (result instanceof CollabRefusal) connection.close(result.code, result.reason);
        else connection.setIdentity(result);
      }
    }
  }

  /** Close every connection of a user (sign out everywhere). */
  disconnectUser(userId: string, code: number = CloseCode.Unauthorized, reason = 'signed out'): void {
    for (const room of this.rooms.values()) {
      for (const connection of [...room.connections]) if (connection.identity.userId === userId) connection.close(code, reason);
    }
  }

  /** Save every room; used by the periodic check and at shutdown. */
  async flushAll(): Promise<void> {
    await Promise.allSettled([...this.rooms.values()].map((room) => room.flushAndCompact()));
  }

  /** Stop: refuse new connections, save everything, close sockets. */
  async close(): Promise<void> {
    this.closing = true;
    clearInterval(this.heartbeat);
    await Promise.allSettled([...this.transitions.values()]);
    await this.flushAll();
    this.saveClock.stop();
    for (const room of this.rooms.values()) {
      for (const connection of room.connections) connection.close(CloseCode.ServiceRestart, 'server restarting');
      room.destroy();
    }
    this.rooms.clear();
  }
}

interface AwarenessChange {
  added: number[];
  updated: number[];
  removed: number[];
}

/** A frame as bytes that own their memory: a view of a pooled Buffer could be read past its end. */
function toBytes(data: Buffer | ArrayBuffer | Buffer[]): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return Uint8Array.prototype.slice.call(data);
}
