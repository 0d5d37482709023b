/**
 * The second pass of a comparison: inside each run of blocks that differs (block-diff.ts), which
 * tokens (characters, node boundaries) changed.
 *
 * This is prosemirror-changeset's token diff (`computeDiff`, MIT, Marijn Haverbeke), ported so
 * that a long range can be narrowed first. Its Myers diff costs the square of the edit distance:
 * a paragraph of 444 characters rewritten into one of 2,107 (distance 1,993, in the editing trace
 * of the benchmarks) took most of a 50-page comparison. Ranges up to `WORD_PASS_TOKENS` tokens
 * take exactly the original path, with the same result, and so do ranges it gives up on (one
 * side longer than 2,500 tokens: one change). A range in between is first diffed word by word; the words both sides keep anchor it, and only the stretches between anchors are diffed
 * by character. The edits are then merged as the original merges them (nearby edits join, the
 * smallest kept stretch growing with the range). A word-level alignment can differ from the
 * character-level one (never in which text is equal, only in which equal characters are paired).
 */
import type { Fragment, Mark, Node as PMNode } from '@tiptap/pm/model';

/** Encodes document content as comparable tokens (prosemirror-changeset's TokenEncoder). */
export interface TokenEncoder<T> {
  encodeCharacter(char: number, marks: readonly Mark[]): T;
  encodeNodeStart(node: PMNode): T;
  encodeNodeEnd(node: PMNode): T;
  compareTokens(a: T, b: T): boolean;
}

/** A change between token offsets: [fromA, toA) of the older range became [fromB, toB) of the newer. */
export type TokenEdit = [fromA: number, toA: number, fromB: number, toB: number];

/** prosemirror-changeset's limits: edit distance, and range length, past which a range is one change. */
const MAX_DIFF_SIZE = 2500;
const MAX_TOKEN_SIZE = 10000;
/** Ranges longer than this (both sides together) are aligned word by word first. */
export const WORD_PASS_TOKENS = 600;

/** Work done, for tests: inner steps of the Myers loops. */
export interface DiffWork {
  steps: number;
}

/** The tokens of [start, end) of a fragment, one per position. */
export function tokens<T>(frag: Fragment, encoder: TokenEncoder<T>, start: number, end: number, target: T[] = []): T[] {
  for (let i = 0, off = 0; i < frag.childCount; i++) {
    const child = frag.child(i);
    const endOff = off + child.nodeSize;
    const from = Math.max(off, start);
    const to = Math.min(endOff, end);
    if (from < to) {
      if (child.isText) {
        for (let j = from; j < to; j++) target.push(encoder.encodeCharacter(child.text!.charCodeAt(j - off), child.marks));
      } else if (child.isLeaf) {
        target.push(encoder.encodeNodeStart(child));
      } else {
        if (from === off) target.push(encoder.encodeNodeStart(child));
        tokens(child.content, encoder, Math.max(off + 1, from) - off - 1, Math.min(endOff - 1, to) - off - 1, target);
        if (to === endOff) target.push(encoder.encodeNodeEnd(child));
      }
    }
    off = endOff;
  }
  return target;
}

/** The shortest unchanged stretch kept between two edits of a replacement of these sizes (prosemirror-changeset). */
function minUnchanged(sizeA: number, sizeB: number): number {
  return Math.min(15, Math.max(2, Math.floor(Math.max(sizeA, sizeB) / 10)));
}

/**
 * The changes between the tokens of [fromA, toA) of `a` and [fromB, toB) of `b` (positions in
 * their fragments), as offsets from fromA and fromB.
 */
