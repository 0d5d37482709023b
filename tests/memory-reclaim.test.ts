import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient, synced, waitFor } from './helpers/clients.ts';
import { removeDir, startTestServer, type TestServer } from './helpers/server.ts';

const logs: string[] = [];
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ logs, reclaim: { settleMs: 200, minIntervalMs: 0 } });
});
afterAll(async () => {
  await server.stop();
  removeDir(server.dataDir);
});

const events = (name: string): Array<Record<string, unknown>> =>
  logs.map((line) => JSON.parse(line) as Record<string, unknown>).filter((entry) => entry.event === name);

describe('memory after plans close', () => {
  it('collects garbage once the last client has left and the plan has unloaded', async () => {
    const { token } = await server.invite('editor');
    const client = connectClient(server.wsUrl, server.documentId, token);
    await synced(client);
    expect(server.collab.openDocuments).toBe(1);
    expect(events('memory.reclaimed')).toHaveLength(0);
    client.provider.destroy();
    await waitFor(() => server.collab.openDocuments === 0, 10_000, 'the plan to unload');
    await waitFor(() => events('memory.reclaimed').length === 1, 10_000, 'a collection');
    const [reclaimed] = events('memory.reclaimed');
    expect(reclaimed.unloads).toBe(1);
    expect(reclaimed.rssMiB).toBeGreaterThan(0);
    expect(events('memory.reclaim_unavailable')).toHaveLength(0);
  });
});
