/** Block groups (client/src/features/editor/blockGroups.ts): positions and regrouping between the grouped editor document and the flat one y-tiptap sees. */
import { describe, expect, it } from 'vitest';
import { getSchema } from '@tiptap/core';
import { EditorState, TextSelection } from '@tiptap/pm/state';
import { planExtensions } from '../shared/schema.ts';
import { GroupedDocument, PlanChunk, flatDoc, flatState, groupTransaction, toFlat, toGrouped } from '../client/src/features/editor/blockGroups.ts';

const schema = getSchema([...planExtensions({ document: false }), GroupedDocument, PlanChunk]);
const para = (text: string) => schema.nodes.paragraph.create(null, text ? schema.text(text) : null);

function groupedDoc(sizes: number[]) {
  let n = 0;
  return schema.nodes.doc.create(null, sizes.map((size) => schema.nodes.planChunk.create(null, Array.from({ length: size }, () => para(`bloque ${n++}`)))));
}

describe('block groups', () => {
  it('every position inside a block maps to the flat document and back, to the same character', () => {
    const doc = groupedDoc([3, 1, 4]);
    const flat = flatDoc(doc);
    expect(flat.childCount).toBe(8);
    doc.descendants((node, pos) => {
      if (!node.isTextblock) return true;
      for (let offset = 0; offset <= node.content.size; offset++) {
        const at = pos + 1 + offset;
        const f = toFlat(doc, at);
        expect(flat.resolve(f).parent).toBe(node);
        expect(flat.resolve(f).parentOffset).toBe(offset);
        expect(toGrouped(doc, f)).toBe(at);
      }
      return false;
    });
  });

  it('a flat change to one block replaces only its group; the other groups keep their nodes', () => {
    const doc = groupedDoc([3, 3, 3]);
    const state = EditorState.create({ schema, doc });
    const flat = flatState(state);
    const target = flat.doc.child(4); // the second group's middle block
    let start = 0;
    for (let i = 0; i < 4; i++) start += flat.doc.child(i).nodeSize;
    const flatTr = flat.tr.replaceWith(start, start + target.nodeSize, para('cambiado'));
    const tr = groupTransaction(state, flatTr);
    expect(tr.doc.childCount).toBe(3);
    expect(tr.doc.child(0)).toBe(doc.child(0));
    expect(tr.doc.child(2)).toBe(doc.child(2));
    expect(tr.doc.child(1).child(1).textContent).toBe('cambiado');
    expect(flatDoc(tr.doc).textBetween(0, flatDoc(tr.doc).content.size, '|')).toBe(flatTr.doc.textBetween(0, flatTr.doc.content.size, '|'));
  });

  it('a change to the first block of a group keeps the group where it was, in a step over that block', () => {
    const doc = groupedDoc([2, 3, 3]);
    const state = EditorState.create({ schema, doc });
    const flat = flatState(state);
    const start = flat.doc.child(0).nodeSize + flat.doc.child(1).nodeSize; // the second group's first block
    const tr = groupTransaction(state, flat.tr.replaceWith(start, start + flat.doc.child(2).nodeSize, para('primero cambiado')));
    expect(tr.doc.childCount).toBe(3);
    expect(tr.doc.child(0)).toBe(doc.child(0));
    expect(tr.doc.child(2)).toBe(doc.child(2));
    expect(tr.doc.child(1).childCount).toBe(3);
    expect(tr.doc.child(1).child(0).textContent).toBe('primero cambiado');
    expect(tr.steps).toHaveLength(1);
    const step = tr.steps[0] as unknown as { from: number; to: number };
    expect(step.to - step.from).toBe(doc.child(1).child(0).nodeSize);
  });

  it('a selection set on the flat document lands on the same characters in the grouped one', () => {
    const doc = groupedDoc([2, 2]);
    const state = EditorState.create({ schema, doc });
    const flat = flatState(state);
    const third = flat.doc.child(0).nodeSize + flat.doc.child(1).nodeSize + 1; // start of block 2's text
    const tr = groupTransaction(state, flat.tr.setSelection(TextSelection.create(flat.doc, third + 2)));
    expect(tr.selection.$head.parent.textContent).toBe('bloque 2');
    expect(tr.selection.$head.parentOffset).toBe(2);
  });
});
