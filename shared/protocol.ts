/**
 * Protocol numbers shared by the server, the browser client and test clients.
 * The first four message types are y-websocket's own; Minga adds one for notices.
 */

/** Top-level websocket message types (first varuint of every frame). */
export const MessageType = {
  /** y-protocols sync (step 1, step 2, update). */
  Sync: 0,
  /** y-protocols awareness update. */
  Awareness: 1,
  /** y-protocols auth (permission denied). */
  Auth: 2,
  /** Ask the server to resend every awareness state. */
  QueryAwareness: 3,
  /** Minga notice: a JSON payload the server sends to explain a refusal or a state change. */
  Notice: 100,
  /** Minga command: a JSON request from a client that the server checks and applies itself. */
  Command: 101,
} as const;

/** y-protocols sync sub-message types. */
export const SyncMessageType = { Step1: 0, Step2: 1, Update: 2 } as const;

/**
 * Close codes used when the server ends a websocket. 4xxx codes mirror HTTP statuses,
 * as Hocuspocus does, so a client can tell "sign in again" from "this document is gone".
 */
export const CloseCode = {
  Normal: 1000,
  GoingAway: 1001,
  /** The client sent something that is not the protocol. */
  ProtocolError: 1002,
  /** The client broke a policy (message rate, awareness size). */
  PolicyViolation: 1008,
  /** A frame was larger than the configured limit. */
  MessageTooBig: 1009,
  /** The server is shutting down or restarting. */
  ServiceRestart: 1012,
  /** A malformed or hostile Yjs payload. */
  BadPayload: 4400,
  /** No or invalid credentials. */
  Unauthorized: 4401,
  /** Credentials are valid but the role does not allow this document or action. */
  Forbidden: 4403,
  /** Unknown document id. */
  DocumentNotFound: 4404,
  /** Authentication did not arrive in time. */
  AuthTimeout: 4408,
  /** Too many messages per second. */
  RateLimited: 4429,
  /** The server refuses to open more documents right now. */
  TooManyDocuments: 4503,
} as const;
export type CloseCodeValue = (typeof CloseCode)[keyof typeof CloseCode];

/** Names of the shared types inside each plan's Y.Doc. */
export const YName = {
  /** The plan body: Tiptap's default XmlFragment. */
  body: 'default',
} as const;

/** Path of the websocket endpoint; the document id follows it. */
export const COLLAB_PATH = '/collab';

/**
 * Kinds of notices the server sends as MessageType.Notice (JSON body).
 * - `update-refused`: an update was not applied. With `resync`, the client's copy holds a
 *   change the plan will never take: it must drop its copy (and its offline copy) and sync
 *   afresh. Without, the update only came before what it builds on, which is on its way.
 * - `role-changed`: the role of this open connection changed.
 */
export type Notice =
  | { kind: 'update-refused'; reason: string; resync: boolean }
  | { kind: 'role-changed'; role: string }
  | { kind: 'storage'; ok: boolean; message: string }
  | { kind: 'command-result'; requestId: string; ok: boolean; error?: string };
