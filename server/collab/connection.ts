/**
 * One client's websocket in a room: speaks y-protocols sync and awareness, applies only what
 * the inspector and the update guard let through, and enforces per-connection limits.
 */
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import { applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness';
import { CloseCode, MessageType, SyncMessageType, type Notice } from '../../shared/protocol.ts';
import { inspectAwarenessUpdate, inspectStateVector, inspectUpdate, MalformedPayloadError } from './update-inspector.ts';
import { updateFootprint } from './guard.ts';
import type { Room } from './room.ts';
import { SharedMessage, type CollabHooks, type CollabLimits, type CollabSocket, type Identity, type Logger } from './types.ts';

/** Least time between two requests to one client for what the server lacks (askForMissing). */
const RESYNC_ASK_MS = 3000;

const OPEN = 1;

/** A token bucket: `rate` per second, up to `burst` at once. */
class TokenBucket {
  private tokens: number;
  private last = Date.now();
  constructor(private readonly rate: number, private readonly burst: number) {
    this.tokens = burst;
  }
  take(): boolean {
    const now = Date.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/**
 * Read a length-prefixed payload, refusing lengths beyond the frame. (lib0's reader trusts the
 * length and, on a pooled Buffer, would read bytes of other messages.)
 */
function readPayload(decoder: decoding.Decoder): Uint8Array {
  const length = decoding.readVarUint(decoder);
  if (length > decoder.arr.length - decoder.pos) throw new MalformedPayloadError('payload longer than its frame');
  const payload = decoder.arr.subarray(decoder.pos, decoder.pos + length);
  decoder.pos += length;
  return payload;
}

/** Read a length-prefixed UTF-8 string within the frame. */
function readString(decoder: decoding.Decoder): string {
  return new TextDecoder('utf-8', { fatal: true }).decode(readPayload(decoder));
}

/** Encode a sync update message once, for broadcasting to many connections. */
export function encodeSyncUpdate(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Sync);
  encoding.writeVarUint(encoder, SyncMessageType.Update);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}

/** Encode an awareness message for the given clients of a room. */
export function encodeAwarenessMessage(room: Room, clients: number[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Awareness);
  encoding.writeVarUint8Array(encoder, encodeAwarenessUpdate(room.awareness, clients));
  return encoding.toUint8Array(encoder);
}

/** Encode a Minga notice. */
export function encodeNotice(notice: Notice): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Notice);
  encoding.writeVarString(encoder, JSON.stringify(notice));
  return encoding.toUint8Array(encoder);
}

/** A connected client. */
export class Connection {
  /** Awareness client ids this connection has claimed. */
  readonly clientIds = new Set<number>();
  private readonly bucket: TokenBucket;
  private alive = true;
  closed = false;

  constructor(
    readonly socket: CollabSocket,
    public identity: Identity,
    readonly room: Room,
    private readonly hooks: CollabHooks,
    private readonly limits: CollabLimits,
    private readonly logger: Logger,
  ) {
    this.bucket = new TokenBucket(limits.messagesPerSecond, limits.messageBurst);
    this.pingDueAt = Date.now() + limits.pingIntervalMs;
    socket.on('pong', () => {
      this.alive = true;
    });
  }

  /** Start the sync: our state vector, and everyone's awareness. */
  greet(): void {
    this.sendStateVector();
    const states = [...this.room.awareness.getStates().keys()];
    if (states.length > 0) this.send(encodeAwarenessMessage(this.room, states));
    if (this.room.storageError) this.notice({ kind: 'storage', ok: false, message: 'saving-failed' });
  }

