/** Route websocket upgrades at /collab/<documentId> to the collaboration core. */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { COLLAB_PATH, CloseCode } from '../../shared/protocol.ts';
import type { CollabServer } from '../collab/collab-server.ts';
import type { Logger } from '../collab/types.ts';
import { CollabWebSocket } from './collab-socket.ts';

const DOCUMENT_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** Attach the websocket endpoint to an HTTP server. */
export function attachCollabEndpoint(server: Server, collab: CollabServer, logger: Logger): WebSocketServer {
  const wss = new WebSocketServer({ noServer: true, maxPayload: collab.limits.maxMessageBytes, perMessageDeflate: false, WebSocket: CollabWebSocket });
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const prefix = `${COLLAB_PATH}/`;
    if (!url.pathname.startsWith(prefix)) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    const documentId = decodeURIComponent(url.pathname.slice(prefix.length));
    wss.handleUpgrade(request, socket, head, (ws) => {
      if (!DOCUMENT_ID.test(documentId)) {
        ws.close(CloseCode.DocumentNotFound, 'unknown document');
        return;
      }
      void collab.accept(ws, { documentId, headers: request.headers, url, remoteAddress: request.socket.remoteAddress });
    });
  });
  wss.on('error', (error) => logger.warn('websocket.error', { error: error.message }));
  return wss;
}
