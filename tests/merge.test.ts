import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { mergeUpdateList } from '../server/collab/merge.ts';
import { prng } from './helpers/clients.ts';

describe('mergeUpdateList', () => {
  it('merges thousands of keystrokes from several clients into one update equal to applying them one by one', () => {
    const random = prng(7);
    const docs = [new Y.Doc(), new Y.Doc(), new Y.Doc()];
    const updates: Uint8Array[] = [];
    for (const doc of docs) doc.on('update', (update: Uint8Array, origin: unknown) => origin !== 'peer' && updates.push(update));
    for (let i = 0; i < 3000; i++) {
      const doc = docs[Math.floor(random() * docs.length)];
      const text = doc.getText('t');
      if (random() < 0.2 && text.length > 0) text.delete(Math.floor(random() * text.length), 1);
      else text.insert(Math.floor(random() * (text.length + 1)), String.fromCharCode(97 + (i % 26)));
      // Keep the others in step, as a server would.
      const last = updates[updates.length - 1];
      for (const other of docs) if (other !== doc) Y.applyUpdate(other, last, 'peer');
    }
    const merged = mergeUpdateList(updates);
    const fromMerged = new Y.Doc();
    Y.applyUpdate(fromMerged, merged);
    expect(fromMerged.getText('t').toString()).toBe(docs[0].getText('t').toString());
    expect(Y.encodeStateVector(fromMerged)).toEqual(Y.encodeStateVector(docs[0]));
    expect(mergeUpdateList([updates[0]])).toBe(updates[0]);
  });
});
