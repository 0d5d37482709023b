import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { YName } from '../shared/protocol.ts';
import { connectClient, rawClient, synced, waitFor, type RawClient, type TestClient } from './helpers/clients.ts';
import { removeDir, startTestServer, type TestServer } from './helpers/server.ts';

let server: TestServer;
let observer: TestClient;
let suggester: RawClient & { userId: string };
let other: RawClient & { userId: string };

async function rawAs(role: 'suggester' | 'editor', name: string): Promise<RawClient & { userId: string }> {
  const { token, userId } = await server.invite(role, { name, delegation: 'Panamá · MITRADEL' });
  const raw = rawClient(`${server.wsUrl}/${server.documentId}?token=${token}`);
  await raw.opened;
  await waitFor(() => raw.doc.getXmlFragment(YName.body).length > 0, 5000, 'sync');
  return Object.assign(raw, { userId });
}

beforeAll(async () => {
  server = await startTestServer();
  const { token } = await server.invite('editor', { name: 'Observer' });
  observer = connectClient(server.wsUrl, server.documentId, token);
  await synced(observer);
  suggester = await rawAs('suggester', 'Sugeridora');
  other = await rawAs('suggester', 'Otro sugeridor');
});
afterAll(async () => {
  observer.destroy();
  suggester.ws.close();
  other.ws.close();
  await server.stop();
  removeDir(server.dataDir);
});

const attrs = (userId: string, suggestionId: string) => ({ suggestionId, authorId: userId, authorName: 'x', color: '#1f5fbf', createdAt: '2026-01-01T00:00:00.000Z' });
/** The antecedentes paragraph's text in a doc. */
const para = (doc: Y.Doc, n = 3): Y.XmlText => (doc.getXmlFragment(YName.body).get(n) as Y.XmlElement).get(0) as Y.XmlText;

/** Forge an update from a client's current view and send it; resolve with accepted or refused. */
async function attempt(client: RawClient, change: (doc: Y.Doc) => void): Promise<'applied' | 'refused'> {
  await waitFor(() => client.doc.getXmlFragment(YName.body).toString() === server.collab.room(server.documentId)!.doc.getXmlFragment(YName.body).toString(), 5000, 'client up to date');
  const refusalsBefore = client.notices.filter((n) => n.kind === 'update-refused').length;
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(client.doc));
  const sv = Y.encodeStateVector(copy);
  change(copy);
  const update = Y.encodeStateAsUpdate(copy, sv);
  const before = server.collab.room(server.documentId)!.doc.getXmlFragment(YName.body).toString();
  client.sendUpdate(update);
  await waitFor(
    () => client.notices.filter((n) => n.kind === 'update-refused').length > refusalsBefore || server.collab.room(server.documentId)!.doc.getXmlFragment(YName.body).toString() !== before,
    5000,
    'a decision',
  );
  const refused = client.notices.filter((n) => n.kind === 'update-refused').length > refusalsBefore;
  if (!refused) Y.applyUpdate(client.doc, update); // our own change: keep the view in step
  return refused ? 'refused' : 'applied';
}

