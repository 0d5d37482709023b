import { describe, expect, it } from 'vitest';
import { ChangeSet, simplifyChanges } from '@tiptap/pm/changeset';
import { Slice, type Node as PMNode } from '@tiptap/pm/model';
import { ReplaceStep, Transform } from '@tiptap/pm/transform';
import { blockHunks, blockKeys, blockOffsets } from '../server/versions/block-diff.ts';
import { diffDocuments, encoder } from '../server/versions/compare.ts';
import { diffTokens, tokens, WORD_PASS_TOKENS } from '../server/versions/token-diff.ts';
import { planSchema } from '../shared/schema.ts';
import { templateContent } from '../shared/template.ts';
import { prng } from './helpers/clients.ts';

/** The comparison as it was before token-diff.ts: the block steps handed to prosemirror-changeset. */
function changesetDiff(older: PMNode, newer: PMNode) {
  const [keysA, keysB] = blockKeys([older, newer]);
  const hunks = blockHunks(keysA, keysB);
  const offA = blockOffsets(older);
  const offB = blockOffsets(newer);
  const tr = new Transform(older);
  for (let i = hunks.length - 1; i >= 0; i--) {
    const h = hunks[i];
    tr.step(new ReplaceStep(offA[h.a0], offA[h.a1], new Slice(newer.content.cut(offB[h.b0], offB[h.b1]), 0, 0)));
  }
  const set = ChangeSet.create(older, undefined, encoder).addSteps(tr.doc, tr.mapping.maps, null);
  return simplifyChanges(set.changes, newer);
}

const ranges = (changes: readonly { fromA: number; toA: number; fromB: number; toB: number }[]) => changes.map((c) => [c.fromA, c.toA, c.fromB, c.toB]);

/** Edit the text of a document at random: characters and words typed, deleted and replaced. */
function edited(doc: PMNode, random: () => number, edits: number): PMNode {
  const json = doc.toJSON() as { content: Array<{ content?: Array<{ type: string; text?: string }> }> };
  const words = ['plan', 'de', 'trabajo', 'SOVIO', 'mejora', 'servicio', 'empleo', 'la', 'y', 'orientación'];
  for (let i = 0; i < edits; i++) {
    const blocks = json.content.filter((b) => b.content?.some((c) => c.type === 'text' && c.text));
    const block = blocks[Math.floor(random() * blocks.length)];
    const text = block.content!.find((c) => c.type === 'text' && c.text)!;
    const at = Math.floor(random() * text.text!.length);
    const kind = random();
    if (kind < 0.4) text.text = text.text!.slice(0, at) + (random() < 0.5 ? ` ${words[Math.floor(random() * words.length)]}` : 'x') + text.text!.slice(at);
    else if (kind < 0.7) text.text = text.text!.slice(0, at) + text.text!.slice(at + 1 + Math.floor(random() * 8));
    else text.text = text.text!.slice(0, at) + words[Math.floor(random() * words.length)] + text.text!.slice(at + 3);
    if (!text.text) text.text = 'x';
  }
  return planSchema.nodeFromJSON(json);
}

/** Every stretch outside the changes is the same content in both documents, and the changes are in order. */
function expectConsistent(older: PMNode, newer: PMNode, changes: readonly { fromA: number; toA: number; fromB: number; toB: number }[]) {
  let a = 0;
  let b = 0;
  for (const c of [...changes, { fromA: older.content.size, toA: older.content.size, fromB: newer.content.size, toB: newer.content.size }]) {
    expect(c.fromA - a).toBe(c.fromB - b);
    expect(tokens(older.content, encoder, a, c.fromA)).toEqual(tokens(newer.content, encoder, b, c.fromB));
    expect(c.toA).toBeGreaterThanOrEqual(c.fromA);
    a = c.toA;
    b = c.toB;
  }
}

