import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { YName } from '../shared/protocol.ts';
import { connectClient, prng, synced, waitFor, type TestClient } from './helpers/clients.ts';
import { removeDir, startTestServer, type TestServer } from './helpers/server.ts';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The plan body as a comparable string. */
function body(doc: Y.Doc): string {
  return doc.getXmlFragment(YName.body).toString();
}

/** One random edit of a plan body: type or delete text in a paragraph, or add a paragraph. */
function randomEdit(doc: Y.Doc, random: () => number, label: string): void {
  const fragment = doc.getXmlFragment(YName.body);
  const paragraphs = fragment.toArray().filter((n): n is Y.XmlElement => n instanceof Y.XmlElement && n.nodeName === 'paragraph');
  const roll = random();
  if (roll < 0.1 || paragraphs.length === 0) {
    const p = new Y.XmlElement('paragraph');
    p.insert(0, [new Y.XmlText(label)]);
    fragment.insert(Math.floor(random() * (fragment.length + 1)), [p]);
    return;
  }
  const paragraph = paragraphs[Math.floor(random() * paragraphs.length)];
  let text = paragraph.get(0) as Y.XmlText | undefined;
  if (!(text instanceof Y.XmlText)) {
    text = new Y.XmlText();
    paragraph.insert(0, [text]);
  }
  if (roll < 0.75 || text.length === 0) text.insert(Math.floor(random() * (text.length + 1)), label);
  else {
    const at = Math.floor(random() * text.length);
    text.delete(at, Math.min(1 + Math.floor(random() * 3), text.length - at));
  }
}

describe('real-time convergence through the real server', () => {
  it('several clients editing at once, with random disconnects, converge; a restart serves exactly that', async () => {
    const seed = Number(process.env.SEED ?? Date.now() % 1_000_000);
    const random = prng(seed);
    let server: TestServer = await startTestServer();
    const dataDir = server.dataDir;
    cleanups.push(() => removeDir(dataDir));
    const tokens = await Promise.all([0, 1, 2, 3, 4].map((i) => server.invite('editor', { name: `Editor ${i}` })));
    const clients: TestClient[] = tokens.map(({ token }) => connectClient(server.wsUrl, server.documentId, token));
    cleanups.push(() => clients.forEach((c) => c.destroy()));
    await Promise.all(clients.map((c) => synced(c)));

    try {
      for (let round = 0; round < 300; round++) {
        const client = clients[Math.floor(random() * clients.length)];
        randomEdit(client.doc, random, `${round % 10}`);
        if (random() < 0.03) {
          const victim = clients[Math.floor(random() * clients.length)];
          if (victim.provider.wsconnected) victim.provider.disconnect();
          else victim.provider.connect();
        }
        if (round % 25 === 0) await new Promise((r) => setTimeout(r, 5));
      }
      for (const c of clients) if (!c.provider.shouldConnect) c.provider.connect();
      await Promise.all(clients.map((c) => synced(c)));
      const room = server.collab.room(server.documentId)!;
      await waitFor(() => clients.every((c) => body(c.doc) === body(room.doc)), 15_000, 'convergence');
      const expected = body(room.doc);
      expect(expected.length).toBeGreaterThan(1000);

      clients.forEach((c) => c.destroy());
      await server.stop();
      server = await startTestServer({ dataDir });
      cleanups.push(() => server.stop());
      const fresh = connectClient(server.wsUrl, server.documentId, tokens[0].token);
      cleanups.push(() => fresh.destroy());
      await synced(fresh);
      await waitFor(() => body(fresh.doc) === expected, 5000, 'restart content');
    } catch (error) {
      throw new Error(`convergence failed with SEED=${seed}: ${(error as Error).message}`);
    }
  });
});