describe('suggestion guard: what a suggester may change', () => {
  it('proposes an insertion marked as theirs; everyone sees it', async () => {
    expect(await attempt(suggester, (d) => para(d).insert(0, 'Propuesta: ', { insertion: attrs(suggester.userId, 'sug-ins-1') }))).toBe('applied');
    await waitFor(() => para(observer.doc).toString().includes('Propuesta: '), 5000, 'broadcast');
  });

  it('proposes a deletion by marking existing text', async () => {
    expect(await attempt(suggester, (d) => para(d).format(20, 10, { deletion: attrs(suggester.userId, 'sug-del-1') }))).toBe('applied');
  });

  it('proposes a new paragraph with its own text', async () => {
    expect(
      await attempt(suggester, (d) =>
        d.transact(() => {
          const p = new Y.XmlElement('paragraph');
          d.getXmlFragment(YName.body).insert(4, [p]);
          p.setAttribute('suggestedInsert', attrs(suggester.userId, 'sug-par-1') as unknown as string);
          const text = new Y.XmlText();
          p.insert(0, [text]);
          text.insert(0, 'Nuevo párrafo propuesto', { insertion: attrs(suggester.userId, 'sug-par-1') });
        }),
      ),
    ).toBe('applied');
  });

  it('proposes formatting, recorded in their own formatChange mark; withdraws it', async () => {
    const record = (added: string[]) => ({ ...attrs(suggester.userId, 'sug-fmt-1'), added, removed: [] });
    expect(await attempt(suggester, (d) => para(d).format(40, 6, { bold: {}, formatChange: record(['bold']) }))).toBe('applied');
    await waitFor(() => JSON.stringify(para(observer.doc).toDelta()).includes('sug-fmt-1'), 5000, 'broadcast');
    expect(await attempt(suggester, (d) => para(d).format(40, 6, { bold: null, formatChange: null }))).toBe('applied');
    // Formatting recorded as something else, or as someone else's, is not a suggestion of theirs.
    expect(await attempt(suggester, (d) => para(d).format(40, 6, { italic: {}, formatChange: record(['bold']) }))).toBe('refused');
    expect(await attempt(suggester, (d) => para(d).format(40, 6, { bold: {}, formatChange: { ...attrs('someone-else', 'sug-fmt-2'), added: ['bold'], removed: [] } }))).toBe('refused');
  });

  it('withdraws part of their own insertion', async () => {
    expect(await attempt(suggester, (d) => para(d).delete(0, 3))).toBe('applied');
  });

  const forged: Array<[string, (d: Y.Doc) => void]> = [
    ['types plain text', (d) => para(d).insert(40, 'texto directo', {})],
    ['deletes text outright', (d) => para(d).delete(30, 5)],
    ['marks an insertion as someone else’s', (d) => para(d).insert(0, 'ajeno', { insertion: attrs('someone-else', 'sug-x') })],
    ['accepts their own suggestion (unmarks it, keeps the text)', (d) => para(d).format(0, 5, { insertion: null })],
    ['formats plan text', (d) => para(d).format(40, 5, { bold: {} })],
    ['adds a paragraph that is not marked as a suggestion', (d) => {
      const p = new Y.XmlElement('paragraph');
      p.insert(0, [new Y.XmlText('colado')]);
      d.getXmlFragment(YName.body).insert(2, [p]);
    }],
    ['deletes a whole block', (d) => d.getXmlFragment(YName.body).delete(6, 1)],
    ['changes a heading level', (d) => (d.getXmlFragment(YName.body).get(2) as Y.XmlElement).setAttribute('level', 3 as unknown as string)],
  ];
  it.each(forged)('refuses a suggester who %s, and nothing is applied or broadcast', async (_label, change) => {
    const live = () => server.collab.room(server.documentId)!.doc.getXmlFragment(YName.body).toString();
    await waitFor(() => observer.doc.getXmlFragment(YName.body).toString() === live(), 5000, 'observer up to date');
    const before = observer.doc.getXmlFragment(YName.body).toString();
    expect(await attempt(suggester, change)).toBe('refused');
    await new Promise((r) => setTimeout(r, 100));
    expect(observer.doc.getXmlFragment(YName.body).toString()).toBe(before);
  });

  it('refuses a suggester who withdraws, accepts or alters someone else’s suggestion', async () => {
    await waitFor(() => para(other.doc).toString().includes('uesta'), 5000, 'other up to date');
    expect(await attempt(other, (d) => para(d).delete(0, 4))).toBe('refused'); // delete the first suggester's proposed text
    expect(await attempt(other, (d) => para(d).format(0, 4, { insertion: null }))).toBe('refused');
    expect(await attempt(other, (d) => para(d).format(0, 4, { insertion: attrs(other.userId, 'stolen') }))).toBe('refused');
    // …but can add a suggestion of their own next to it.
    expect(await attempt(other, (d) => para(d).insert(0, '¿', { insertion: attrs(other.userId, 'sug-other-1') }))).toBe('applied');
  });

  it('proposes a block type (a paragraph made a heading) with its own record; nobody else can drop the record of a proposed type or block', async () => {
    const body = (d: Y.Doc) => d.getXmlFragment(YName.body);
    const indexOf = (d: Y.Doc, text: string) => body(d).toArray().findIndex((el) => el.toString().includes(text));
    /** Replace the block holding `text` by one of `type` with the same text, as y-prosemirror does for a retype. */
    const retype = (d: Y.Doc, text: string, type: string, attributes: Record<string, unknown>) => {
      const index = indexOf(d, text);
      const delta = ((body(d).get(index) as Y.XmlElement).get(0) as Y.XmlText).toDelta();
      d.transact(() => {
        body(d).delete(index, 1);
        const element = new Y.XmlElement(type);
        body(d).insert(index, [element]);
        for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, value as string);
        const content = new Y.XmlText();
        element.insert(0, [content]);
        content.applyDelta(delta);
      });
    };
    const record = (userId: string, fromType: string, fromLevel: number | null) => ({ ...attrs(userId, 'sug-type-1'), fromType, fromLevel });
    const target = 'Conocer la experiencia';
    expect(await attempt(suggester, (d) => retype(d, target, 'heading', { level: 2 }))).toBe('refused'); // no record
    expect(await attempt(suggester, (d) => retype(d, target, 'heading', { level: 2, suggestedType: record(suggester.userId, 'heading', 3) }))).toBe('refused'); // untrue record
    expect(await attempt(suggester, (d) => retype(d, target, 'heading', { level: 2, suggestedType: record(other.userId, 'paragraph', null) }))).toBe('refused'); // someone else's
    expect(await attempt(suggester, (d) => retype(d, target, 'heading', { level: 2, suggestedType: record(suggester.userId, 'paragraph', null) }))).toBe('applied');
    await waitFor(() => (body(observer.doc).get(indexOf(observer.doc, target)) as Y.XmlElement).nodeName === 'heading', 5000, 'broadcast');

    // The other suggester can neither accept it (drop the record) nor un-propose the first one's new paragraph.
    await waitFor(() => indexOf(other.doc, target) >= 0 && (body(other.doc).get(indexOf(other.doc, target)) as Y.XmlElement).nodeName === 'heading', 5000, 'other up to date');
    expect(await attempt(other, (d) => retype(d, target, 'heading', { level: 2 }))).toBe('refused');
    expect(await attempt(other, (d) => (body(d).get(indexOf(d, 'Nuevo párrafo propuesto')) as Y.XmlElement).removeAttribute('suggestedInsert'))).toBe('refused');
    // The author withdraws it: the paragraph again, without a record.
    expect(await attempt(suggester, (d) => retype(d, target, 'paragraph', {}))).toBe('applied');
  });
});
