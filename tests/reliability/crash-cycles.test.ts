import { afterAll, describe, expect, it } from 'vitest';
import net from 'node:net';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import * as Y from 'yjs';
import { YName } from '../../shared/protocol.ts';
import { readStoredUpdatesReadOnly } from '../../server/store/file-document-storage.ts';
import { connectClient, prng, synced, waitFor } from '../helpers/clients.ts';
import { removeDir, spawnServer, tempDataDir, type ChildServer } from '../helpers/server.ts';
import { recordReliability } from './report.ts';

const CYCLES = Number(process.env.CRASH_CYCLES ?? 50);
/** The durability window the server promises: received updates are on disk within a second. */
const WINDOW_MS = 1000;
/**
 * The shared journal is checkpointed every 30 s in production; here every 300 ms, so that
 * kills also land while saved edits move from the journal to the plan's log.
 */
const SERVER_ENV = { JOURNAL_CHECKPOINT_MS: '300' };

const dirs: string[] = [];
const children: ChildServer[] = [];
afterAll(() => {
  children.forEach((c) => c.process.kill('SIGKILL'));
  dirs.forEach(removeDir);
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

const paragraph = (doc: Y.Doc): Y.XmlText => (doc.getXmlFragment(YName.body).get(1) as Y.XmlElement).get(0) as Y.XmlText;

/** The plan body as stored on disk right now (what a restart would load). */
async function onDisk(dataDir: string, documentId: string): Promise<string> {
  JSON.parse(readFileSync(path.join(dataDir, 'minga.json'), 'utf8')); // metadata always parses
  const doc = new Y.Doc();
  for (const update of (await readStoredUpdatesReadOnly(path.join(dataDir, 'documents'), documentId))!) Y.applyUpdate(doc, update);
  return paragraph(doc).toString();
}

describe('crash safety', () => {
  it(`${CYCLES} kill -9 cycles while clients type: files always load, nothing older than the window is lost, clients converge`, { timeout: 600_000 }, async () => {
    const seed = Number(process.env.SEED ?? Date.now() % 1_000_000);
    const random = prng(seed);
    const dataDir = tempDataDir();
    dirs.push(dataDir);
    const port = await freePort();
    let server = await spawnServer({ ...SERVER_ENV, DATA_DIR: dataDir, PORT: String(port) });
    children.push(server);
    const token = server.invites.get('editor')!;
    const documentId = server.documentId!;
    // Two writers that stay connected through every crash, reconnecting on their own.
    const writers = [0, 1].map(() => connectClient(`ws://127.0.0.1:${port}/collab`, documentId, token, { maxBackoffTime: 150 }));
    await Promise.all(writers.map((w) => synced(w)));
    const sent: Array<{ marker: string; at: number }> = [];
    let counter = 0;
    let lostInWindow = 0;
    let lossesOutsideWindow = 0;
    let checkedOutsideWindow = 0;
    try {
      for (let cycle = 0; cycle < CYCLES; cycle++) {
        const typing = setInterval(() => {
          const writer = writers[counter % 2];
          if (!writer.provider.wsconnected) return;
          const marker = `<${counter++}>`;
          paragraph(writer.doc).insert(0, marker);
          sent.push({ marker, at: Date.now() });
        }, 5);
        await new Promise((r) => setTimeout(r, 1300 + random() * 900)); // longer than the window; some kills land mid-save
        const killedAt = Date.now();
        server.process.kill('SIGKILL');
        await server.exited;
        clearInterval(typing);
        const stored = await onDisk(dataDir, documentId);
        for (const s of sent) {
          const old = s.at < killedAt - WINDOW_MS;
          if (old) checkedOutsideWindow++;
          if (stored.includes(s.marker)) continue;
          if (old) lossesOutsideWindow++;
          else lostInWindow++;
        }
        expect(lossesOutsideWindow, `seed ${seed}, cycle ${cycle}`).toBe(0);
        server = await spawnServer({ ...SERVER_ENV, DATA_DIR: dataDir, PORT: String(port) });
        children.push(server);
        // The writers reconnect and re-send what the crash lost (sync step 2).
        await Promise.all(writers.map((w) => synced(w, 20_000)));
        sent.length = 0;
      }
      const reader = connectClient(`ws://127.0.0.1:${port}/collab`, documentId, token);
      await synced(reader);
      await waitFor(() => writers.every((w) => paragraph(w.doc).toString() === paragraph(reader.doc).toString()), 15_000, 'convergence after the last crash');
      reader.destroy();
    } finally {
      writers.forEach((w) => w.destroy());
    }
    server.process.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(await onDisk(dataDir, documentId)).toContain(`<${counter - 1}>`);
    expect(checkedOutsideWindow).toBeGreaterThan(CYCLES * 10); // the check really covered old updates
    recordReliability('crashCycles', { seed, cycles: CYCLES, keystrokes: counter, olderThanWindowChecked: checkedOutsideWindow, lostOutsideWindow: lossesOutsideWindow, lostInsideWindowThenResentByClients: lostInWindow });
  });
});