export function diffFragments<T>(a: Fragment, b: Fragment, range: { fromA: number; toA: number; fromB: number; toB: number }, encoder: TokenEncoder<T>, work?: DiffWork): TokenEdit[] {
  const { fromA, toA, fromB, toB } = range;
  // Past MAX_TOKEN_SIZE, as prosemirror-changeset: narrow to where the contents differ, and if
  // that is still too long, it is one change.
  let skipA = 0;
  let skipB = 0;
  let endA = toA - fromA;
  let endB = toB - fromB;
  if (Math.max(endA, endB) > MAX_TOKEN_SIZE) {
    const cutA = a.cut(fromA, toA);
    const cutB = b.cut(fromB, toB);
    const diffStart = cutA.findDiffStart(cutB);
    if (diffStart == null) return [];
    const diffEnd = cutA.findDiffEnd(cutB)!;
    [skipA, skipB, endA, endB] = [diffStart, diffStart, diffEnd.a, diffEnd.b];
    if (Math.max(endA - skipA, endB - skipB) > MAX_TOKEN_SIZE) return [[skipA, endA, skipB, endB]];
  }
  const edits = diffTokens(tokens(a, encoder, fromA + skipA, fromA + endA), tokens(b, encoder, fromB + skipB, fromB + endB), encoder.compareTokens, work);
  return edits.map(([fa, ta, fb, tb]) => [fa + skipA, ta + skipA, fb + skipB, tb + skipB]);
}

/** The changes between two token arrays, merged as prosemirror-changeset merges them. */
export function diffTokens<T>(tokA: readonly T[], tokB: readonly T[], cmp: (a: T, b: T) => boolean, work?: DiffWork, wordPassTokens = WORD_PASS_TOKENS): TokenEdit[] {
  let start = 0;
  let endA = tokA.length;
  let endB = tokB.length;
  while (start < endA && start < endB && cmp(tokA[start], tokB[start])) start++;
  if (start === endA && start === endB) return [];
  while (endA > start && endB > start && cmp(tokA[endA - 1], tokB[endB - 1])) endA--, endB--;
  if (endA === start && endB === start) return [];
  const whole: TokenEdit[] = [[start, endA, start, endB]];
  if (endA === start || endB === start || (endA === endB && endA === start + 1)) return whole;
  if (Math.max(endA, endB) - start > MAX_DIFF_SIZE) return whole;
  const minSpan = minUnchanged(endA - start, endB - start);
  const long = endA - start + (endB - start) > wordPassTokens;
  const edits = long ? wordAnchoredEdits(tokA, tokB, start, endA, endB, cmp, minSpan, work) : myersEdits(tokA, tokB, start, endA, endB, cmp, work);
  return edits === null ? whole : mergeEdits(edits, minSpan);
}

/**
 * Myers' diff of a[start, endA) and b[start, endB) (prosemirror-changeset's loop): one-token
 * edits, from the last to the first; null past MAX_DIFF_SIZE edits.
 */
function myersEdits<T>(tokA: readonly T[], tokB: readonly T[], start: number, endA: number, endB: number, cmp: (a: T, b: T) => boolean, work?: DiffWork): TokenEdit[] | null {
  const lenA = endA - start;
  const lenB = endB - start;
  const max = Math.min(MAX_DIFF_SIZE, lenA + lenB);
  const history: Int16Array[] = [];
  let frontier: Int16Array = new Int16Array((max + 1) * 2).fill(-1);
  for (let size = 0; size <= max; size++) {
    for (let diag = -size; diag <= size; diag += 2) {
      const next = frontier[diag + 1 + max];
      const prev = frontier[diag - 1 + max];
      let x = next < prev ? prev : next + 1;
      let y = x + diag;
      while (x < lenA && y < lenB && cmp(tokA[start + x], tokB[start + y])) x++, y++;
      frontier[diag + max] = x;
      if (work) work.steps++;
      if (x >= lenA && y >= lenB) {
        const edits: TokenEdit[] = [];
        for (let i = size - 1; i >= 0; i--) {
          const n = frontier[diag + 1 + max];
          const p = frontier[diag - 1 + max];
          if (n < p) {
            diag--;
            x = p + start;
            y = x + diag;
            edits.push([x, x, y, y + 1]);
          } else {
            diag++;
            x = n + start;
            y = x + diag;
            edits.push([x, x + 1, y, y]);
          }
          frontier = history[i >> 1];
        }
        return edits;
      }
    }
    // Only odd or only even diagonals are read from each frontier: copy every other one.
    if (size % 2 === 0) history.push(frontier.slice());
  }
  return null;
}

/** Whether a character code belongs to a word (letters and digits of any script). */
const WORD_CHAR = /[\p{L}\p{N}]/u;

