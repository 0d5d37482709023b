import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import { MessageType, YName, type Notice } from '../shared/protocol.ts';
import { readPlanContent } from '../shared/plan-doc.ts';
import { collectSuggestions } from '../shared/suggestions.ts';
import { connectClient, prng, synced, waitFor, type TestClient } from './helpers/clients.ts';
import { removeDir, startTestServer, type TestServer } from './helpers/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.stop();
  removeDir(server.dataDir);
});

interface Writer {
  client: TestClient;
  userId: string;
  notices: Notice[];
  alphabet: string;
}

async function writer(role: 'suggester' | 'editor', name: string, alphabet: string): Promise<Writer> {
  const { token, userId } = await server.invite(role, { name, delegation: role === 'editor' ? 'Perú · MTPE' : 'Panamá · MITRADEL' });
  const client = connectClient(server.wsUrl, server.documentId, token);
  const notices: Notice[] = [];
  client.provider.messageHandlers[MessageType.Notice] = (_encoder, decoder) => {
    notices.push(JSON.parse(decoding.readVarString(decoder)) as Notice);
  };
  await synced(client);
  return { client, userId, notices, alphabet };
}

const paragraph = (doc: Y.Doc): Y.XmlText => (doc.getXmlFragment(YName.body).get(3) as Y.XmlElement).get(0) as Y.XmlText;

describe('suggesters and an editor in the same paragraph at once', () => {
  it('converges, and every suggestion stays intact and attributed to its author', async () => {
    const seed = Number(process.env.SEED ?? Date.now() % 1_000_000);
    const random = prng(seed);
    const ana = await writer('suggester', 'Ana', 'abcdefghijklm');
    const beto = await writer('suggester', 'Beto', 'nopqrstuvwxyz');
    const editor = await writer('editor', 'Editora', '0123456789');
    const typed = new Map<string, string>([[ana.userId, ''], [beto.userId, '']]);
    const suggestionId = new Map([[ana.userId, 'sug-ana-1'], [beto.userId, 'sug-beto-1']]);

    try {
      for (let round = 0; round < 120; round++) {
        const who = [ana, beto, editor][Math.floor(random() * 3)];
        const text = paragraph(who.client.doc);
        const at = Math.floor(random() * (text.length + 1));
        const ch = who.alphabet[Math.floor(random() * who.alphabet.length)];
        if (who === editor) text.insert(at, ch, {});
        else {
          text.insert(at, ch, { insertion: { suggestionId: suggestionId.get(who.userId), authorId: who.userId, authorName: who === ana ? 'Ana' : 'Beto', color: '#1f5fbf', createdAt: '2026-01-01T00:00:00.000Z' } });
          typed.set(who.userId, typed.get(who.userId) + ch);
        }
        if (round % 4 === 0) await new Promise((r) => setTimeout(r, random() * 8));
      }
      const room = server.collab.room(server.documentId)!;
      const all = [ana, beto, editor];
      await waitFor(() => all.every((w) => w.client.doc.getXmlFragment(YName.body).toString() === room.doc.getXmlFragment(YName.body).toString()), 10_000, 'convergence');
      expect(all.flatMap((w) => w.notices.filter((n) => n.kind === 'update-refused'))).toEqual([]);

      const suggestions = collectSuggestions(readPlanContent(room.doc));
      for (const w of [ana, beto]) {
        const mine = suggestions.filter((s) => s.authorId === w.userId);
        expect(mine.map((s) => s.suggestionId)).toEqual([suggestionId.get(w.userId)]);
        // Every character typed as a suggestion is there, under its author, and only those.
        expect([...mine[0].inserted].sort().join('')).toBe([...typed.get(w.userId)!].sort().join(''));
        expect(mine[0].inserted).toMatch(new RegExp(`^[${w.alphabet}]+$`));
      }
      // The editor's plain text is plain (no suggestion mark crept onto it).
      const plain = paragraph(room.doc).toDelta().filter((op: { attributes?: object }) => !op.attributes || Object.keys(op.attributes).length === 0).map((op: { insert: string }) => op.insert).join('');
      expect(plain.replace(/[^0-9]/g, '').length).toBeGreaterThan(0);
    } catch (error) {
      throw new Error(`failed with SEED=${seed}: ${(error as Error).message}`);
    } finally {
      [ana, beto, editor].forEach((w) => w.client.destroy());
    }
  });
});
