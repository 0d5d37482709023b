/** Reliability tests write what they tried and measured here; docs/reliability.md cites it. */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const FILE = path.resolve(import.meta.dirname, '../../test-results/reliability.json');

/** Merge one test's figures into test-results/reliability.json. */
export function recordReliability(name: string, figures: Record<string, unknown>): void {
  mkdirSync(path.dirname(FILE), { recursive: true });
  let all: Record<string, unknown> = {};
  try {
    all = JSON.parse(readFileSync(FILE, 'utf8')) as Record<string, unknown>;
  } catch {
    // first figures of this run
  }
  all[name] = { ...figures, at: new Date().toISOString() };
  writeFileSync(FILE, JSON.stringify(all, null, 2));
}