/** Words of tokens[start, end): runs of word characters, every other token alone. */
function words<T>(toks: readonly T[], start: number, end: number): { keys: string[]; starts: number[] } {
  const keys: string[] = [];
  const starts: number[] = [];
  let i = start;
  while (i < end) {
    const token = toks[i];
    if (typeof token === 'number' && WORD_CHAR.test(String.fromCharCode(token))) {
      let j = i + 1;
      while (j < end && typeof toks[j] === 'number' && WORD_CHAR.test(String.fromCharCode(toks[j] as number))) j++;
      keys.push(`w${String.fromCharCode(...(toks.slice(i, j) as number[]))}`);
      starts.push(i);
      i = j;
    } else {
      keys.push(typeof token === 'number' ? `c${token}` : `n${String(token)}`);
      starts.push(i);
      i++;
    }
  }
  starts.push(end);
  return { keys, starts };
}

/**
 * Edits of a long range: Myers over words, then over characters between the words both sides
 * keep; from the last to the first, like myersEdits. Null when even the words differ too much.
 */
function wordAnchoredEdits<T>(tokA: readonly T[], tokB: readonly T[], start: number, endA: number, endB: number, cmp: (a: T, b: T) => boolean, minSpan: number, work?: DiffWork): TokenEdit[] | null {
  const wa = words(tokA, start, endA);
  const wb = words(tokB, start, endB);
  const wordEdits = myersEdits(wa.keys, wb.keys, 0, wa.keys.length, wb.keys.length, (x, y) => x === y, work);
  if (wordEdits === null) return null;
  // Stretches between kept words, front to back, in word indices.
  const gaps: Array<[number, number, number, number]> = [];
  for (const [fa, ta, fb, tb] of wordEdits.reverse()) {
    const last = gaps[gaps.length - 1];
    if (last && last[1] === fa && last[3] === fb) {
      last[1] = ta;
      last[3] = tb;
    } else gaps.push([fa, ta, fb, tb]);
  }
  const edits: TokenEdit[] = [];
  for (let g = gaps.length - 1; g >= 0; g--) {
    const [fa, ta, fb, tb] = gaps[g];
    let a0 = wa.starts[fa];
    let a1 = wa.starts[ta];
    let b0 = wb.starts[fb];
    let b1 = wb.starts[tb];
    while (a0 < a1 && b0 < b1 && cmp(tokA[a0], tokB[b0])) a0++, b0++;
    while (a1 > a0 && b1 > b0 && cmp(tokA[a1 - 1], tokB[b1 - 1])) a1--, b1--;
    if (a0 === a1 && b0 === b1) continue;
    // Whatever the characters of a stretch keep is shorter than its shorter side; under minSpan
    // the merge below would join all of its edits into this one anyway.
    if (Math.min(a1 - a0, b1 - b0) < minSpan || Math.max(a1 - a0, b1 - b0) > MAX_DIFF_SIZE) {
      edits.push([a0, a1, b0, b1]);
      continue;
    }
    // The characters of the stretch, as offsets into the whole arrays.
    const inner = myersEdits(tokA.slice(a0, a1), tokB.slice(b0, b1), 0, a1 - a0, b1 - b0, cmp, work);
    if (inner === null) edits.push([a0, a1, b0, b1]);
    else for (const [x0, x1, y0, y1] of inner) edits.push([a0 + x0, a0 + x1, b0 + y0, b0 + y1]);
  }
  return edits;
}

/** Join edits from the last to the first when less than `minSpan` tokens apart in the older range; front to back. */
function mergeEdits(edits: readonly TokenEdit[], minSpan: number): TokenEdit[] {
  const out: TokenEdit[] = [];
  let fromA = -1;
  let toA = -1;
  let fromB = -1;
  let toB = -1;
  for (const [fA, tA, fB, tB] of edits) {
    if (fromA > -1 && fromA < tA + minSpan) {
      fromA = fA;
      fromB = fB;
    } else {
      if (fromA > -1) out.push([fromA, toA, fromB, toB]);
      fromA = fA;
      toA = tA;
      fromB = fB;
      toB = tB;
    }
  }
  if (fromA > -1) out.push([fromA, toA, fromB, toB]);
  return out.reverse();
}
