import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { YName } from '../shared/protocol.ts';
import { connectClient, synced, waitFor } from './helpers/clients.ts';
import { removeDir, startTestServer, type TestServer } from './helpers/server.ts';

const logs: string[] = [];
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ logs, reclaim: { settleMs: 200, minIntervalMs: 0, quietMs: 600 } });
});
afterAll(async () => {
  await server.stop();
  removeDir(server.dataDir);
});

const events = (name: string): Array<Record<string, unknown>> =>
  logs.map((line) => JSON.parse(line) as Record<string, unknown>).filter((entry) => entry.event === name);

describe('memory after plans close', () => {
  it('collects garbage once a plan has unloaded, and only when clients have gone quiet', async () => {
    const other = await server.workspace.createDocument({ title: 'Plan activo', template: 'blank', createdBy: null });
    const leaving = connectClient(server.wsUrl, server.documentId, (await server.invite('editor')).token);
    const typing = connectClient(server.wsUrl, other.id, (await server.invite('editor', { documentId: other.id })).token);
    await Promise.all([synced(leaving), synced(typing)]);
    expect(server.collab.openDocuments).toBe(2);

    // Someone keeps typing in the other plan while the first one closes.
    const body = typing.doc.getXmlFragment(YName.body);
    const text = new Y.XmlText('');
    const paragraph = new Y.XmlElement('paragraph');
    paragraph.insert(0, [text]);
    body.insert(body.length, [paragraph]);
    const typist = setInterval(() => text.insert(text.length, 'a'), 100);
    try {
      leaving.provider.destroy();
      await waitFor(() => server.collab.openDocuments === 1, 10_000, 'the first plan to unload');
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(events('memory.reclaimed')).toHaveLength(0);
    } finally {
      clearInterval(typist);
    }

    await waitFor(() => events('memory.reclaimed').length === 1, 10_000, 'a collection once typing stopped');
    const [reclaimed] = events('memory.reclaimed');
    expect(reclaimed.unloads).toBe(1);
    expect(reclaimed.rssMiB).toBeGreaterThan(0);
    expect(events('memory.reclaim_unavailable')).toHaveLength(0);
    typing.provider.destroy();
  });
});
