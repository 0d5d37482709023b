/// <reference types="vitest/config" />
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('.', import.meta.url));
const backend = 'http://127.0.0.1:3000';

/** The y-tiptap builds a bundler or vitest can resolve: ESM (`import`) and CommonJS (`require`). */
const Y_TIPTAP_MODULE = /[\\/]node_modules[\\/]@tiptap[\\/]y-tiptap[\\/]dist[\\/]y-tiptap\.c?js$/;
/** The lines of `ProsemirrorBinding._typeChanged` in @tiptap/y-tiptap 3.0.9 that drop the whole Y↔ProseMirror mapping. */
const Y_TIPTAP_MAPPING_CLEAR = [
  '      transaction.changedParentTypes.forEach(delType);',
  '      // Rebuild the full Y↔PM mapping so relative cursor positions resolve against',
  '      // current node sizes after structural changes (e.g. drag-and-drop block moves).',
  '      this.mapping.clear();',
  '',
].join('\n');
const Y_TIPTAP_MAPPING_KEPT = [
  '      transaction.changedParentTypes.forEach(delType);',
  '      // Minga (vite.config.ts, keepYTiptapMapping): the mapping of types this transaction did not',
  '      // touch is kept, so unchanged blocks keep their ProseMirror nodes (docs/decisions.md).',
  '      ;',
  '',
].join('\n');

/**
 * Remove `this.mapping.clear()` from y-tiptap's `_typeChanged`: with it, every remote change
 * rebuilds every ProseMirror node of the plan, and every plugin that diffs documents walks all
 * of them (docs/benchmarks.md, docs/decisions.md). Upstream y-prosemirror does not clear it.
 * Fails the build when the expected text is missing (y-tiptap changed: look again), and when a
 * client build never saw y-tiptap (it moved: the fix would silently stop applying).
 */
export function keepYTiptapMapping(): Plugin {
  let building = false;
  let patched = 0;
  return {
    name: 'minga:keep-y-tiptap-mapping',
    enforce: 'pre',
    configResolved(config) {
      building = config.command === 'build' && !process.env.VITEST;
    },
    transform(code, id) {
      const file = id.split('?')[0];
      if (!Y_TIPTAP_MODULE.test(file)) return null;
      const found = code.split(Y_TIPTAP_MAPPING_CLEAR).length - 1;
      if (found !== 1) {
        this.error(
          `keepYTiptapMapping: expected the mapping.clear() of y-tiptap 3.0.9's _typeChanged exactly once in ${file}, found it ${found} times. ` +
            'y-tiptap changed: check whether it still rebuilds the whole document on remote changes, then update or remove this plugin in vite.config.ts.',
        );
      }
      patched++;
      return { code: code.replace(Y_TIPTAP_MAPPING_CLEAR, Y_TIPTAP_MAPPING_KEPT), map: null };
    },
    buildEnd(error) {
      if (building && !error && patched === 0) {
        this.error('keepYTiptapMapping: the client build never loaded @tiptap/y-tiptap/dist/y-tiptap.js, so its _typeChanged was not patched. Update the plugin in vite.config.ts.');
      }
    },
  };
}

// The browser client lives in client/; the server serves the built files from dist/client.
export default defineConfig({
  root: `${repoRoot}client`,
  plugins: [keepYTiptapMapping(), react()],
  build: {
    outDir: `${repoRoot}dist/client`,
    emptyOutDir: true,
    // No inline scripts or eval: the app runs under script-src 'self'.
    modulePreload: { polyfill: false },
  },
  // Pre-bundled dependencies skip plugins' transforms: y-tiptap must go through the patch in dev too.
  optimizeDeps: { exclude: ['@tiptap/y-tiptap'] },
  server: {
    proxy: {
      '/api': backend,
      '/healthz': backend,
      '/collab': { target: backend, ws: true },
    },
  },
  test: {
    root: repoRoot,
    include: ['tests/**/*.test.ts'],
    testTimeout: 60000,
    hookTimeout: 120000,
    pool: 'forks',
    // Integration and browser tests start real servers and Chromium: one file at a time keeps
    // them from starving each other on a 2-core machine.
    fileParallelism: false,
    globalSetup: ['tests/setup/global.ts'],
    // Tests that import y-tiptap get the same patched module as the browser (node_modules are
    // otherwise loaded by Node, past Vite's transforms).
    server: { deps: { inline: ['@tiptap/y-tiptap'] } },
    // CI reads the counts from the JSON report (.ci/run), people read the default reporter.
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
  },
});
