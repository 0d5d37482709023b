import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { YName } from '../shared/protocol.ts';
import { readThreads, THREADS_ROOT, type Thread } from '../shared/threads.ts';
import { commandMessage, connectClient, prng, rawClient, relativeAt, synced, waitFor, type RawClient, type TestClient } from './helpers/clients.ts';
import { removeDir, startTestServer, type TestServer } from './helpers/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.stop();
  removeDir(server.dataDir);
});

let counter = 0;
const newId = (prefix: string): string => `${prefix}${Date.now().toString(36)}${(counter++).toString(36)}xx`;

/** Paragraph `index` of the body (its first XmlText). */
function paragraph(doc: Y.Doc, index: number): Y.XmlText {
  const paragraphs = doc.getXmlFragment(YName.body).toArray().filter((n) => n instanceof Y.XmlElement && n.nodeName === 'paragraph') as Y.XmlElement[];
  return paragraphs[index].get(0) as Y.XmlText;
}

/** Send a command through a client's socket and wait for its result notice. */
async function command(raw: RawClient, body: Record<string, unknown>): Promise<{ ok: boolean; error?: string }> {
  const requestId = newId('r');
  raw.send(commandMessage({ ...body, requestId }));
  await waitFor(() => raw.notices.some((n) => n.kind === 'command-result' && n.requestId === requestId), 5000, `result of ${body.op}`);
  const notice = raw.notices.find((n) => n.kind === 'command-result' && n.requestId === requestId) as { ok: boolean; error?: string };
  return notice;
}

async function rawAs(role: 'owner' | 'editor' | 'suggester' | 'commenter' | 'viewer', name: string): Promise<RawClient & { userId: string }> {
  const { token, userId } = await server.invite(role, { name, delegation: role === 'commenter' ? 'OEA' : 'Panamá · MITRADEL' });
  const raw = rawClient(`${server.wsUrl}/${server.documentId}?token=${token}`);
  await raw.opened;
  await waitFor(() => raw.doc.getXmlFragment(YName.body).length > 0, 5000, 'sync');
  return Object.assign(raw, { userId });
}

function threadsOf(doc: Y.Doc): Thread[] {
  return readThreads(doc);
}

/** Open a thread on characters [from, to) of paragraph `p`. */
async function openThread(raw: RawClient, p: number, from: number, to: number, body: string): Promise<string> {
  const text = paragraph(raw.doc, p);
  const threadId = newId('t');
  const result = await command(raw, {
    op: 'thread.create',
    threadId,
    messageId: newId('m'),
    anchor: { start: relativeAt(text, from, 0), end: relativeAt(text, to, -1) },
    quote: text.toString().slice(from, to),
    body,
    mentions: [],
  });
  expect(result).toEqual({ kind: 'command-result', requestId: expect.any(String), ok: true });
  return threadId;
}

