import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Fragment, type Node as PMNode } from '@tiptap/pm/model';
// vitest inlines y-tiptap through the same plugin (vite.config.ts): this is the patched build.
import { absolutePositionToRelativePosition, initProseMirrorDoc, updateYFragment, yXmlFragmentToProseMirrorRootNode } from '@tiptap/y-tiptap';
import { applyYTiptapPatches, patchYTiptap, Y_TIPTAP_PATCHES } from '../client/build/y-tiptap-patches.ts';
import { encodePlanContent } from '../shared/plan-doc.ts';
import { YName } from '../shared/protocol.ts';
import { planSchema } from '../shared/schema.ts';
import { templateContent } from '../shared/template.ts';
import { prng } from './helpers/clients.ts';

const dist = path.resolve(import.meta.dirname, '../node_modules/@tiptap/y-tiptap/dist');
const read = (file: string): string => readFileSync(path.join(dist, file), 'utf8');

/** Run the plugin's transform as Vite would, with `this.error` throwing. */
function transform(code: string, id: string): { code: string } | null {
  const hook = patchYTiptap().transform as (this: unknown, code: string, id: string) => { code: string } | null;
  return hook.call({ error: (message: string) => { throw new Error(message); } }, code, id);
}

type ToRelative = (pos: number, type: Y.XmlFragment, mapping: Map<unknown, unknown>, pmDoc?: PMNode) => Y.RelativePosition;

