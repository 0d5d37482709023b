import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import { MessageType, YName, type Notice } from '../../shared/protocol.ts';
import { connectClient, synced, waitFor, type TestClient } from '../helpers/clients.ts';
import { startTestServer, tempDataDir, type TestServer } from '../helpers/server.ts';
import { recordReliability } from './report.ts';

/** A small tmpfs as DATA_DIR: a real full disk and a real read-only file system. Needs root. */
let mountPoint = '';
let mounted = false;
beforeAll(() => {
  mountPoint = tempDataDir('minga-tmpfs-');
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', mountPoint], { stdio: 'pipe' });
    mounted = true;
  } catch (error) {
    console.warn(`storage-fault tests need to mount a tmpfs (root): ${(error as Error).message}`);
  }
});
afterEach(() => rmSync(path.join(mountPoint, 'filler'), { force: true }));
afterAll(() => {
  if (mounted) execFileSync('umount', ['-l', mountPoint]);
  rmSync(mountPoint, { recursive: true, force: true });
});

type StorageNotice = Extract<Notice, { kind: 'storage' }>;

function storageNotices(client: TestClient): StorageNotice[] {
  const notices: StorageNotice[] = [];
  client.provider.messageHandlers[MessageType.Notice] = (_e, decoder) => {
    const notice = JSON.parse(decoding.readVarString(decoder)) as Notice;
    if (notice.kind === 'storage') notices.push(notice);
    client.notices.push(notice);
  };
  return notices;
}

const text = (doc: Y.Doc): Y.XmlText => (doc.getXmlFragment(YName.body).get(1) as Y.XmlElement).get(0) as Y.XmlText;

describe('storage faults', () => {
  it('a full disk: the last good data stays intact, the plan stays in memory, people are warned, saving resumes when space returns', async (ctx) => {
    if (!mounted) ctx.skip();
    const dataDir = path.join(mountPoint, 'full');
    mkdirSync(dataDir);
    const server: TestServer = await startTestServer({ dataDir });
    const { token } = await server.invite('editor', { name: 'Escritora' });
    const writer = connectClient(server.wsUrl, server.documentId, token);
    const reader = connectClient(server.wsUrl, server.documentId, token);
    const notices = storageNotices(reader);
    await Promise.all([synced(writer), synced(reader)]);
    text(writer.doc).insert(0, '[antes]');
    await waitFor(() => text(reader.doc).toString().includes('[antes]'), 5000, 'first edit');
    await server.collab.room(server.documentId)!.save();

    // Fill the disk.
    const filler = path.join(mountPoint, 'filler');
    try {
      execFileSync('dd', ['if=/dev/zero', `of=${filler}`, 'bs=64k'], { stdio: 'pipe' });
    } catch {
      // dd stops with "No space left on device": that is the point
    }
    // Keep typing until a save fails (the last page of a file may still have room for a while).
    let edits = 0;
    for (; edits < 3000 && !notices.some((n) => !n.ok); edits++) {
      text(writer.doc).insert(0, `[lleno ${edits}]`);
      if (edits % 20 === 19) await new Promise((r) => setTimeout(r, 100));
    }
    await waitFor(() => notices.some((n) => !n.ok), 10_000, 'storage warning');
    for (let i = 0; i < 20; i++) text(writer.doc).insert(0, `[lleno ${edits++}]`);
    const last = `[lleno ${edits - 1}]`;
    // Still live for everyone, from memory.
    await waitFor(() => text(reader.doc).toString().includes(last), 5000, 'edits while the disk is full');
    const savedWhileFull = JSON.parse(readFileSync(path.join(dataDir, 'minga.json'), 'utf8'));
    expect(savedWhileFull.documents.length).toBe(1);

    // Space returns: saving resumes on its own.
    rmSync(filler);
    await waitFor(() => notices.some((n) => n.ok), 15_000, 'storage recovered');
    writer.destroy();
    reader.destroy();
    await server.stop();

    const again = await startTestServer({ dataDir });
    const check = connectClient(again.wsUrl, again.documentId, token);
    await synced(check);
    expect(text(check.doc).toString()).toContain(last);
    expect(text(check.doc).toString()).toContain('[antes]');
    check.destroy();
    await again.stop();
    recordReliability('diskFull', { tmpfsBytes: 4 * 1024 * 1024, editsUntilWarning: edits - 20, warned: true, recovered: true, nothingLost: true });
  });

  it('an unwritable (read-only) data directory while saving: warned, kept in memory, saved once writable again', async (ctx) => {
    if (!mounted) ctx.skip();
    const dataDir = path.join(mountPoint, 'readonly');
    mkdirSync(dataDir);
    const server: TestServer = await startTestServer({ dataDir });
    const { token } = await server.invite('editor', { name: 'Escritora' });
    const writer = connectClient(server.wsUrl, server.documentId, token);
    const notices = storageNotices(writer);
    await synced(writer);
    execFileSync('mount', ['-o', 'remount,ro', mountPoint]);
    try {
      text(writer.doc).insert(0, '[solo lectura]');
      await waitFor(() => notices.some((n) => !n.ok), 10_000, 'storage warning');
    } finally {
      execFileSync('mount', ['-o', 'remount,rw', mountPoint]);
    }
    await waitFor(() => notices.some((n) => n.ok), 15_000, 'storage recovered');
    writer.destroy();
    await server.stop();
    const again = await startTestServer({ dataDir });
    const check = connectClient(again.wsUrl, again.documentId, token);
    await synced(check);
    expect(text(check.doc).toString()).toContain('[solo lectura]');
    check.destroy();
    await again.stop();
    writeFileSync(path.join(mountPoint, 'ok'), 'writable again');
    recordReliability('readOnly', { warned: true, recovered: true, nothingLost: true });
  });
});
