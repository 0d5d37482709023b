/**
 * `npm start` runs the server compiled to JavaScript (dist/server), not through tsx: tsx
 * transpiles on a loader thread with an isolate of its own, which cost ~37 MiB of resident
 * memory for the life of the process. Only Minga's own TypeScript is bundled; packages stay
 * in node_modules and are imported from there, exactly as in development.
 */
import { build } from 'esbuild';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');

await build({
  absWorkingDir: root,
  entryPoints: { main: 'server/main.ts', 'export-worker': 'server/export/export-worker.ts' },
  outdir: 'dist/server',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  packages: 'external',
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
});
