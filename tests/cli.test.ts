import { afterAll, describe, expect, it } from 'vitest';
import { connectClient, synced } from './helpers/clients.ts';
import { removeDir, spawnServer, tempDataDir, type ChildServer } from './helpers/server.ts';
import { cli } from './helpers/cli.ts';
import { newDocumentId } from '../server/workspace/workspace.ts';

const dirs: string[] = [];
const children: ChildServer[] = [];
afterAll(() => {
  children.forEach((c) => c.process.kill('SIGKILL'));
  dirs.forEach(removeDir);
});

describe('command-line admin', () => {
  it('creates a plan and an invite on a stopped server’s data; the server then serves them', async () => {
    const dataDir = tempDataDir();
    dirs.push(dataDir);
    const created = await cli(dataDir, 'doc', 'create', '--title', 'Plan de prueba');
    expect(created.code).toBe(0);
    expect(created.json).toEqual({ id: expect.stringMatching(/^[A-Za-z0-9_-]+$/) });
    const invite = await cli(dataDir, 'invite', '--doc', created.json.id, '--role', 'editor', '--name', 'Especialista', '--delegation', 'Perú · MTPE');
    expect(Object.keys(invite.json).sort()).toEqual(['token', 'url']);
    expect(invite.json.url).toContain(`/invite#${invite.json.token}`);

    const server = await spawnServer({ DATA_DIR: dataDir });
    children.push(server);
    const client = connectClient(server.url.replace('http', 'ws') + '/collab', created.json.id, invite.json.token);
    await synced(client);
    expect(client.doc.getXmlFragment('default').length).toBeGreaterThan(5);
    client.destroy();

    // While the server runs, the CLI goes through it instead of writing the files itself.
    const online = await cli(dataDir, 'invite', '--doc', created.json.id, '--role', 'viewer', '--name', 'Lectora');
    expect(online.code).toBe(0);
    expect(online.json.url).toContain(server.url);
    const viewer = connectClient(server.url.replace('http', 'ws') + '/collab', created.json.id, online.json.token);
    await synced(viewer);
    viewer.destroy();
    server.process.kill('SIGTERM');
    await server.exited;
  });

  it('explains bad input as a JSON error with a non-zero exit', async () => {
    const dataDir = tempDataDir();
    dirs.push(dataDir);
    const badRole = await cli(dataDir, 'invite', '--doc', 'x', '--role', 'boss', '--name', 'N');
    expect(badRole.code).not.toBe(0);
    expect(badRole.json.error.code).toBe('invalid_arguments');
    const unknownDoc = await cli(dataDir, 'invite', '--doc', 'nope', '--role', 'viewer', '--name', 'N');
    expect(unknownDoc.json.error.message).toMatch(/does not exist/);
    const unknownCommand = await cli(dataDir, 'frobnicate');
    expect(unknownCommand.json.error.code).toBe('unknown_command');
  });
});

describe('plan ids on the command line', () => {
  it('a new plan id never starts with "-", so `--doc <id>` always reads it as the value', () => {
    const ids = Array.from({ length: 3000 }, () => newDocumentId());
    expect(ids.filter((id) => id.startsWith('-'))).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids.slice(0, 50)) expect(id).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{15}$/);
  });
});