  /** Sync step 1: the server's state vector; the client answers with everything the server lacks. */
  private sendStateVector(): void {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MessageType.Sync);
    encoding.writeVarUint(encoder, SyncMessageType.Step1);
    encoding.writeVarUint8Array(encoder, Y.encodeStateVector(this.room.doc));
    this.send(encoding.toUint8Array(encoder));
  }

  /** When the server last asked this client for what it lacks after an unresolved update. */
  private askedForMissingAt = 0;

  /**
   * An update arrived before what it builds on, or after one of the same client that was
   * refused: ask the client (sync step 1) for everything the server lacks, so the missing part
   * and what follows it come together. At most every RESYNC_ASK_MS, so a client that lacks
   * the base itself costs a refusal every few seconds, not a loop.
   */
  private askForMissing(): void {
    const now = Date.now();
    if (now - this.askedForMissingAt < RESYNC_ASK_MS) return;
    this.askedForMissingAt = now;
    this.sendStateVector();
  }

  /** Send a message, after the room's held-back updates (so it never overtakes them). */
  send(message: Uint8Array): void {
    this.room.flushBroadcast();
    this.write(message);
  }

  /** Send a message other connections of the room get too, after the held-back updates. */
  sendShared(message: SharedMessage): void {
    this.room.flushBroadcast();
    this.write(message);
  }

  /** Send bytes unless the client has stopped reading, in which case it is dropped. */
  write(message: Uint8Array | SharedMessage): void {
    if (this.closed || this.socket.readyState !== OPEN) return;
    if (this.socket.bufferedAmount > this.limits.maxBufferedBytes) {
      this.logger.warn('connection.slow_reader', { documentId: this.room.documentId, userId: this.identity.userId });
      // A close frame would queue behind everything it does not read: cut the socket instead.
      this.closed = true;
      this.socket.terminate();
      return;
    }
    // No per-send callback: a failed write errors and closes the socket, and 'close' cleans up.
    if (!(message instanceof SharedMessage)) this.socket.send(message);
    else if (this.socket.sendShared) this.socket.sendShared(message);
    else this.socket.send(message.data);
  }

  /** Tell the client something in a Minga notice. */
  notice(notice: Notice): void {
    this.send(encodeNotice(notice));
  }

  /** When this connection is next pinged. */
  private pingDueAt: number;

  /** Ping when due; drop the socket if the previous ping went unanswered. */
  heartbeat(now: number): void {
    if (now < this.pingDueAt) return;
    this.pingDueAt = now + this.limits.pingIntervalMs;
    if (!this.alive) {
      this.logger.info('connection.dead', { documentId: this.room.documentId, userId: this.identity.userId });
      this.socket.terminate();
      return;
    }
    this.alive = false;
    try {
      this.socket.ping();
    } catch {
      this.socket.terminate();
    }
  }

  /** Close with a named code; the close listener cleans up. */
  close(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.socket.close(code, reason);
    } catch {
      this.socket.terminate();
    }
  }

  /** Handle one binary frame from the client. */
  receive(data: Uint8Array): void {
    if (this.closed) return;
    if (!this.bucket.take()) {
      this.logger.warn('connection.rate_limited', { documentId: this.room.documentId, userId: this.identity.userId });
      this.close(CloseCode.RateLimited, 'too many messages');
      return;
    }
    try {
      this.dispatch(data);
    } catch (error) {
      const malformed = error instanceof MalformedPayloadError || error instanceof RangeError || error instanceof TypeError;
      this.logger.warn('connection.bad_message', { documentId: this.room.documentId, userId: this.identity.userId, error: (error as Error).message });
      this.close(malformed ? CloseCode.BadPayload : CloseCode.ProtocolError, 'malformed message');
    }
  }

  private dispatch(data: Uint8Array): void {
    const decoder = decoding.createDecoder(data);
    const type = decoding.readVarUint(decoder);
    switch (type) {
      case MessageType.Sync:
        this.receiveSync(decoder);
        break;
      case MessageType.Awareness:
        this.receiveAwareness(readPayload(decoder));
        break;
      case MessageType.QueryAwareness:
        this.send(encodeAwarenessMessage(this.room, [...this.room.awareness.getStates().keys()]));
        break;
      case MessageType.Auth:
        break; // clients have nothing to say in auth messages; identity comes from the session
      case MessageType.Command:
        this.receiveCommand(readString(decoder));
        break;
      default:
        throw new MalformedPayloadError(`unknown message type ${type}`);
    }
    if (decoder.pos !== data.length) throw new MalformedPayloadError('trailing bytes after message');
  }

  private receiveSync(decoder: decoding.Decoder): void {
    const subtype = decoding.readVarUint(decoder);
    const payload = readPayload(decoder);
    if (subtype === SyncMessageType.Step1) {
      inspectStateVector(payload);
      const reply = (): Uint8Array => {
        const encoder = encoding.createEncoder();
        encoding.writeVarUint(encoder, MessageType.Sync);
        encoding.writeVarUint(encoder, SyncMessageType.Step2);
        encoding.writeVarUint8Array(encoder, Y.encodeStateAsUpdate(this.room.doc, payload));
        return encoding.toUint8Array(encoder);
      };
      // An empty state vector (one varint: zero clients) asks for everything: shared reply.
      const empty = payload.length === 1 && payload[0] === 0;
      this.send(empty ? this.room.fullSync(reply) : reply());
      return;
    }
    if (subtype !== SyncMessageType.Step2 && subtype !== SyncMessageType.Update) {
      throw new MalformedPayloadError(`unknown sync message ${subtype}`);
    }
    const inspected = inspectUpdate(payload);
    const footprint = updateFootprint(this.room.doc, inspected);
    if (!footprint.changes) return;
    const decision = this.hooks.authorizeUpdate({ documentId: this.room.documentId, identity: this.identity, footprint, update: payload, doc: this.room.doc });
    if (!decision.allowed) {
      this.logger.warn('update.refused', { documentId: this.room.documentId, userId: this.identity.userId, role: this.identity.role, reason: decision.reason, resync: decision.resync });
      this.notice({ kind: 'update-refused', reason: decision.reason, resync: decision.resync });
      if (!decision.resync && footprint.unresolved > 0) this.askForMissing();
      return;
    }
    // Alone in its read and resolved: it may go to the others before the server applies it.
    const relayable = footprint.unresolved === 0 && !(this.socket.moreFramesBuffered?.() ?? false);
    this.room.applyClientUpdate(payload, this, relayable);
    const onChange = this.hooks.onChange;
    if (!onChange) return;
    const clients = new Set<number>();
    for (const struct of inspected.structs) clients.add(struct.client);
    // Bookkeeping waits until the update has gone out (the broadcast was queued first).
    const change = { documentId: this.room.documentId, identity: this.identity, clients: [...clients] };
    queueMicrotask(() => onChange(change));
  }

  private receiveCommand(json: string): void {
    let command: unknown;
    try {
      command = JSON.parse(json);
    } catch {
      throw new MalformedPayloadError('command is not JSON');
    }
    const requestId = typeof (command as { requestId?: unknown })?.requestId === 'string' ? (command as { requestId: string }).requestId.slice(0, 64) : '';
    const handler = this.hooks.onCommand;
    const error = handler ? handler({ documentId: this.room.documentId, identity: this.identity, doc: this.room.doc, command }) : 'commands are not supported';
    if (error) this.logger.warn('command.refused', { documentId: this.room.documentId, userId: this.identity.userId, error });
    this.notice(error ? { kind: 'command-result', requestId, ok: false, error } : { kind: 'command-result', requestId, ok: true });
  }

  private receiveAwareness(update: Uint8Array): void {
    const entries = inspectAwarenessUpdate(update, this.limits.maxAwarenessStateBytes);
    const states = this.room.awareness.getStates();
    const encoder = encoding.createEncoder();
    const accepted = entries.filter((entry) => {
      if (this.clientIds.has(entry.clientId)) return true;
      // A client id that another connection holds cannot be taken over.
      if (states.has(entry.clientId) || entry.clientId === this.room.doc.clientID) return false;
      if (this.clientIds.size >= 4) return false;
      this.clientIds.add(entry.clientId);
      return true;
    });
    if (accepted.length === 0) return;
    // Re-encode with the identity the session vouches for: nobody appears as someone else.
    encoding.writeVarUint(encoder, accepted.length);
    for (const entry of accepted) {
      encoding.writeVarUint(encoder, entry.clientId);
      encoding.writeVarUint(encoder, entry.clock);
      const state = entry.state === null ? null : { ...entry.state, user: this.publicIdentity() };
      encoding.writeVarString(encoder, JSON.stringify(state));
    }
    applyAwarenessUpdate(this.room.awareness, encoding.toUint8Array(encoder), this);
  }

  /** What others see of this person in presence. */
  publicIdentity(): { id: string; name: string; delegation: string; color: string; role: string } {
    const { userId, name, delegation, color, role } = this.identity;
    return { id: userId, name, delegation, color, role };
  }

  /** Change the role of an open connection; the client is told and adapts without reloading. */
  setIdentity(identity: Identity): void {
    const roleChanged = identity.role !== this.identity.role;
    this.identity = identity;
    if (roleChanged) this.notice({ kind: 'role-changed', role: identity.role });
  }
}
