/**
 * The websocket class of the collab endpoint: `ws`'s WebSocket plus `sendShared`, which sends a
 * message that many sockets get (a keystroke to everyone else in a plan, an awareness change) as
 * one frame built once, the idea of Gorilla WebSocket's `PreparedMessage`. A server's frames are
 * not masked (RFC 6455 §5.1), so the bytes are the same for every recipient, whereas `ws.send`
 * builds a header and corks, writes twice and uncorks the TCP stream for each of them: with
 * a hundred people in a plan a keystroke is 99 sends, and this halves their JavaScript time
 * (docs/benchmarks.md, "Fourth pass").
 */
import type { Duplex } from 'node:stream';
import { WebSocket } from 'ws';
import type { SharedMessage } from '../collab/types.ts';

/** The parts of ws 8's WebSocket that decide whether writing to its TCP stream is safe. */
interface WsInternals {
  _socket?: Duplex | null;
  _extensions?: Record<string, unknown>;
  _sender?: { _state?: number; _firstFragment?: boolean } | null;
  _receiver?: { _bufferedBytes?: number } | null;
}

/** ws's WebSocket, with frames for shared messages built once. */
export class CollabWebSocket extends WebSocket {
  /** Send a message many sockets get; same bytes on the wire as `send(message.data)`. */
  sendShared(message: SharedMessage): void {
    const stream = directStream(this);
    if (!stream) {
      this.send(message.data);
      return;
    }
    message.frame ??= binaryFrame(message.data);
    stream.write(message.frame);
  }

  /**
   * Whether bytes of further frames from the client are already read and waiting, that is, the
   * message being handled is not the last of its socket read (ws's receiver has consumed the
   * current frame before emitting it). False when ws's fields are not where they should be.
   */
  moreFramesBuffered(): boolean {
    return ((this as unknown as WsInternals)._receiver?._bufferedBytes ?? 0) > 0;
  }
}

/**
 * ws's TCP stream when a whole frame written to it is exactly what `ws.send` would write: the
 * socket is open, no extension (compression) was negotiated, ws's sender is idle (not reading a
 * Blob, state 0) and not in the middle of a fragmented message. Otherwise null, and the caller
 * uses `ws.send`. ws is pinned (package.json); tests/collab-socket.test.ts fails if an upgrade
 * renames these fields, rather than letting every send quietly take the slow path.
 */
export function directStream(ws: WebSocket): Duplex | null {
  if (ws.readyState !== WebSocket.OPEN) return null;
  const internals = ws as unknown as WsInternals;
  const sender = internals._sender;
  if (!sender || sender._state !== 0 || sender._firstFragment !== true) return null;
  if (!internals._extensions || internals._extensions['permessage-deflate'] !== undefined) return null;
  return internals._socket ?? null;
}

/** One unmasked, final, binary frame holding `data` (RFC 6455 §5.2). */
export function binaryFrame(data: Uint8Array): Uint8Array {
  const length = data.byteLength;
  const header = length < 126 ? 2 : length < 65536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(header + length);
  frame[0] = 0x82; // FIN + opcode 2 (binary)
  if (header === 2) {
    frame[1] = length;
  } else if (header === 4) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeBigUInt64BE(BigInt(length), 2);
  }
  frame.set(data, header);
  return frame;
}
