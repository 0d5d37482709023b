/** Vitest global setup: build the client once so browser tests run against the real bundle. */
import { execFileSync } from 'node:child_process';
import path from 'node:path';

/** Build dist/client with Vite (quietly) before any test file runs. */
export default function setup(): void {
  const root = path.resolve(import.meta.dirname, '../..');
  execFileSync(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'error'], { cwd: root, stdio: 'inherit' });
}
