/**
 * Build-time patches to @tiptap/y-tiptap 3.0.9, the Yjs ↔ ProseMirror binding, for long plans
 * (docs/decisions.md, "y-tiptap patches"; figures in docs/benchmarks.md). Each patch replaces
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
 * keystroke (undo plugin, sync plugin before and after, caret plugin). The Yjs blocks before
 * it are still stepped through to reach the one at that index (a Yjs XML fragment has no index
 * markers), but only counted. Used only when
 * the binding is in step with that document: as many blocks on both sides, and the Yjs block at
 * that index maps to the very node at that index. Otherwise (and at block boundaries, the ends,
 * nested types) y-tiptap's own walk runs from the start, as before.
 */
const TOP_LEVEL_SKIP = lines(
  '',
  '// Minga (client/build/y-tiptap-patches.ts): start the walk at the top-level block holding pos.',
  'function __mingaTopLevelSkip (pos, type, mapping, pmDoc) {',
  '  if (pmDoc == null || type._item !== null || pos <= 0 || pos >= pmDoc.content.size) return null',
  '  if (type._length !== pmDoc.childCount) return null',
  '  const found = pmDoc.content.findIndex(pos)',
  '  if (found.index >= pmDoc.childCount || found.offset >= pos) return null',
  '  let item = type._start',
  '  for (let i = 0; item !== null; item = item.right) {',
  '    if (item.deleted) continue',
  '    if (i === found.index) break',
  '    i++',
  '  }',
  '  const n = item === null ? undefined : item.content.type',
  "  if (n == null || typeof n.nodeName !== 'string' || mapping.get(n) !== pmDoc.child(found.index)) return null",
  '  return { n, pos: pos - found.offset }',
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
    name: 'the caret sent to others is converted with the view’s document (anchor)',
    find: lines('            selection.anchor,', '            ystate.type,', '            ystate.binding.mapping', '          );'),
    replace: lines('            selection.anchor,', '            ystate.type,', '            ystate.binding.mapping,', '            editorView.state.doc', '          );'),
  },
  {
    name: 'the caret sent to others is converted with the view’s document (head)',
    find: lines('            selection.head,', '            ystate.type,', '            ystate.binding.mapping', '          );'),
    replace: lines('            selection.head,', '            ystate.type,', '            ystate.binding.mapping,', '            editorView.state.doc', '          );'),
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
