/**
 * Text a discarded copy held that the server does not (client/src/features/connection/unsavedText.ts).
 * A "server" Y.Doc and a device's copy are synced, then the copy changes without the server
 * taking the change (as when the server refuses it); what the function recovers is checked
 * against what was typed. The whole path through the real server and a browser is in
 * tests/e2e/roles.test.ts.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { clearUnsavedTexts, findUnsavedText, MAX_UNSAVED_CHARS, recoverUnsavedText, unsavedAsText, UnsavedTextStore, unsavedKey } from '../client/src/features/connection/unsavedText.ts';
import { writePlanContent } from '../shared/plan-doc.ts';
import { YName } from '../shared/protocol.ts';
import { MemoryStorage } from './helpers/memory-storage.ts';

const paragraph = (text: string) => ({ type: 'paragraph', content: [{ type: 'text', text }] });

/** A server holding three paragraphs, and a device's copy synced with it. */
function syncedPair() {
  const server = new Y.Doc();
  writePlanContent(server, { type: 'doc', content: [paragraph('Primer párrafo del plan.'), paragraph('Calendario de implementación'), paragraph('Último párrafo.')] });
  const device = new Y.Doc();
  Y.applyUpdate(device, Y.encodeStateAsUpdate(server));
  return { server, device };
}

/** The XmlText of top-level paragraph `index`. */
function textOf(doc: Y.Doc, index: number): Y.XmlText {
  return (doc.getXmlFragment(YName.body).get(index) as Y.XmlElement).get(0) as Y.XmlText;
}

/** Send the device's changes so far to the server (they were taken). */
function deliver(device: Y.Doc, server: Y.Doc): void {
  Y.applyUpdate(server, Y.encodeStateAsUpdate(device, Y.encodeStateVector(server)));
}

const unsaved = (device: Y.Doc, server: Y.Doc) => findUnsavedText(device, Y.encodeStateVector(server), 1).passages;

afterEach(() => vi.restoreAllMocks());

describe('text the server did not keep', () => {
  it('is nothing when the server has every change, and is exactly what was typed after the last change it took', () => {
    const { server, device } = syncedPair();
    textOf(device, 1).insert('Calendario de implementación'.length, ' (revisado)');
    deliver(device, server);
    expect(unsaved(device, server)).toEqual([]);

    // Typed right after the delivered text: Yjs merges both runs into one item on the device.
    textOf(device, 1).insert('Calendario de implementación (revisado)'.length, ', escrito sin conexión.');
    // The context is the last 60 characters before it, from the start of a word.
    expect(unsaved(device, server)).toEqual([{ before: '…párrafo del plan. Calendario de implementación (revisado)', text: ', escrito sin conexión.' }]);
  });

  it('lists separate places separately, in document order; text typed and deleted again is not listed', () => {
    const { server, device } = syncedPair();
    textOf(device, 2).insert(0, 'Al final: ');
    textOf(device, 0).insert(0, 'Al inicio. ');
    textOf(device, 1).insert(10, ' borrado');
    textOf(device, 1).delete(10, ' borrado'.length);
    expect(unsaved(device, server)).toEqual([
      { before: '', text: 'Al inicio. ' },
      { before: 'Primer párrafo del plan. Calendario de implementación', text: 'Al final: ' },
    ]);
  });

  it('joins new paragraphs into one passage, one line each, with the kept text before them as context', () => {
    const { server, device } = syncedPair();
    const fragment = device.getXmlFragment(YName.body);
    const added = [new Y.XmlElement('paragraph'), new Y.XmlElement('paragraph')];
    fragment.insert(2, added);
    added[0].insert(0, [new Y.XmlText('Nuevo párrafo uno.')]);
    added[1].insert(0, [new Y.XmlText('Nuevo párrafo dos.')]);
    const [passage] = unsaved(device, server);
    expect(passage).toEqual({ before: 'Primer párrafo del plan. Calendario de implementación', text: 'Nuevo párrafo uno.\nNuevo párrafo dos.' });
    expect(unsaved(device, server)).toHaveLength(1);
  });

  it('keeps 60 characters of context, and covers every Yjs client of the copy (an offline copy reloaded keeps its earlier client’s edits)', () => {
    const { server, device } = syncedPair();
    textOf(device, 0).insert(0, 'x'.repeat(100));
    deliver(device, server);
    textOf(device, 0).insert(100, 'antes de recargar ');
    // A reload offline: a new Y.Doc (new client id) restored from the offline copy, then more typing.
    const reloaded = new Y.Doc();
    Y.applyUpdate(reloaded, Y.encodeStateAsUpdate(device));
    textOf(reloaded, 0).insert(100 + 'antes de recargar '.length, 'y después.');
    expect(reloaded.clientID).not.toBe(device.clientID);
    const [passage, ...rest] = unsaved(reloaded, server);
    expect(rest).toEqual([]);
    expect(passage).toEqual({ before: `…${'x'.repeat(60)}`, text: 'antes de recargar y después.' });
  });

  it(`keeps at most ${MAX_UNSAVED_CHARS} characters, and says it cut`, () => {
    const { server, device } = syncedPair();
    textOf(device, 0).insert(0, 'a'.repeat(MAX_UNSAVED_CHARS - 5));
    textOf(device, 2).insert(0, 'b'.repeat(20));
    const found = findUnsavedText(device, Y.encodeStateVector(server));
    expect(found.truncated).toBe(true);
    expect(found.passages.map((p) => p.text)).toEqual(['a'.repeat(MAX_UNSAVED_CHARS - 5), 'bbbbb']);
    expect(unsavedAsText(found)).toBe(`${'a'.repeat(MAX_UNSAVED_CHARS - 5)}\n\nbbbbb`);
  });

  it('is recovered from the discarded state once the fresh copy has synced', async () => {
    const { server, device } = syncedPair();
    textOf(device, 1).insert(0, 'Rechazado: ');
    let synced!: () => void;
    const fresh = { doc: new Y.Doc(), whenSynced: () => new Promise<void>((resolve) => (synced = resolve)) };
    const recovered = recoverUnsavedText(Y.encodeStateAsUpdate(device), fresh);
    Y.applyUpdate(fresh.doc, Y.encodeStateAsUpdate(server));
    synced();
    expect((await recovered).passages).toEqual([{ before: 'Primer párrafo del plan.', text: 'Rechazado: ' }]);
  });
});

