/** Vitest global setup: build the client once so browser tests run against the real bundle. */
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';

/**
 * Build dist/client with Vite before any test file runs. If the build fails, the old bundle
 * is removed so browser tests fail loudly instead of testing yesterday's client, while the
 * server-side tests still run.
 */
export default function setup(): void {
  const root = path.resolve(import.meta.dirname, '../..');
  try {
    // The bundle `npm start` serves: Vitest sets NODE_ENV=test, which would build React's
    // development version (several times slower to type in), so say production explicitly.
    execFileSync(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'error'], {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, NODE_ENV: 'production' },
    });
  } catch (error) {
    rmSync(path.join(root, 'dist/client'), { recursive: true, force: true });
    console.error(`\nThe client did not build; browser tests will fail. ${(error as Error).message}\n`);
  }
}
