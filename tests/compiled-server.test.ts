/**
 * `npm start` runs the server compiled by server/build.ts (dist/server), not through tsx.
 * This builds it the same way and checks that the compiled server serves, saves, exports in
 * its worker threads (a separate compiled entry) and stops cleanly.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { YName } from '../shared/protocol.ts';
import { connectClient, synced, waitFor } from './helpers/clients.ts';
import { removeDir, ROOT, spawnServer, tempDataDir, type ChildServer } from './helpers/server.ts';

let server: ChildServer;
const dataDir = tempDataDir();
beforeAll(async () => {
  execFileSync(process.execPath, ['--import', 'tsx', 'server/build.ts'], { cwd: ROOT, stdio: 'inherit' });
  server = await spawnServer({ DATA_DIR: dataDir }, { compiled: true });
});
afterAll(() => {
  server?.process.kill('SIGKILL');
  removeDir(dataDir);
});

describe('the compiled server (npm start)', () => {
  it('serves the sample plan, takes edits, exports in a worker and stops cleanly', async () => {
    const health = (await (await fetch(`${server.url}/healthz`)).json()) as { ok: boolean };
    expect(health.ok).toBe(true);
    const token = server.invites.get('editor')!;
    const documentId = server.documentId!;
    const client = connectClient(server.url.replace(/^http/, 'ws') + '/collab', documentId, token);
    await synced(client);
    const body = client.doc.getXmlFragment(YName.body);
    const paragraph = new Y.XmlElement('paragraph');
    paragraph.insert(0, [new Y.XmlText('Escrito en el servidor compilado.')]);
    body.insert(body.length, [paragraph]);
    await waitFor(() => client.provider.synced, 5000, 'the edit to be acknowledged');

    const response = await fetch(`${server.url}/api/documents/${documentId}/export?format=md`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    const markdown = await response.text();
    expect(markdown).toContain('Escrito en el servidor compilado.');
    const docx = await fetch(`${server.url}/api/documents/${documentId}/export?format=docx`, { headers: { authorization: `Bearer ${token}` } });
    expect(docx.status).toBe(200);
    expect(Buffer.from(await docx.arrayBuffer()).subarray(0, 2).toString()).toBe('PK');

    client.provider.destroy();
    server.process.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  });
});
