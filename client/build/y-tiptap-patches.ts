/**
 * Build-time patches to @tiptap/y-tiptap 3.0.9, the Yjs ↔ ProseMirror binding, for long plans
 * and the editor's block groups, and one for table cell selections (docs/decisions.md; figures
 * in docs/benchmarks.md). Each patch replaces
 * one exact passage, which must be found exactly once: when y-tiptap changes, the build fails
 * and someone looks again, rather than a patch silently stopping to apply.
 */
import type { Plugin } from 'vite';

/** The y-tiptap builds a bundler or vitest can resolve: ESM (`import`) and CommonJS (`require`). */
export const Y_TIPTAP_MODULE = /[\\/]node_modules[\\/]@tiptap[\\/]y-tiptap[\\/]dist[\\/]y-tiptap\.c?js$/;

/** One text replacement in y-tiptap's dist files. */
export interface TextPatch {
  name: string;
  find: string;
  replace: string;
}

const lines = (...text: string[]): string => text.join('\n');

/**
 * Where a ProseMirror position falls among the top-level blocks, found in the ProseMirror
 * document (an array of sizes) instead of adding up the size of every Yjs block before it, each
 * looked up in a Map — the walk y-tiptap does for every selection it converts, eight times per
 * keystroke (undo plugin, sync plugin before and after, caret plugin). The Yjs block at that
 * index comes from a list of the fragment's live blocks kept between changes to the list itself
 * (a Yjs XML fragment has no index markers, and a long plan's list holds thousands of deleted
 * blocks to step over): built on first use, dropped by an observer of the fragment when a block
 * is added or removed, and not used inside a transaction that changed the list (its observer has
 * not run yet). Typing inside blocks leaves it as it is. A stale list cannot give a wrong answer
 * (the block found must map to the very node at that index, below), only a slower one. Used only when
 * the binding is in step with that document: as many blocks on both sides, and the Yjs block at
 * that index maps to the very node at that index. Otherwise (and at block boundaries, the ends,
 * nested types) y-tiptap's own walk runs from the start, as before. The same list, as types,
 * gives the fragment's blocks to the diff of local changes and the rebuild after remote ones
 * (`__mingaLiveTypes`, patches at the end); there a stale list would give a wrong plan, so it is
 * also checked against the fragment's length (tests/y-tiptap-binding.test.ts).
 */
const TOP_LEVEL_SKIP = lines(
  '',
  '// Minga (client/build/y-tiptap-patches.ts): the live blocks of a fragment, kept until its list changes.',
  'const __mingaBlockLists = new WeakMap()',
  'const __mingaObservedFragments = new WeakSet()',
  'function __mingaLiveBlocks (type) {',
  '  const transaction = type.doc === null ? null : type.doc._transaction',
  '  const fresh = type.doc === null || (transaction !== null && transaction.changed.has(type))',
  '  let items = fresh ? undefined : __mingaBlockLists.get(type)',
  '  if (items !== undefined) return items',
  '  items = []',
  '  for (let item = type._start; item !== null; item = item.right) {',
  '    if (!item.deleted) items.push(item)',
  '  }',
  '  if (fresh) return items',
  '  if (!__mingaObservedFragments.has(type)) {',
  '    __mingaObservedFragments.add(type)',
  '    type.observe(() => __mingaBlockLists.delete(type))',
  '  }',
  '  __mingaBlockLists.set(type, items)',
  '  return items',
  '}',
  '',
  '// Minga (client/build/y-tiptap-patches.ts): what type.toArray() gives for a fragment, from that list (read-only).',
  'const __mingaTypeLists = new WeakMap()',
  'function __mingaLiveTypes (type) {',
  '  const items = __mingaLiveBlocks(type)',
  '  // A list out of step with the fragment (only an observer run out of order could leave one) is not used.',
  '  if (items.length !== type._length) return type.toArray()',
  '  let types = __mingaTypeLists.get(items)',
  '  if (types === undefined) {',
  '    types = items.map((item) => item.content.type)',
  '    __mingaTypeLists.set(items, types)',
  '  }',
  '  return types',
  '}',
  '',
  '// Minga (client/build/y-tiptap-patches.ts): start the walk at the top-level block holding pos.',
  'function __mingaTopLevelSkip (pos, type, mapping, pmDoc) {',
  '  if (pmDoc == null || type._item !== null || pos <= 0 || pos >= pmDoc.content.size) return null',
  '  if (type._length !== pmDoc.childCount) return null',
  '  const found = pmDoc.content.findIndex(pos)',
  '  if (found.index >= pmDoc.childCount || found.offset >= pos) return null',
  '  const item = __mingaLiveBlocks(type)[found.index]',
  '  const n = item === undefined ? undefined : item.content.type',
  "  if (n == null || typeof n.nodeName !== 'string' || mapping.get(n) !== pmDoc.child(found.index)) return null",
  '  return { n, pos: pos - found.offset }',
  '}',
  '',
);

