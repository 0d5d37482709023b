/**
 * Typed seams of the collaboration core: what it asks of the application (authentication,
 * the update policy, storage) and what it tells it (room lifecycle, changes, storage faults).
 */
import type { IncomingHttpHeaders } from 'node:http';
import type * as Y from 'yjs';
import type { Role } from '../../shared/roles.ts';
import type { UpdateFootprint } from './guard.ts';
import type { DocumentStorage } from './storage.ts';

/** The person behind a connection, as the session (not the client) says. */
export interface Identity {
  userId: string;
  name: string;
  delegation: string;
  color: string;
  role: Role;
  /** Whatever the application needs to re-check this connection later; opaque to the core. */
  credential?: unknown;
}

/** What the core knows of a websocket upgrade when it asks who is connecting. */
export interface UpgradeRequest {
  documentId: string;
  headers: IncomingHttpHeaders;
  url: URL;
  remoteAddress: string | undefined;
}

/** A refusal with a named close code; thrown by hooks, turned into a close frame by the core. */
export class CollabRefusal extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
  ) {
    super(reason);
    this.name = 'CollabRefusal';
  }
}

/** The decision of an update policy. */
/**
 * A guard's answer. A refusal says whether the client must reload the plan (`resync`): its
 * copy now holds a change the plan will never take, and everything it writes later builds on
 * it. Not so for an update that only arrived before what it depends on (that comes with the
 * next sync step and the client needs to do nothing).
 */
export type GuardDecision = { allowed: true } | { allowed: false; reason: string; resync: boolean };

/** Minimal structured logger (one line per event). */
export interface Logger {
  info(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
  error(event: string, fields?: Record<string, unknown>): void;
}

/**
 * A message that goes to several sockets. A transport may keep its encoding of the message here
 * (`frame`) the first time it sends it, so the other recipients reuse it.
 */
export class SharedMessage {
  /** The transport's framing of `data`, set by the first socket that sends it. */
  frame: Uint8Array | undefined = undefined;
  constructor(readonly data: Uint8Array) {}
}

/** The socket the core speaks to; `ws`'s WebSocket satisfies it. */
export interface CollabSocket {
  readonly readyState: number;
  readonly bufferedAmount: number;
  send(data: Uint8Array, cb?: (error?: Error) => void): void;
  /** Send a message many sockets get (optional: without it, `send(message.data)`). */
  sendShared?(message: SharedMessage): void;
  /** Whether more frames from the client are already read, after the one being handled (optional: without it, none). */
  moreFramesBuffered?(): boolean;
  close(code?: number, reason?: string): void;
  terminate(): void;
  ping(): void;
  on(event: 'message', listener: (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => void): this;
  on(event: 'close', listener: (code: number, reason: Buffer) => void): this;
  on(event: 'pong', listener: () => void): this;
  on(event: 'error', listener: (error: Error) => void): this;
}

/** Numbers that bound what one connection or the whole server may do. */
export interface CollabLimits {
  /** Largest frame in bytes (enforced by the transport, reported in docs). */
  maxMessageBytes: number;
  /** Sustained messages per second per connection. */
  messagesPerSecond: number;
  /** Burst of messages a connection may send at once. */
  messageBurst: number;
  /** Largest awareness state of one client, in bytes. */
  maxAwarenessStateBytes: number;
  /** Documents open at once. */
  maxOpenDocuments: number;
  /** Connections per document. */
  maxConnectionsPerDocument: number;
  /** Bytes queued for a client that does not read, before it is dropped. */
  maxBufferedBytes: number;
  /** Ping interval; a socket that missed the previous pong is dropped. */
  pingIntervalMs: number;
  /**
   * Persistence: wait this long after the last update before saving... (by default as long as
   * saveMaxWaitMs: a shorter wait only adds saves while people type, one per pause between words)
   */
  saveDebounceMs: number;
  /** ...but never longer than this after the first unsaved update. */
  saveMaxWaitMs: number;
  /** Compact a document's log once it holds more than this many bytes. */
  compactAfterBytes: number;
}

/** Defaults chosen so a person typing never meets a limit and a flood does. */
export const DEFAULT_LIMITS: CollabLimits = {
  maxMessageBytes: 8 * 1024 * 1024,
  messagesPerSecond: 200,
  messageBurst: 2000,
  maxAwarenessStateBytes: 16 * 1024,
  maxOpenDocuments: 5000,
  maxConnectionsPerDocument: 1000,
  maxBufferedBytes: 32 * 1024 * 1024,
  pingIntervalMs: 30_000,
  saveDebounceMs: 800,
  saveMaxWaitMs: 800,
  compactAfterBytes: 4 * 1024 * 1024,
};

/** Hooks with typed payloads, in the manner of Hocuspocus extensions. */
export interface CollabHooks {
  /** Who is connecting and with what role; throw CollabRefusal to refuse. */
  authenticate(request: UpgradeRequest): Promise<Identity>;
  /**
   * May this connection's update, with this footprint, be applied? Policies that need to see
   * the content (suggestions) get the not-yet-applied update and the room's document.
   */
  authorizeUpdate(payload: { documentId: string; identity: Identity; footprint: UpdateFootprint; update: Uint8Array; doc: Y.Doc }): GuardDecision;
  /**
   * A client's update was applied. `clients` are the Yjs client ids of the structs it
   * created: the application may record who they belong to, to attribute text later.
   */
  onChange?(payload: { documentId: string; identity: Identity; clients: number[] }): void;
  /**
   * A client's command (MessageType.Command): JSON the application validates and, if the
   * identity may, applies to the document itself in a server-origin transaction. Resolves with
   * an error message a person can act on, or null when done.
   */
  onCommand?(payload: { documentId: string; identity: Identity; doc: Y.Doc; command: unknown }): string | null;
  /** Presence in a document changed (someone joined or left). */
  onPresence?(payload: { documentId: string; identities: Identity[] }): void;
  /** Saving a document failed; the document stays in memory and saving is retried. */
  onStoreError?(payload: { documentId: string; error: Error }): void;
  /** A document was saved and dropped from memory (its last connection left). */
  onUnload?(payload: { documentId: string }): void;
}

/** Everything the collaboration core needs, passed in. */
export interface CollabOptions {
  storage: DocumentStorage;
  hooks: CollabHooks;
  logger: Logger;
  limits?: Partial<CollabLimits>;
}