describe('the y-tiptap build patches (client/build/y-tiptap-patches.ts)', () => {
  it.each(['y-tiptap.js', 'y-tiptap.cjs'])('all apply to %s; the mapping.clear() of _typeChanged is gone and only it', (file) => {
    const code = read(file);
    const patched = transform(code, path.join(dist, file))!.code;
    const clears = (text: string) => text.split('this.mapping.clear();').length - 1;
    expect(clears(patched)).toBe(clears(code) - 1);
    const typeChanged = patched.slice(patched.indexOf('_typeChanged (events, transaction) {'), patched.indexOf('_prosemirrorChanged (doc) {'));
    expect(typeChanged).toContain('transaction.changedParentTypes.forEach(delType);');
    expect(typeChanged).not.toContain('this.mapping.clear()');
    for (const patch of Y_TIPTAP_PATCHES) expect(patched).toContain(patch.replace);
  });

  it('fails the build, naming the patch, when y-tiptap no longer has the expected text', () => {
    const code = read('y-tiptap.js');
    const changed = code.replace('      this.mapping.clear();\n      const fragmentContent', '      this.mapping = new Map();\n      const fragmentContent');
    expect(changed).not.toBe(code);
    expect(() => transform(changed, path.join(dist, 'y-tiptap.js'))).toThrow(/keep the mapping.*y-tiptap changed/);
    const moved = code.replace('        update: () => {\n          const pluginState', '        update: () => {\n\n          const pluginState');
    expect(() => applyYTiptapPatches(moved, 'y-tiptap.js')).toThrow(/no write to Yjs when the document did not change/);
  });

  it('leaves every other module alone', () => {
    expect(transform('this.mapping.clear();', '/x/node_modules/y-prosemirror/dist/y-prosemirror.js')).toBeNull();
  });

  it('positions converted through the block skip equal y-tiptap’s own walk at every position of a plan with deleted blocks, lists and tables, and the walk is skipped', () => {
    const doc = new Y.Doc();
    const sample = templateContent('sovio', '');
    Y.applyUpdate(doc, encodePlanContent({ ...sample, content: [...sample.content!, ...sample.content!, ...sample.content!] }));
    const body = doc.getXmlFragment(YName.body);
    // Deleted blocks and empty paragraphs are where an index walk could go wrong.
    const random = prng(20261124);
    for (let i = 0; i < 6; i++) body.delete(1 + Math.floor(random() * (body.length - 2)), 1);
    body.insert(3, [new Y.XmlElement('paragraph')]);
    const { doc: pmDoc, mapping } = initProseMirrorDoc(body, planSchema);
    const { walked, walkedBefore } = compareWithWalk(body, pmDoc, mapping, 1);
    // The walk looks up every block before each position; the skip, only the block holding it.
    expect(pmDoc.childCount).toBeGreaterThan(60);
    expect(walked * 10).toBeLessThan(walkedBefore);
  });

  it('the list of live blocks the skip keeps follows blocks moved, added and removed (inside the transaction too), so the skip keeps being used', () => {
    const doc = new Y.Doc();
    const sample = templateContent('sovio', '');
    Y.applyUpdate(doc, encodePlanContent({ ...sample, content: [...sample.content!, ...sample.content!] }));
    const body = doc.getXmlFragment(YName.body);
    // Right answers, and the walk not used (the list kept for the skip is in step with the plan).
    const skipsRightly = () => {
      const { doc: pmDoc, mapping } = initProseMirrorDoc(body, planSchema);
      const { walked, walkedBefore } = compareWithWalk(body, pmDoc, mapping, 3);
      expect(walked * 5).toBeLessThan(walkedBefore);
    };
    skipsRightly(); // builds the list
    // A block moved: removed and added in one transaction, as many blocks as before.
    doc.transact(() => {
      const moved = (body.get(4) as Y.XmlElement).clone();
      body.delete(4, 1);
      body.insert(1, [moved]);
      skipsRightly();
    });
    skipsRightly();
    body.insert(2, [new Y.XmlElement('paragraph')]);
    skipsRightly();
    body.delete(7, 2);
    skipsRightly();
  });

  it('writing ProseMirror changes to Yjs, with the move search skipped when the blocks line up: the same plan, and the blocks a move did not touch keep their Yjs type', () => {
    const doc = new Y.Doc();
    const sample = templateContent('sovio', '');
    Y.applyUpdate(doc, encodePlanContent({ ...sample, content: [...sample.content!, ...sample.content!] }));
    const body = doc.getXmlFragment(YName.body);
    let { doc: pmDoc, mapping } = initProseMirrorDoc(body, planSchema);
    const meta = { mapping, isOMark: new Map() };
    const write = (next: PMNode) => {
      (updateYFragment as unknown as (y: Y.Doc, f: Y.XmlFragment, n: PMNode, m: unknown) => void)(doc, body, next, meta);
      pmDoc = next;
      expect(yXmlFragmentToProseMirrorRootNode(body, planSchema).eq(next)).toBe(true);
    };
    const random = prng(99);
    const textPos = () => {
      for (;;) {
        const pos = 1 + Math.floor(random() * (pmDoc.content.size - 2));
        if (pmDoc.resolve(pos).parent.isTextblock) return pos;
      }
    };
    let checkedMoves = 0;
    for (let round = 0; round < 40; round++) {
      const kind = round % 5;
      const children = Array.from({ length: pmDoc.childCount }, (_, i) => pmDoc.child(i));
      if (kind === 0 || kind === 1) {
        const at = textPos(); // typing: the children line up but one
        write(pmDoc.replace(at, at, planSchema.nodeFromJSON({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'x' }] }] }).slice(1, 2)));
      } else if (kind === 2) {
        const from = Math.floor(random() * children.length); // a block moved elsewhere
        const [moved] = children.splice(from, 1);
        children.splice(Math.floor(random() * children.length), 0, moved);
        const unique = new Set(pmDoc.content.content).size === pmDoc.childCount;
        const stayed = unique ? body.toArray().filter((t) => mapping.get(t as Y.XmlElement) !== moved) : [];
        write(pmDoc.copy(Fragment.from(children)));
        // Only the moved block is written anew (Yjs has no move); every other block keeps its
        // Yjs type, so comments and others' carets in them stay where they were. (Once a node is
        // in the plan twice, y-tiptap may rewrite one of the two: not checked then.)
        expect(stayed.filter((t) => t._item!.deleted).length, `round ${round}`).toBe(0);
        if (unique) checkedMoves++;
      } else if (kind === 3) {
        const twice = children[Math.floor(random() * children.length)]; // the same node object twice
        children.splice(Math.floor(random() * children.length), 0, twice);
        write(pmDoc.copy(Fragment.from(children)));
      } else {
        children.splice(Math.floor(random() * children.length), 1); // a block removed
        write(pmDoc.copy(Fragment.from(children)));
      }
    }
    expect(checkedMoves).toBeGreaterThanOrEqual(2);
  });

  it('when the binding is not in step with the document, the walk runs as before', () => {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, encodePlanContent(templateContent('sovio', '')));
    const body = doc.getXmlFragment(YName.body);
    const { doc: pmDoc, mapping } = initProseMirrorDoc(body, planSchema);
    // A block added on the Yjs side only: counts differ, so no skip.
    body.insert(2, [new Y.XmlElement('paragraph')]);
    const convert = absolutePositionToRelativePosition as unknown as ToRelative;
    for (let pos = 0; pos <= pmDoc.content.size; pos += 7) {
      expect(Y.compareRelativePositions(convert(pos, body, mapping, pmDoc), convert(pos, body, mapping))).toBe(true);
    }
  });
});

/**
 * Convert every `step`-th position of `pmDoc` with the block skip and with y-tiptap's own walk
 * (the function without a document), expect the same relative positions, and count the mapping
 * lookups each made.
 */
function compareWithWalk(body: Y.XmlFragment, pmDoc: PMNode, mapping: Map<unknown, unknown>, step: number): { walked: number; walkedBefore: number } {
  const convert = absolutePositionToRelativePosition as unknown as ToRelative;
  let lookups = 0;
  const counting = new Proxy(mapping, {
    get(target, key) {
      if (key === 'get') {
        return (k: unknown) => {
          lookups++;
          return target.get(k);
        };
      }
      const value = Reflect.get(target, key, target) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  }) as Map<unknown, unknown>;
  let walked = 0;
  let walkedBefore = 0;
  for (let pos = 0; pos <= pmDoc.content.size; pos += step) {
    lookups = 0;
    const expected = convert(pos, body, counting);
    walkedBefore += lookups;
    lookups = 0;
    const actual = convert(pos, body, counting, pmDoc);
    walked += lookups;
    expect(Y.compareRelativePositions(actual, expected), `position ${pos}`).toBe(true);
  }
  return { walked, walkedBefore };
}
