/**
 * The Node flags `npm start` gives the compiled server (package.json "start"), read from there
 * so that the benchmarks and tests run the server exactly as `npm start` does.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

export function serverNodeFlags(root: string = path.resolve(import.meta.dirname, '..')): string[] {
  const scripts = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  const match = /\bnode((?: --[\w-]+(?:=\S+)?)*) dist\/server\/main\.mjs\b/.exec(scripts.start ?? '');
  if (!match) throw new Error('package.json "start" no longer runs `node [flags] dist/server/main.mjs`: update server/start-flags.ts');
  return match[1].trim().split(/\s+/).filter(Boolean);
}