/**
 * Writing a keystroke to Yjs, y-tiptap first looks for moved blocks among all the children of the
 * node it updates (`reconcileMappedChildren`: a Map of every ProseMirror child, a candidate per
 * mapped Yjs child, a longest increasing subsequence), ~0.4 ms per key on the plan's 1,174
 * blocks, and finds none when typing. It cannot find one when the children line up: as many on
 * both sides, each Yjs child mapped to the very node at its index but at most one, that one
 * mapped to no node of the list, and no node twice in the list (the candidates are then exactly
 * the pairs at equal indices, and it returns false). Checked in one pass; otherwise it runs.
 */
const NO_MOVES = lines(
  '',
  '// Minga (client/build/y-tiptap-patches.ts): children that line up have no moved block to reconcile.',
  'function __mingaNoMoves (yChildren, pChildren, mapping) {',
  '  if (yChildren.length !== pChildren.length) return false',
  '  let mismatch = -1',
  '  for (let i = 0; i < yChildren.length; i++) {',
  '    if (mapping.get(yChildren[i]) === pChildren[i]) continue',
  '    if (mismatch !== -1) return false',
  '    mismatch = i',
  '  }',
  '  if (new Set(pChildren).size !== pChildren.length) return false',
  '  if (mismatch === -1) return true',
  '  const mapped = mapping.get(yChildren[mismatch])',
  '  return mapped === undefined || !pChildren.includes(mapped)',
  '}',
  '',
);

/**
 * What a remote change replaced among the plan's top-level blocks. y-tiptap rebuilds the list of
 * top-level nodes and replaced the whole document with it: one step spanning the plan, so every
 * plugin that looks at what changed (autolink, comment and suggestion decorations, table fixing)
 * looked at all of it, on every remote keystroke. The nodes at both ends that are the very same
 * objects as before are cut off the list in place; what is left replaces the old blocks between
 * `from` and `to`, the same document in a step the size of the change.
 */
const TRIM_UNCHANGED = lines(
  '',
  '// Minga (client/build/y-tiptap-patches.ts): keep the unchanged blocks at both ends out of the step.',
  'function __mingaTrimUnchanged (oldDoc, blocks) {',
  '  const oldCount = oldDoc.childCount',
  '  let start = 0',
  '  let from = 0',
  '  while (start < oldCount && start < blocks.length && oldDoc.child(start) === blocks[start]) {',
  '    from += blocks[start].nodeSize',
  '    start++',
  '  }',
  '  let oldEnd = oldCount',
  '  let newEnd = blocks.length',
  '  let to = oldDoc.content.size',
  '  while (oldEnd > start && newEnd > start && oldDoc.child(oldEnd - 1) === blocks[newEnd - 1]) {',
  '    oldEnd--',
  '    newEnd--',
  '    to -= blocks[newEnd].nodeSize',
  '  }',
  '  blocks.splice(newEnd, blocks.length - newEnd)',
  '  blocks.splice(0, start)',
  '  return { from, to, oldBlocks: oldEnd - start }',
  '}',
  '',
  '// Minga: whether a remote change cannot move the local caret on screen, so that scrolling it into',
  '// view (a forced layout, and another to measure the caret) can be skipped: the change is after',
  '// the caret, or it only rewrote blocks the browser is not rendering (content-visibility keeps',
  '// their size), as a plugin with the view prop `unrenderedBlocksBetween` knows.',
  'function __mingaCaretStays (view, changed, newBlocks) {',
  '  if (changed.from > view.state.selection.to) return true',
  '  if (changed.oldBlocks !== newBlocks || changed.from === changed.to) return false',
  '  return view.someProp(\'unrenderedBlocksBetween\', (f) => f(view, changed.from, changed.to)) === true',
  '}',
  '',
);

