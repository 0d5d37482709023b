/**
 * @vitest-environment happy-dom
 *
 * The patched y-tiptap binding (client/build/y-tiptap-patches.ts) in a real ProseMirror view:
 * its own writes to Yjs convert no selection while the editor and Yjs disagree ("no relative
 * selection at the start of the binding's own write"), and remote changes that add, remove and
 * move blocks give the editor the plan Yjs holds, read from the kept list of live blocks
 * ("… and when reading a remote one").
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { EditorState, TextSelection } from '@tiptap/pm/state';
import { EditorView } from '@tiptap/pm/view';
// vitest inlines y-tiptap through the same plugin (vite.config.ts): this is the patched build.
import { initProseMirrorDoc, yXmlFragmentToProseMirrorRootNode, ySyncPlugin, ySyncPluginKey } from '@tiptap/y-tiptap';
import { encodePlanContent } from '../shared/plan-doc.ts';
import { YName } from '../shared/protocol.ts';
import { planSchema } from '../shared/schema.ts';
import { templateContent } from '../shared/template.ts';

/** The sample plan in a Y.Doc, bound to a ProseMirror view by the patched sync plugin. */
function sampleInView(): { doc: Y.Doc; body: Y.XmlFragment; view: EditorView } {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, encodePlanContent(templateContent('sovio', '')));
    const body = doc.getXmlFragment(YName.body);
    const { doc: pmDoc, mapping } = initProseMirrorDoc(body, planSchema);
    const view = new EditorView(document.createElement('div'), { state: EditorState.create({ doc: pmDoc, schema: planSchema, plugins: [ySyncPlugin(body, { mapping })] }) });
  return { doc, body, view };
}

describe('the patched y-tiptap binding', () => {
  it('convert no selection at their start, and a remote change after them still keeps the caret in its text', () => {
    const { doc, body, view } = sampleInView();
    const binding = ySyncPluginKey.getState(view.state).binding as { beforeTransactionSelection: unknown };
    // What the binding holds when each Yjs transaction begins (its beforeAllTransactions listener ran first).
    const atStart: unknown[] = [];
    doc.on('beforeTransaction', () => atStart.push(binding.beforeTransactionSelection));

    // The caret in the middle of the plan, then three typed characters.
    let caret = 0;
    view.state.doc.descendants((node, pos) => {
      if (caret === 0 && node.isTextblock && node.textContent.length > 10 && pos > view.state.doc.content.size / 2) caret = pos + 1 + 5;
      return caret === 0;
    });
    view.dispatch(view.state.tr.setSelection(TextSelection.create(view.state.doc, caret)));
    atStart.length = 0;
    for (const ch of 'abc') view.dispatch(view.state.tr.insertText(ch));
    expect(atStart).toHaveLength(3);
    expect(atStart).toEqual([null, null, null]);
    expect(body.toString()).toContain('abc');

    // Someone else types at the plan's start: the caret stays after "abc".
    const other = new Y.Doc();
    Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
    const first = other.getXmlFragment(YName.body).get(0) as Y.XmlElement;
    (first.get(0) as Y.XmlText).insert(0, 'XYZ ');
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(other, Y.encodeStateVector(doc)));
    expect(atStart.at(-1)).not.toBeNull();
    const { $head } = view.state.selection;
    expect($head.parent.textContent.slice(0, $head.parentOffset).endsWith('abc')).toBe(true);
    view.destroy();
  });

  it('remote changes that add, remove and move blocks, between local ones, leave the editor with the plan Yjs holds', () => {
    const { doc, body, view } = sampleInView();
    const other = new Y.Doc();
    Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
    const otherBody = other.getXmlFragment(YName.body);
    const sync = () => Y.applyUpdate(doc, Y.encodeStateAsUpdate(other, Y.encodeStateVector(doc)));
    const back = () => Y.applyUpdate(other, Y.encodeStateAsUpdate(doc, Y.encodeStateVector(other)));
    const paragraph = (text: string) => {
      const element = new Y.XmlElement('paragraph');
      element.insert(0, [new Y.XmlText(text)]);
      return element;
    };
    const inStep = () => expect(view.state.doc.toJSON()).toEqual(yXmlFragmentToProseMirrorRootNode(body, planSchema).toJSON());
    for (let round = 0; round < 6; round++) {
      // Local typing (the list of blocks is read and kept), then a remote change to that list.
      view.dispatch(view.state.tr.insertText(`local ${round} `, 1 + round));
      back();
      if (round % 3 === 0) otherBody.insert(2 + round, [paragraph(`remote block ${round}`)]);
      if (round % 3 === 1) otherBody.delete(3 + round, 1);
      if (round % 3 === 2) {
        // A move: the block removed and a copy of it inserted further on, in one transaction.
        other.transact(() => {
          const moved = otherBody.get(1).clone() as Y.XmlElement;
          otherBody.delete(1, 1);
          otherBody.insert(5, [moved]);
        });
      }
      sync();
      inStep();
      // And a remote keystroke inside a block (the list unchanged).
      ((otherBody.get(4) as Y.XmlElement).get(0) as Y.XmlText).insert(0, 'x');
      sync();
      inStep();
    }
    view.destroy();
  });
});
