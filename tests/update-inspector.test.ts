import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { inspectUpdate, inspectStateVector, inspectAwarenessUpdate, MalformedPayloadError } from '../server/collab/update-inspector.ts';
import { prng } from './helpers/clients.ts';

/** Real updates of every content kind, to compare the inspector's walk with Yjs's own. */
function sampleUpdates(): Uint8Array[] {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  const fragment = doc.getXmlFragment('default');
  const p = new Y.XmlElement('paragraph');
  p.setAttribute('class', 'x');
  fragment.insert(0, [p]);
  const text = new Y.XmlText();
  p.insert(0, [text]);
  text.insert(0, 'Hola ñandú 😀');
  text.format(0, 4, { bold: true });
  text.delete(2, 3);
  doc.getMap('meta').set('any', { a: [1, 2.5, null, true, 'x', new Uint8Array([1, 2])], big: 2 ** 40 });
  doc.getArray('list').insert(0, [1, 'two', { three: 3 }]);
  doc.getArray('list').delete(0, 1);
  doc.getMap('meta').set('bin', new Uint8Array([9, 9]));
  updates.push(Y.encodeStateAsUpdate(doc));
  return updates;
}

describe('update inspector', () => {
  it('accepts every update Yjs produces and reports their structs', () => {
    for (const update of sampleUpdates()) {
      const inspected = inspectUpdate(update);
      const decoded = Y.decodeUpdate(update);
      expect(inspected.structs.length).toBe(decoded.structs.length);
      inspected.structs.forEach((s, i) => expect(s.length).toBe(decoded.structs[i].length));
    }
  });

  it('refuses truncations of real updates without hanging', () => {
    for (const update of sampleUpdates()) {
      for (let cut = 0; cut < update.length; cut++) {
        const truncated = update.subarray(0, cut);
        expect(() => inspectUpdate(truncated), `cut at ${cut}`).toThrow(MalformedPayloadError);
      }
    }
  });

  it('never throws anything but MalformedPayloadError on mutated updates, and stays linear', () => {
    const seed = Date.now() % 100000;
    const random = prng(seed);
    const updates = sampleUpdates();
    for (let i = 0; i < 5000; i++) {
      const base = updates[Math.floor(random() * updates.length)];
      const mutated = base.slice();
      const flips = 1 + Math.floor(random() * 4);
      for (let f = 0; f < flips; f++) mutated[Math.floor(random() * mutated.length)] = Math.floor(random() * 256);
      try {
        inspectUpdate(mutated);
      } catch (error) {
        expect(error, `seed ${seed} iteration ${i}`).toBeInstanceOf(MalformedPayloadError);
      }
    }
  });

  it('refuses counts the payload cannot hold (the yjs issue 687 family)', () => {
    // one client claiming 2^32 structs in a 10-byte payload
    const hugeStructCount = new Uint8Array([1, 0xff, 0xff, 0xff, 0xff, 0x0f, 1, 0, 0, 0]);
    expect(() => inspectUpdate(hugeStructCount)).toThrow(/exceeds payload size/);
    // 2^35 clients
    expect(() => inspectUpdate(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x7f, 0]))).toThrow(MalformedPayloadError);
    // an "any" array claiming 10^9 elements
    const anyArray = new Uint8Array([1, 1, 5, 0, 8 | 0, 1, 3, 'm'.charCodeAt(0), 'a'.charCodeAt(0), 'p'.charCodeAt(0), 1, 117, 0x80, 0x94, 0xeb, 0xdc, 0x03, 0, 0]);
    expect(() => inspectUpdate(anyArray)).toThrow(MalformedPayloadError);
    // deeply nested arrays
    const deep = new Uint8Array([1, 1, 5, 0, 8, 1, 3, 109, 97, 112, 1, ...Array.from({ length: 200 }, () => [117, 1]).flat(), 127, 0]);
    expect(() => inspectUpdate(deep)).toThrow(/nested too deeply/);
    // trailing garbage after a valid update
    const valid = sampleUpdates()[0];
    expect(() => inspectUpdate(new Uint8Array([...valid, 0]))).toThrow(/trailing/);
  });

  it('checks state vectors and awareness updates', () => {
    const doc = new Y.Doc();
    doc.getText('t').insert(0, 'x');
    expect(() => inspectStateVector(Y.encodeStateVector(doc))).not.toThrow();
    expect(() => inspectStateVector(new Uint8Array([0xff, 0xff, 0xff, 0x0f]))).toThrow(MalformedPayloadError);
    const state = new TextEncoder().encode(JSON.stringify({ user: { name: 'x' } }));
    const awareness = new Uint8Array([1, 7, 1, state.length, ...state]);
    expect(inspectAwarenessUpdate(awareness, 1000)[0]).toMatchObject({ clientId: 7, clock: 1, state: { user: { name: 'x' } } });
    expect(() => inspectAwarenessUpdate(awareness, 5)).toThrow(/exceeds/);
    expect(() => inspectAwarenessUpdate(new Uint8Array([1, 7, 1, 3, 110, 111, 33]), 1000)).toThrow(/not JSON/);
  });
});