/** The patches, in the order they are applied. */
export const Y_TIPTAP_PATCHES: TextPatch[] = [
  {
    // With mapping.clear(), every remote change rebuilds every ProseMirror node of the plan,
    // and every plugin that diffs documents walks all of them. Upstream y-prosemirror keeps it.
    name: 'keep the mapping on remote changes',
    find: lines(
      '      transaction.changedParentTypes.forEach(delType);',
      '      // Rebuild the full Y↔PM mapping so relative cursor positions resolve against',
      '      // current node sizes after structural changes (e.g. drag-and-drop block moves).',
      '      this.mapping.clear();',
      '',
    ),
    replace: lines(
      '      transaction.changedParentTypes.forEach(delType);',
      '      // Minga (client/build/y-tiptap-patches.ts): the mapping of types this transaction did not',
      '      // touch is kept, so unchanged blocks keep their ProseMirror nodes (docs/decisions.md).',
      '      ;',
      '',
    ),
  },
  {
    name: 'absolute → relative positions start at the block holding them',
    find: lines(
      'const absolutePositionToRelativePosition = (pos, type, mapping) => {',
      '  if (pos === 0) {',
    ),
    replace: lines(
      TOP_LEVEL_SKIP,
      'const absolutePositionToRelativePosition = (pos, type, mapping, pmDoc) => {',
      '  if (pos === 0) {',
    ),
  },
  {
    name: '… and begin from the skipped-to block',
    find: lines(
      '  let n = type._first === null ? null : /** @type {Y.ContentType} */ (type._first.content).type;',
      '  while (n !== null && type !== n) {',
    ),
    replace: lines(
      '  let n = type._first === null ? null : /** @type {Y.ContentType} */ (type._first.content).type;',
      '  const skipped = __mingaTopLevelSkip(pos, type, mapping, pmDoc);',
      '  if (skipped !== null) {',
      '    n = skipped.n;',
      '    pos = skipped.pos;',
      '  }',
      '  while (n !== null && type !== n) {',
    ),
  },
  {
    name: 'the selection of a state is converted with that state’s document (anchor)',
    find: lines('      state.selection.anchor,', '      pmbinding.type,', '      pmbinding.mapping', '    ),'),
    replace: lines('      state.selection.anchor,', '      pmbinding.type,', '      pmbinding.mapping,', '      state.doc', '    ),'),
  },
  {
    name: 'the selection of a state is converted with that state’s document (head)',
    find: lines('      state.selection.head,', '      pmbinding.type,', '      pmbinding.mapping', '    ),'),
    replace: lines('      state.selection.head,', '      pmbinding.type,', '      pmbinding.mapping,', '      state.doc', '    ),'),
  },
  {
    // With the editor's blocks in groups (blockGroups.ts), its positions cross to the flat ones first.
    name: 'the caret sent to others is converted with the view’s document (anchor)',
    find: lines('            selection.anchor,', '            ystate.type,', '            ystate.binding.mapping', '          );'),
    replace: lines(
      '            globalThis.__mingaBlockGroups ? globalThis.__mingaBlockGroups.toFlat(editorView.state.doc, selection.anchor) : selection.anchor,',
      '            ystate.type,',
      '            ystate.binding.mapping,',
      '            globalThis.__mingaBlockGroups ? globalThis.__mingaBlockGroups.flatDoc(editorView.state.doc) : editorView.state.doc',
      '          );',
    ),
  },
  {
    name: 'the caret sent to others is converted with the view’s document (head)',
    find: lines('            selection.head,', '            ystate.type,', '            ystate.binding.mapping', '          );'),
    replace: lines(
      '            globalThis.__mingaBlockGroups ? globalThis.__mingaBlockGroups.toFlat(editorView.state.doc, selection.head) : selection.head,',
      '            ystate.type,',
      '            ystate.binding.mapping,',
      '            globalThis.__mingaBlockGroups ? globalThis.__mingaBlockGroups.flatDoc(editorView.state.doc) : editorView.state.doc',
      '          );',
    ),
  },
  {
    // A view update whose document is the very one already written to Yjs has nothing to
    // write: no diff of every block, no Yjs transaction (and its two selection conversions).
    // Caret and awareness updates are such transactions, about one per keystroke. Kept: the
    // first write of initial content, and the undo capture stop of addToHistory: false.
    name: 'no write to Yjs when the document did not change',
    find: lines('        update: () => {', '          const pluginState = plugin.getState(view.state);'),
    replace: lines(
      '        update: (_view, prevState) => {',
      '          const pluginState = plugin.getState(view.state);',
      '          // Minga (client/build/y-tiptap-patches.ts): nothing to write when the document is unchanged.',
      '          if (initialContentChanged && prevState !== undefined && prevState.doc === view.state.doc && pluginState.addToHistory !== false) return',
    ),
  },
  {
    name: 'helpers for remote changes',
    find: '\nclass ProsemirrorBinding {',
    replace: lines(TRIM_UNCHANGED, NO_MOVES, 'class ProsemirrorBinding {'),
  },
  {
    // A remote change becomes a step over the blocks it changed, not over the whole plan.
    name: 'a remote change replaces only the blocks it changed',
    find: lines(
      '      const oldDoc = this.prosemirrorView.state.doc;',
      '      // @ts-ignore',
      '      let tr = this._tr.replace(',
      '        0,',
      '        this.prosemirrorView.state.doc.content.size,',
    ),
    replace: lines(
      '      const oldDoc = this.prosemirrorView.state.doc;',
      '      // Minga (client/build/y-tiptap-patches.ts): only the changed blocks, between from and to.',
      '      const changed = __mingaTrimUnchanged(oldDoc, fragmentContent);',
      '      // @ts-ignore',
      '      let tr = this._tr.replace(',
      '        changed.from,',
      '        changed.to,',
    ),
  },
  {
    // Someone else typed it: their editor already ran autolink (a remote change that looked like
    // typing would otherwise add a link mark here and write it back to the plan as this
    // person's change). And the caret is scrolled into view only when the change can move it.
    name: 'no autolink and no scroll for remote changes that cannot move the caret',
    find: lines(
      '      if (',
      '        this.beforeTransactionSelection !== null && this._isLocalCursorInView()',
      '      ) {',
    ),
    replace: lines(
      "      tr.setMeta('preventAutolink', true);",
      '      if (',
      '        this.beforeTransactionSelection !== null &&',
      '        !__mingaCaretStays(this.prosemirrorView, changed, fragmentContent.length) &&',
      '        this._isLocalCursorInView()',
      '      ) {',
    ),
  },
  {
    // y-tiptap republished the caret to everyone after every remote change, even when its
    // relative position was the same: with N people typing, each keystroke made the other N-1
    // browsers each send an awareness message to all N (an N² storm; yjs/yjs#732), and others'
    // awareness ignores an unchanged state anyway. The caret is sent when it changed. And it is
    // worked out and sent after the frame that shows the keystroke (two conversions to relative
    // positions and a websocket send, ~0.4 ms), once per frame however many transactions. After
    // remote changes alone, or transactions that changed neither the document nor the selection
    // (others' carets being drawn), it runs in the next task instead: asking for a frame would
    // make Chromium run one that draws nothing when the change is off-screen (client/src/lib/idle.ts).
    name: 'the caret is published when it changed, after the frame, not after every remote change',
    find: lines(
      '      const onFocusChange = () => updateCursorInfo(view);',
      "      awareness.on('change', awarenessListener);",
      "      view.dom.addEventListener('focusin', onFocusChange);",
      "      view.dom.addEventListener('focusout', onFocusChange);",
      '      return {',
      '        update: (editorView, prevState) => {',
      '          const ystate = ySyncPluginKey.getState(editorView.state);',
      '          const forceAwarenessUpdate = !!(',
      '            ystate?.isChangeOrigin &&',
      '            prevState?.doc &&',
      '            !prevState.doc.eq(editorView.state.doc)',
      '          );',
      '          updateCursorInfo(editorView, { force: forceAwarenessUpdate });',
      '        },',
      '        destroy: () => {',
    ),
    replace: lines(
      '      const onFocusChange = () => updateCursorInfo(view);',
      "      awareness.on('change', awarenessListener);",
      "      view.dom.addEventListener('focusin', onFocusChange);",
      "      view.dom.addEventListener('focusout', onFocusChange);",
      '      // Minga (client/build/y-tiptap-patches.ts): one caret update after the next frame, or',
      '      // after this task when only remote changes are pending (they ask for no frame).',
      "      let caretScheduled = null; // 'frame' | 'task' | null",
      '      let caretTask;',
      '      let caretDestroyed = false;',
      '      const afterFrame = (callback) => typeof requestAnimationFrame === \'function\'',
      '        ? requestAnimationFrame(() => setTimeout(callback, 0))',
      '        : setTimeout(callback, 0);',
      '      const publishCaret = () => {',
      '        caretScheduled = null;',
      '        if (!caretDestroyed) updateCursorInfo(view);',
      '      };',
      '      return {',
      '        update: (editorView, prevState) => {',
      '          // Nothing typed, undone or moved here (a remote change, someone else\'s caret drawn): no frame to wait for.',
      '          const sync = ySyncPluginKey.getState(editorView.state);',
      '          const remote = !!(sync?.isChangeOrigin && !sync.isUndoRedoOperation) ||',
      '            (prevState.doc === editorView.state.doc && prevState.selection.eq(editorView.state.selection));',
      "          if (caretScheduled === 'frame' || (caretScheduled === 'task' && remote)) return;",
      "          if (caretScheduled === 'task') clearTimeout(caretTask);",
      "          caretScheduled = remote ? 'task' : 'frame';",
      '          if (remote) caretTask = setTimeout(publishCaret, 0);',
      '          else afterFrame(publishCaret);',
      '        },',
      '        destroy: () => {',
      '          caretDestroyed = true;',
    ),
  },
  {
    name: 'no search for moved blocks when the children line up',
    find: '  if (reconcileMappedChildren(y, yDomFragment, pChildren, yChildren, meta)) {',
    replace: '  if (!__mingaNoMoves(yChildren, pChildren, meta.mapping) && reconcileMappedChildren(y, yDomFragment, pChildren, yChildren, meta)) {',
  },
  // The editor holds the plan's blocks in groups; y-tiptap sees a flat editor (blockGroups.ts).
  {
    name: 'groups: the binding sees a flat view of the editor',
    find: lines('    if (this.prosemirrorView != null) this.destroy();', '    this.prosemirrorView = prosemirrorView;'),
    replace: lines('    if (this.prosemirrorView != null) this.destroy();', '    this.prosemirrorView = globalThis.__mingaBlockGroups ? globalThis.__mingaBlockGroups.flatView(prosemirrorView) : prosemirrorView;'),
  },
  {
    name: 'groups: the document written to Yjs is flat',
    find: '  _prosemirrorChanged (doc) {',
    replace: lines('  _prosemirrorChanged (doc) {', '    if (globalThis.__mingaBlockGroups) doc = globalThis.__mingaBlockGroups.flatDoc(doc);'),
  },
  {
    name: 'groups: the undo plugin keeps flat selections',
    find: '          prevSel: getRelativeSelection(binding, oldState),',
    replace: '          prevSel: getRelativeSelection(binding, globalThis.__mingaBlockGroups ? globalThis.__mingaBlockGroups.flatState(oldState) : oldState),',
  },
  {
    name: 'groups: others\' carets are drawn at grouped positions',
    find: lines('      if (anchor !== null && head !== null) {', '        const maxsize = '),
    replace: lines(
      '      if (anchor !== null && head !== null && globalThis.__mingaBlockGroups) {',
      '        anchor = globalThis.__mingaBlockGroups.toGrouped(state.doc, anchor);',
      '        head = globalThis.__mingaBlockGroups.toGrouped(state.doc, head);',
      '      }',
      '      if (anchor !== null && head !== null) {',
      '        const maxsize = ',
    ),
  },
  {
    // The selection y-tiptap keeps as relative positions at the start of every Yjs transaction,
    // to put the caret back after a remote change, is worked out again at the end of the
    // binding's own write (_prosemirrorChanged) before anything reads it. At the start of that
    // write it is worse than useless: the editor already holds the new text and Yjs the old, the
    // typed-in block does not map to its node any more, and the conversion walked every block
    // before the caret (~0.1–0.3 ms per key in a 50-page plan, growing with the plan). So the
    // binding's own writes skip it.
    name: 'no relative selection at the start of the binding\'s own write',
    find: lines('    this.beforeAllTransactions = () => {', '      if (this.beforeTransactionSelection === null && this.prosemirrorView != null) {'),
    replace: lines(
      '    this.beforeAllTransactions = () => {',
      '      // Minga (client/build/y-tiptap-patches.ts): recomputed at the end of this binding\'s own write.',
      '      if (this.__mingaOwnWrite) return',
      '      if (this.beforeTransactionSelection === null && this.prosemirrorView != null) {',
    ),
  },
  {
    name: 'the binding\'s own write is marked',
    find: lines(
      '              binding.mux(() => {',
      '                /** @type {Y.Doc} */ (pluginState.doc).transact((tr) => {',
      "                  tr.meta.set('addToHistory', pluginState.addToHistory);",
      '                  binding._prosemirrorChanged(view.state.doc);',
      '                }, ySyncPluginKey);',
      '              });',
    ),
    replace: lines(
      '              binding.mux(() => {',
      '                binding.__mingaOwnWrite = true;',
      '                try {',
      '                /** @type {Y.Doc} */ (pluginState.doc).transact((tr) => {',
      "                  tr.meta.set('addToHistory', pluginState.addToHistory);",
      '                  binding._prosemirrorChanged(view.state.doc);',
      '                }, ySyncPluginKey);',
      '                } finally {',
      '                  binding.__mingaOwnWrite = false;',
      '                }',
      '              });',
    ),
  },
  {
    // The plan's list of blocks as an array, for the diff of every local change and the rebuild
    // of every remote one: Yjs's toArray() steps over every block ever deleted from the plan
    // (thousands in a long-edited plan) and makes an array per block on the way (~0.2 ms per
    // keystroke in a 50-page plan). The top-level fragment's live blocks come from the list the
    // position skip keeps (TOP_LEVEL_SKIP, rebuilt when the list changes); nested types, a few
    // children each, keep toArray().
    name: 'the plan\'s blocks from the kept list, when writing a local change',
    find: '  const yChildren = yDomFragment.toArray();',
    replace: lines(
      '  // Minga (client/build/y-tiptap-patches.ts): the top-level list from the kept list of live blocks.',
      '  const yChildren = yDomFragment._item === null ? __mingaLiveTypes(yDomFragment) : yDomFragment.toArray();',
    ),
  },
  {
    name: '… and when reading a remote one',
    find: lines('      const fragmentContent = this.type.toArray().map((t) =>', '        createNodeIfNotExists('),
    replace: lines(
      '      // Minga (client/build/y-tiptap-patches.ts): the blocks from the kept list of live blocks.',
      '      const fragmentContent = __mingaLiveTypes(this.type).map((t) =>',
      '        createNodeIfNotExists(',
    ),
  },
  {
    // A table cell selection (type `cell`) was kept by its anchor and head, which for a cell
    // selection are the ends of its first cell's content, and put back after a remote change
    // as a text selection there: the selected cells were lost and the next key acted on that
    // text. It is kept by the positions of its two corner cells instead, and put back as a
    // cell selection by the editor's helper (blockGroups.ts, cellSelection) when both are still
    // cells of one table.
    name: 'a cell selection is kept by its corner cells',
    find: lines('const getRelativeSelection = (pmbinding, state) => {', '  const type = /** @type {any} */ (state.selection).jsonID;'),
    replace: lines(
      'const getRelativeSelection = (pmbinding, state) => {',
      '  const type = /** @type {any} */ (state.selection).jsonID;',
      '  // Minga (client/build/y-tiptap-patches.ts): a cell selection by its corner cells.',
      "  if (type === 'cell' && state.selection.$anchorCell && state.selection.$headCell) {",
      '    state = { doc: state.doc, selection: { anchor: state.selection.$anchorCell.pos, head: state.selection.$headCell.pos } };',
      '  }',
    ),
  },
  {
    name: '… and put back as a cell selection after a remote change',
    find: lines('      if (anchor !== null && head !== null) {', '        tr.setSelection('),
    replace: lines(
      '      if (anchor !== null && head !== null) {',
      '        // Minga (client/build/y-tiptap-patches.ts): cells stay selected as cells.',
      "        const cells = relSel.type === 'cell' && globalThis.__mingaBlockGroups ? globalThis.__mingaBlockGroups.cellSelection(tr.doc, anchor, head) : null;",
      '        if (cells !== null) tr.setSelection(cells);',
      '        else tr.setSelection(',
    ),
  },
];

