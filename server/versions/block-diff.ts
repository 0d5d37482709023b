/**
 * The first pass of a comparison: which top-level blocks (paragraphs, headings, lists, tables)
 * of the older document are unchanged in the newer one. prosemirror-changeset diffs tokens
 * well but gives up on long ranges (over 10 000 tokens it marks the whole range as replaced),
 * so a 50-page plan is first aligned block by block and only the changed runs of blocks are
 * handed to it.
 */
import type { Node as PMNode } from '@tiptap/pm/model';

/** A run of blocks that differs: blocks [a0, a1) of the older document became [b0, b1) of the newer. */
export interface BlockHunk {
  a0: number;
  a1: number;
  b0: number;
  b1: number;
}

/** Past this many differing blocks, the rest is one hunk (the token diff narrows it further). */
const MAX_BLOCK_EDITS = 2000;

/** One integer per top-level block: equal blocks (same type, attributes, marks and text) get equal keys. */
export function blockKeys(docs: PMNode[]): number[][] {
  const ids = new Map<string, number>();
  return docs.map((doc) => {
    const keys: number[] = [];
    doc.forEach((child) => {
      const key = JSON.stringify(child.toJSON());
      let id = ids.get(key);
      if (id === undefined) ids.set(key, (id = ids.size));
      keys.push(id);
    });
    return keys;
  });
}

/** Positions where each top-level block starts, plus the content size at the end. */
export function blockOffsets(doc: PMNode): number[] {
  const offsets: number[] = [];
  doc.forEach((_child, offset) => offsets.push(offset));
  offsets.push(doc.content.size);
  return offsets;
}

/** The differing runs between two key sequences (Myers' O(ND) diff over blocks). */
export function blockHunks(a: readonly number[], b: readonly number[]): BlockHunk[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) endA--, endB--;
  if (start === endA && start === endB) return [];
  const pairs = matchPairs(a.slice(start, endA), b.slice(start, endB));
  if (!pairs) return [{ a0: start, a1: endA, b0: start, b1: endB }];

  const hunks: BlockHunk[] = [];
  let x = 0;
  let y = 0;
  for (const [mx, my] of [...pairs, [endA - start, endB - start] as [number, number]]) {
    if (mx > x || my > y) hunks.push({ a0: start + x, a1: start + mx, b0: start + y, b1: start + my });
    x = mx + 1;
    y = my + 1;
  }
  return hunks;
}

/** Matched index pairs of a shortest edit script, in order; null when more edits than MAX_BLOCK_EDITS are needed. */
function matchPairs(a: readonly number[], b: readonly number[]): Array<[number, number]> | null {
  const n = a.length;
  const m = b.length;
  const max = Math.min(n + m, MAX_BLOCK_EDITS);
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  // trace[d] holds v[-d-1 .. d+1] as it was before step d.
  const trace: Int32Array[] = [];
  for (let d = 0; d <= max; d++) {
    trace.push(v.slice(offset - d - 1, offset + d + 2));
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) x++, y++;
      v[offset + k] = x;
      if (x >= n && y >= m) return backtrack(trace, n, m);
    }
  }
  return null;
}

function backtrack(trace: Int32Array[], n: number, m: number): Array<[number, number]> {
  const pairs: Array<[number, number]> = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const saved = trace[d];
    const at = (k: number): number => saved[k + d + 1];
    const k = x - y;
    const prevK = k === -d || (k !== d && at(k - 1) < at(k + 1)) ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : at(prevK);
    const prevY = d === 0 ? 0 : prevX - prevK;
    while (x > prevX && y > prevY) {
      x--, y--;
      pairs.push([x, y]);
    }
    x = prevX;
    y = prevY;
  }
  return pairs.reverse();
}
