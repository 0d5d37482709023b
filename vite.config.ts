/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { patchYTiptap } from './client/build/y-tiptap-patches.ts';

const repoRoot = fileURLToPath(new URL('.', import.meta.url));
const backend = 'http://127.0.0.1:3000';

// The browser client lives in client/; the server serves the built files from dist/client.
export default defineConfig({
  root: `${repoRoot}client`,
  plugins: [patchYTiptap(), react()],
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