describe('the recovered text kept in this browser', () => {
  const found = (text: string, at: number) => ({ at, passages: [{ before: 'antes', text }], truncated: false });

  it('is kept per person and plan until discarded; a second recovery adds to the first', () => {
    const storage = new MemoryStorage();
    const store = new UnsavedTextStore(unsavedKey('user-a', 'doc-1'), storage);
    expect(store.read()).toBeNull();
    store.keep(found('uno', 1));
    expect(store.keep(found('dos', 2))).toEqual({ at: 2, passages: [{ before: 'antes', text: 'uno' }, { before: 'antes', text: 'dos' }], truncated: false });
    expect(new UnsavedTextStore(unsavedKey('user-a', 'doc-1'), storage).read()?.passages.map((p) => p.text)).toEqual(['uno', 'dos']);
    expect(new UnsavedTextStore(unsavedKey('user-b', 'doc-1'), storage).read()).toBeNull();
    store.dismiss();
    expect(storage.items.size).toBe(0);
  });

  it('reads unreadable contents as nothing; a full storage still shows what was found; sign-out clears only these', () => {
    const storage = new MemoryStorage();
    const key = unsavedKey('user-a', 'doc-1');
    storage.setItem(key, '{not json');
    const store = new UnsavedTextStore(key, storage);
    expect(store.read()).toBeNull();
    storage.setItem(key, JSON.stringify({ at: 1, passages: [{ before: 'a', text: 5 }] }));
    expect(store.read()).toBeNull();

    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    storage.full = true;
    expect(store.keep(found('uno', 3)).passages).toHaveLength(1);
    expect(warn).toHaveBeenCalledOnce();
    storage.full = false;

    new UnsavedTextStore(unsavedKey('user-b', 'doc-2'), storage).keep(found('dos', 4));
    storage.setItem('minga-outbox:user-a:doc-1', '[]');
    clearUnsavedTexts(storage);
    expect([...storage.items.keys()]).toEqual(['minga-outbox:user-a:doc-1']);
  });
});