describe('the token diff of a comparison (server/versions/token-diff.ts)', () => {
  it('gives prosemirror-changeset’s very changes where each changed run is short', () => {
    const base = planSchema.nodeFromJSON(templateContent('sovio', 'Plan'));
    const random = prng(20261124);
    for (let round = 0; round < 60; round++) {
      const older = edited(base, random, 3);
      const newer = edited(older, random, 1 + Math.floor(random() * 12));
      const changes = diffDocuments(older, newer);
      expect(ranges(changes), `round ${round}`).toEqual(ranges(changesetDiff(older, newer)));
      expectConsistent(older, newer, changes);
    }
  });

  it('a long rewritten run is aligned word by word first: right, and with a fraction of the work', () => {
    const random = prng(7);
    const vocabulary = 'el plan de trabajo para la mejora del servicio de orientación vocacional y ocupacional con las regiones'.split(' ');
    const sentence = (n: number) => Array.from({ length: n }, () => vocabulary[Math.floor(random() * vocabulary.length)]).join(' ');
    const opening = sentence(90);
    const closing = sentence(12);
    // One long word (no separator to anchor on) changed inside: the characters are diffed.
    const longWord = 'Implementaciónprogresivadelservicioregional';
    const olderText = `${opening} ${longWord} ${closing}`;
    // Rewritten: words dropped, words added, the long word edited, and a long passage appended.
    const newerText = `${opening
      .split(' ')
      .filter(() => random() > 0.15)
      .flatMap((w) => (random() < 0.2 ? [w, vocabulary[Math.floor(random() * vocabulary.length)]] : [w]))
      .join(' ')} Implementacionprogresivadelosserviciosregionales ${closing} ${sentence(120)}`;
    const para = (text: string) => planSchema.nodeFromJSON({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Inicio.' }] }, { type: 'paragraph', content: [{ type: 'text', text }] }, { type: 'paragraph', content: [{ type: 'text', text: 'Fin.' }] }] });
    const older = para(olderText);
    const newer = para(newerText);
    const tokA = tokens(older.content, encoder, 0, older.content.size);
    const tokB = tokens(newer.content, encoder, 0, newer.content.size);
    expect(tokA.length + tokB.length).toBeGreaterThan(WORD_PASS_TOKENS);

    const byWords = { steps: 0 };
    const byCharacters = { steps: 0 };
    const words = diffTokens(tokA, tokB, encoder.compareTokens, byWords);
    const characters = diffTokens(tokA, tokB, encoder.compareTokens, byCharacters, Number.POSITIVE_INFINITY);
    expect(byWords.steps * 4).toBeLessThan(byCharacters.steps);
    const asChanges = (edits: typeof words) => edits.map(([fromA, toA, fromB, toB]) => ({ fromA, toA, fromB, toB }));
    expectConsistent(older, newer, asChanges(words));
    expectConsistent(older, newer, asChanges(characters));
    // It still finds what was kept: most of the older text is not marked as deleted, and inside
    // the long word only the characters that changed are.
    const deleted = words.reduce((sum, [fa, ta]) => sum + (ta - fa), 0);
    expect(deleted).toBeLessThan(olderText.length / 2);
    const wordStart = tokA.indexOf('I'.charCodeAt(0));
    const inWord = words.filter(([fa, ta]) => ta > wordStart && fa < wordStart + longWord.length);
    expect(inWord.reduce((sum, [fa, ta]) => sum + (Math.min(ta, wordStart + longWord.length) - Math.max(fa, wordStart)), 0)).toBeLessThan(10);
    // And the whole comparison path renders consistent changes.
    expectConsistent(older, newer, diffDocuments(older, newer));
  });

  it('a run over 10,000 tokens is narrowed to where it differs, as in prosemirror-changeset', () => {
    const long = 'una oración del plan de trabajo que se repite. '.repeat(260);
    const doc = (text: string) => planSchema.nodeFromJSON({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] });
    const older = doc(long);
    const newer = doc(`${long.slice(0, 6000)}cambio ${long.slice(6010)}`);
    expect(older.content.size).toBeGreaterThan(10_000);
    const changes = diffDocuments(older, newer);
    expect(ranges(changes)).toEqual(ranges(changesetDiff(older, newer)));
    expect(changes.length).toBeGreaterThan(0);
    expect(changes.every((c) => c.toA - c.fromA < 20)).toBe(true);
    expectConsistent(older, newer, changes);
  });

  it('a run with one side over 2,500 tokens is one change, as in prosemirror-changeset', () => {
    const older = planSchema.nodeFromJSON({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Texto corto.' }] }] });
    const newer = planSchema.nodeFromJSON({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: `Texto ${'largo y nuevo '.repeat(300)}corto.` }] }] });
    expect(ranges(diffDocuments(older, newer))).toEqual(ranges(changesetDiff(older, newer)));
  });
});