/** Apply every patch to one file's text; throws naming the first patch whose text is not there exactly once. */
export function applyYTiptapPatches(code: string, file: string): string {
  let out = code;
  for (const patch of Y_TIPTAP_PATCHES) {
    const found = out.split(patch.find).length - 1;
    if (found !== 1) {
      throw new Error(
        `patchYTiptap: "${patch.name}": expected its text of y-tiptap 3.0.9 exactly once in ${file}, found it ${found} times. ` +
          'y-tiptap changed: check whether the patch is still needed, then update or remove it in client/build/y-tiptap-patches.ts.',
      );
    }
    out = out.replace(patch.find, () => patch.replace);
  }
  return out;
}

/**
 * The Vite plugin. Fails the build when a patch does not apply, and when a client build never
 * saw y-tiptap (it moved: the patches would silently stop applying).
 */
export function patchYTiptap(): Plugin {
  let building = false;
  let patched = 0;
  return {
    name: 'minga:patch-y-tiptap',
    enforce: 'pre',
    configResolved(config) {
      building = config.command === 'build' && !process.env.VITEST;
    },
    transform(code, id) {
      const file = id.split('?')[0];
      if (!Y_TIPTAP_MODULE.test(file)) return null;
      let out: string;
      try {
        out = applyYTiptapPatches(code, file);
      } catch (error) {
        this.error((error as Error).message);
      }
      patched++;
      return { code: out, map: null };
    },
    buildEnd(error) {
      if (building && !error && patched === 0) {
        this.error('patchYTiptap: the client build never loaded @tiptap/y-tiptap/dist/y-tiptap.js, so it was not patched. Update client/build/y-tiptap-patches.ts.');
      }
    },
  };
}