describe('comment threads through the real server', () => {
  it('a commenter opens a thread; an editor replies with a mention and resolves; everyone sees it live and after a restart', async () => {
    const oea = await rawAs('commenter', 'Revisora OEA');
    const mtpe = await rawAs('editor', 'Especialista MTPE');
    const threadId = await openThread(oea, 1, 0, 20, '¿Puede precisar el año?');
    await waitFor(() => threadsOf(mtpe.doc).some((t) => t.id === threadId), 5000, 'thread to reach the editor');
    const reply = await command(mtpe, { op: 'message.add', threadId, messageId: newId('m'), body: `@Revisora OEA es 2024`, mentions: [oea.userId] });
    expect(reply.ok).toBe(true);
    expect((await command(mtpe, { op: 'thread.resolve', threadId })).ok).toBe(true);
    await waitFor(() => threadsOf(oea.doc).find((t) => t.id === threadId)?.status === 'resolved', 5000, 'resolution to reach the commenter');
    const thread = threadsOf(oea.doc).find((t) => t.id === threadId)!;
    expect(thread.author.name).toBe('Revisora OEA');
    expect(thread.messages.map((m) => [m.author.name, m.body])).toEqual([
      ['Revisora OEA', '¿Puede precisar el año?'],
      ['Especialista MTPE', '@Revisora OEA es 2024'],
    ]);
    expect(thread.messages[1].mentions).toEqual([oea.userId]);
    expect(thread.events.map((e) => [e.type, e.by.name])).toEqual([['resolved', 'Especialista MTPE']]);
    oea.ws.close();
    mtpe.ws.close();

    const dataDir = server.dataDir;
    await server.stop();
    server = await startTestServer({ dataDir });
    const again = await rawAs('viewer', 'Lectora');
    await waitFor(() => threadsOf(again.doc).some((t) => t.id === threadId && t.status === 'resolved'), 5000, 'thread after restart');
    again.ws.close();
  });

  it('a commenter cannot write threads or text directly, nor change someone else’s message or resolve their thread', async () => {
    const author = await rawAs('suggester', 'Autora MITRADEL');
    const other = await rawAs('commenter', 'Otra persona');
    const threadId = await openThread(author, 2, 0, 10, 'Mensaje original');
    await waitFor(() => threadsOf(other.doc).some((t) => t.id === threadId), 5000, 'thread');
    const messageId = threadsOf(other.doc).find((t) => t.id === threadId)!.messages[0].id;

    const edit = await command(other, { op: 'message.edit', threadId, messageId, body: 'Alterado', mentions: [] });
    expect(edit).toMatchObject({ ok: false, error: 'you can only change your own messages' });
    expect((await command(other, { op: 'message.delete', threadId, messageId })).ok).toBe(false);
    const resolve = await command(other, { op: 'thread.resolve', threadId });
    expect(resolve.ok).toBe(false);
    expect(resolve.error).toMatch(/only resolve threads you started/);

    // Raw Yjs writes into the threads root are refused by the update guard.
    const copy = new Y.Doc();
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(other.doc));
    const sv = Y.encodeStateVector(copy);
    const forged = copy.getMap(THREADS_ROOT).get(threadId) as Y.Map<unknown>;
    (forged.get('messages') as Y.Array<unknown>).delete(0, 1);
    other.sendUpdate(Y.encodeStateAsUpdate(copy, sv));
    await waitFor(() => other.notices.some((n) => n.kind === 'update-refused'), 5000, 'refusal');
    const live = threadsOf(server.collab.room(server.documentId)!.doc).find((t) => t.id === threadId)!;
    expect(live.messages.map((m) => m.body)).toEqual(['Mensaje original']);
    expect(live.status).toBe('open');

    // The author may edit and delete their own message, and resolve their own thread.
    expect((await command(author, { op: 'message.edit', threadId, messageId, body: 'Mensaje corregido', mentions: [] })).ok).toBe(true);
    expect((await command(author, { op: 'thread.resolve', threadId })).ok).toBe(true);
    // Viewers cannot comment at all; nobody can mention a stranger.
    const viewer = await rawAs('viewer', 'Solo lectura');
    expect((await command(viewer, { op: 'message.add', threadId, messageId: newId('m'), body: 'hola', mentions: [] })).error).toMatch(/cannot comment/);
    expect((await command(author, { op: 'message.add', threadId, messageId: newId('m'), body: 'hola', mentions: ['someone-else'] })).error).toMatch(/only mention participants/);
    // Malformed commands get an explanation, not a crash.
    expect((await command(author, { op: 'thread.create', threadId: 'x' })).error).toMatch(/invalid command/);
    [author, other, viewer].forEach((c) => c.ws.close());
  });

  it('a command sent again by its author (the first answer lost to a reload) is taken as done, once; the same ids from someone else are still refused', async () => {
    const author = await rawAs('commenter', 'Autora reenvío');
    const other = await rawAs('editor', 'Otra persona reenvío');
    const text = paragraph(author.doc, 2);
    const create = {
      op: 'thread.create',
      threadId: newId('t'),
      messageId: newId('m'),
      anchor: { start: relativeAt(text, 0, 0), end: relativeAt(text, 8, -1) },
      quote: text.toString().slice(0, 8),
      body: 'Escrito sin conexión',
      mentions: [],
    };
    const threadId = create.threadId;
    expect((await command(author, create)).ok).toBe(true);
    expect(await command(author, create)).toMatchObject({ ok: true });
    expect(await command(other, create)).toMatchObject({ ok: false, error: 'a thread with this id exists' });
    // Another first message under the same thread id is not a resend.
    expect(await command(author, { ...create, messageId: newId('m') })).toMatchObject({ ok: false, error: 'a thread with this id exists' });

    const reply = { op: 'message.add', threadId, messageId: newId('m'), body: 'Respuesta sin conexión', mentions: [] };
    expect((await command(author, reply)).ok).toBe(true);
    expect((await command(author, reply)).ok).toBe(true);
    expect(await command(other, reply)).toMatchObject({ ok: false, error: 'a message with this id exists' });
    const remove = { op: 'message.delete', threadId, messageId: reply.messageId };
    expect((await command(author, remove)).ok).toBe(true);
    expect((await command(author, remove)).ok).toBe(true);
    expect((await command(author, { op: 'message.edit', threadId, messageId: reply.messageId, body: 'otra', mentions: [] })).error).toBe('this message was deleted');

    // A decision sent twice by the same person; someone else's is still "already decided".
    const seen = { authorId: author.userId, authorName: 'Autora reenvío', delegation: '', color: '#1f5fbf', quote: 'texto' };
    const decide = { op: 'suggestion.decide', threadId: newId('s'), decision: 'rejected', seen };
    expect((await command(other, decide)).ok).toBe(true);
    expect((await command(other, decide)).ok).toBe(true);
    const owner = await rawAs('owner', 'Dueña reenvío');
    expect(await command(owner, decide)).toMatchObject({ ok: false, error: 'this suggestion was already decided' });
    expect(await command(other, { ...decide, decision: 'accepted' })).toMatchObject({ ok: false, error: 'this suggestion was already decided' });

    const live = threadsOf(server.collab.room(server.documentId)!.doc);
    const thread = live.find((t) => t.id === threadId)!;
    expect(thread.messages.map((m) => [m.body, m.deletedAt !== null])).toEqual([
      ['Escrito sin conexión', false],
      ['', true],
    ]);
    expect(live.filter((t) => t.id === threadId)).toHaveLength(1);
    expect(live.find((t) => t.id === decide.threadId)!.events.map((e) => e.type)).toEqual(['rejected']);
    [author, other, owner].forEach((c) => c.ws.close());
  });

  it('anchors stay on their words while several clients edit around and inside them; deleted passages leave detached threads with their quote', async () => {
    const seed = Number(process.env.SEED ?? Date.now() % 1_000_000);
    const random = prng(seed);
    const owner = await rawAs('owner', 'Dueña');
    // A fresh paragraph whose characters tell passage (upper case) from the rest (lower case).
    const editors: TestClient[] = [];
    for (let i = 0; i < 3; i++) {
      const { token } = await server.invite('editor', { name: `Editor ${i}` });
      editors.push(connectClient(server.wsUrl, server.documentId, token));
    }
    await Promise.all(editors.map((e) => synced(e)));
    const fragment = editors[0].doc.getXmlFragment(YName.body);
    const base = 'abcdeFGHIJKLmnopqRSTUVWxyzabcdABCDEjklmnMNOPQuvw'; // every upper-case letter once
    editors[0].doc.transact(() => {
      const p = new Y.XmlElement('paragraph');
      p.insert(0, [new Y.XmlText(base)]);
      fragment.insert(fragment.length, [p]);
    });
    await waitFor(() => owner.doc.getXmlFragment(YName.body).toString().includes(base), 5000, 'paragraph');
    const last = owner.doc.getXmlFragment(YName.body).length - 1;
    const lastText = () => ((owner.doc.getXmlFragment(YName.body).get(last) as Y.XmlElement).get(0) as Y.XmlText);
    const passages: Array<[number, number]> = [];
    for (const match of base.matchAll(/[A-Z]+/g)) passages.push([match.index!, match.index! + match[0].length]);
    const threadIds: string[] = [];
    for (const [from, to] of passages) {
      const text = lastText();
      const threadId = newId('t');
      const result = await command(owner, { op: 'thread.create', threadId, messageId: newId('m'), anchor: { start: relativeAt(text, from, 0), end: relativeAt(text, to, -1) }, quote: base.slice(from, to), body: 'nota', mentions: [] });
      expect(result.ok).toBe(true);
      threadIds.push(threadId);
    }

    try {
      for (let round = 0; round < 200; round++) {
        const editor = editors[Math.floor(random() * editors.length)];
        const text = (editor.doc.getXmlFragment(YName.body).get(last) as Y.XmlElement).get(0) as Y.XmlText;
        const s = text.toString();
        const roll = random();
        if (roll < 0.6) text.insert(Math.floor(random() * (s.length + 1)), String(Math.floor(random() * 10)));
        else if (s.length > 0) {
          // Delete a digit or lower-case letter, or (rarely) a whole passage.
          if (roll > 0.97) {
            const upper = [...s.matchAll(/[A-Z]+/g)];
            if (upper.length > 0) {
              const victim = upper[Math.floor(random() * upper.length)];
              text.delete(victim.index!, victim[0].length);
            }
          } else {
            const candidates = [...s].map((c, i) => (/[a-z0-9]/.test(c) ? i : -1)).filter((i) => i >= 0);
            if (candidates.length) text.delete(candidates[Math.floor(random() * candidates.length)], 1);
          }
        }
        if (round % 20 === 0) await new Promise((r) => setTimeout(r, 10));
      }
      const room = server.collab.room(server.documentId)!;
      await waitFor(() => editors.every((e) => e.doc.getXmlFragment(YName.body).toString() === room.doc.getXmlFragment(YName.body).toString()), 10_000, 'convergence');

      const threads = readThreads(room.doc);
      for (const threadId of threadIds) {
        const thread = threads.find((t) => t.id === threadId);
        expect(thread, `thread ${threadId} silently dropped`).toBeDefined();
        const start = Y.createAbsolutePositionFromRelativePosition(Y.decodeRelativePosition(Buffer.from(thread!.anchor!.start, 'base64')), room.doc)!;
        const end = Y.createAbsolutePositionFromRelativePosition(Y.decodeRelativePosition(Buffer.from(thread!.anchor!.end, 'base64')), room.doc)!;
        const full = (start.type as Y.XmlText).toString();
        const inside = start.type === end.type && end.index > start.index ? full.slice(start.index, end.index) : '';
        const letters = inside.replace(/[0-9]/g, '');
        const surviving = [...thread!.quote].filter((c) => full.includes(c)).join('');
        if (surviving.length === 0) {
          // Detached: the passage is gone, the quote stays.
          expect(letters).toBe('');
          expect(thread!.quote).toMatch(/^[A-Z]+$/);
        } else {
          // Exactly its own words: none lost, no outside words crept in (typed digits may sit inside).
          expect(letters, `thread on ${thread!.quote}`).toBe(surviving);
        }
      }
    } catch (error) {
      throw new Error(`anchor stability failed with SEED=${seed}: ${(error as Error).message}`);
    } finally {
      editors.forEach((e) => e.destroy());
      owner.ws.close();
    }
  });
});
