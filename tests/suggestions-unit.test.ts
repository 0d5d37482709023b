import { describe, expect, it } from 'vitest';
import { EditorState, TextSelection, type Transaction } from '@tiptap/pm/state';
import type { Node as PMNode } from '@tiptap/pm/model';
import { addRowAfter } from '@tiptap/pm/tables';
import { planSchema } from '../shared/schema.ts';
import { sovioTemplate } from '../shared/template.ts';
import { onlyOwnSuggestions, collectSuggestions, withoutSuggestionsOf } from '../shared/suggestions.ts';
import { suggestTransaction, type Suggester } from '../client/src/features/suggestions/suggestTransaction.ts';
import { decideSuggestions } from '../client/src/features/suggestions/decideSuggestions.ts';
import { suggestionsOf, type BlockSuggestionCache } from '../client/src/features/suggestions/blockSuggestions.ts';
import { prng } from './helpers/clients.ts';

const ana: Suggester = { authorId: 'user-ana', authorName: 'Ana', color: '#1f5fbf' };
const beto: Suggester = { authorId: 'user-beto', authorName: 'Beto', color: '#c8102e' };

function start(): EditorState {
  return EditorState.create({ schema: planSchema, doc: planSchema.nodeFromJSON(sovioTemplate()) });
}

/** Position of the first occurrence of `text` in the document. */
function find(doc: PMNode, text: string): number {
  let found = -1;
  doc.descendants((node, pos) => {
    if (found >= 0) return false;
    if (node.isText && node.text!.includes(text)) found = pos + node.text!.indexOf(text);
    return true;
  });
  if (found < 0) throw new Error(`"${text}" not in document`);
  return found;
}

/** Apply an edit as a suggestion by `who`; returns the new state. */
function suggest(state: EditorState, who: Suggester, edit: (tr: Transaction) => void): EditorState {
  const tr = state.tr;
  edit(tr);
  const outcome = suggestTransaction(state, tr, who);
  if ('refused' in outcome) throw new Error(`refused: ${outcome.refused}`);
  const next = state.apply(outcome.transaction);
  expect(onlyOwnSuggestions(state.doc.toJSON(), next.doc.toJSON(), who.authorId), 'the server would accept this').toBe(true);
  return next;
}

function decide(state: EditorState, decision: 'accept' | 'reject'): EditorState {
  const ids = new Set(collectSuggestions(state.doc.toJSON()).map((s) => s.suggestionId));
  const tr = decideSuggestions(state, ids, decision);
  return tr ? state.apply(tr) : state;
}

/** Compare two documents by their JSON. */
const same = (a: PMNode, b: PMNode) => expect(JSON.stringify(a.toJSON())).toBe(JSON.stringify(b.toJSON()));

type Edit = [string, (tr: Transaction) => void];
const edits: Edit[] = [
  ['typing inside a paragraph', (tr) => tr.insertText(' (actualizado)', find(tr.doc, 'de manera virtual') + 17)],
  ['deleting words in a paragraph', (tr) => tr.delete(find(tr.doc, 'sobre orientación'), find(tr.doc, 'sobre orientación') + 'sobre orientación '.length)],
  ['replacing a selection', (tr) => tr.insertText('Cooperación', find(tr.doc, 'actividad'), find(tr.doc, 'actividad') + 'actividad'.length)],
  ['typing in a list item', (tr) => tr.insertText(' y ferias regionales', find(tr.doc, 'Ferias vocacionales') + 'Ferias vocacionales'.length - 1)],
  ['typing in a table cell', (tr) => tr.insertText(' (prioritario)', find(tr.doc, 'Convenio firmado') + 'Convenio firmado'.length)],
  ['deleting across two paragraphs', (tr) => tr.delete(find(tr.doc, 'para realizarse'), find(tr.doc, 'Conocer la experiencia') + 7)],
  ['pasting several paragraphs', (tr) => {
    const slice = planSchema.nodeFromJSON({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Primer párrafo pegado.' }] }, { type: 'paragraph', content: [{ type: 'text', text: 'Segundo párrafo.' }] }] }).slice(1, 42);
    const at = find(tr.doc, 'Calendario de implementación');
    tr.replace(at, at, slice);
  }],
  ['splitting a paragraph (Enter)', (tr) => tr.split(find(tr.doc, 'Indicadores, instrumentos') + 'Indicadores,'.length)],
];

describe('suggestion mode: edits become suggestions that accept to the plain edit and reject to the original', () => {
  it.each(edits)('%s', (_label, edit) => {
    const original = start();
    const plainTr = original.tr;
    edit(plainTr);
    const plain = original.apply(plainTr);
    const suggested = suggest(original, ana, edit);
    expect(collectSuggestions(suggested.doc.toJSON()).length).toBeGreaterThan(0);
    // Nothing is lost while it is only a suggestion.
    expect(suggested.doc.textContent.length).toBeGreaterThanOrEqual(original.doc.textContent.length);
    same(decide(suggested, 'reject').doc, original.doc);
    expect(decide(suggested, 'accept').doc.textContent).toBe(plain.doc.textContent);
  });

  it('proposes a new table row that is accepted or rejected as a whole', () => {
    const original = start();
    const inCell = TextSelection.create(original.doc, find(original.doc, 'Convenio firmado'));
    const state = original.apply(original.tr.setSelection(inCell));
    let tr: Transaction | null = null;
    addRowAfter(state, (t) => (tr = t));
    const outcome = suggestTransaction(state, tr!, ana);
    if ('refused' in outcome) throw new Error(outcome.refused);
    const suggested = state.apply(outcome.transaction);
    expect(onlyOwnSuggestions(state.doc.toJSON(), suggested.doc.toJSON(), ana.authorId)).toBe(true);
    const rows = (s: EditorState) => { let n = 0; s.doc.descendants((node) => { if (node.type.name === 'tableRow') n++; return true; }); return n; };
    expect(rows(suggested)).toBe(rows(state) + 1);
    expect(rows(decide(suggested, 'reject'))).toBe(rows(state));
    const accepted = decide(suggested, 'accept');
    expect(rows(accepted)).toBe(rows(state) + 1);
    expect(collectSuggestions(accepted.doc.toJSON())).toEqual([]);
  });

  it('typing on extends one suggestion; backspacing one’s own proposal removes it', () => {
    let state = start();
    const at = find(state.doc, 'de manera virtual') + 17;
    for (const ch of ' nuevo') state = suggest(state, ana, (tr) => tr.insertText(ch, at + state.doc.textBetween(at, at).length + (collectSuggestions(state.doc.toJSON())[0]?.inserted.length ?? 0)));
    const suggestions = collectSuggestions(state.doc.toJSON());
    expect(suggestions).toHaveLength(1);
    expect(suggestions[0].inserted).toBe(' nuevo');
    const end = at + ' nuevo'.length;
    state = suggest(state, ana, (tr) => tr.delete(end - 1, end));
    expect(collectSuggestions(state.doc.toJSON())[0].inserted).toBe(' nuev');
  });

  it('one person’s suggestions do not pass as another’s, and two people’s suggestions coexist', () => {
    const original = start();
    const withAna = suggest(original, ana, (tr) => tr.insertText('[Ana]', find(tr.doc, 'Convenio firmado')));
    const withBoth = suggest(withAna, beto, (tr) => tr.insertText('[Beto]', find(tr.doc, 'Equipo SOVIO')));
    expect(collectSuggestions(withBoth.doc.toJSON()).map((s) => s.authorName).sort()).toEqual(['Ana', 'Beto']);
    expect(onlyOwnSuggestions(withAna.doc.toJSON(), withBoth.doc.toJSON(), ana.authorId)).toBe(false);
    expect(JSON.stringify(withoutSuggestionsOf(withBoth.doc.toJSON(), 'user-beto'))).toContain('[Ana]');
  });

  it('the editor reads the suggestions block by block, with unchanged blocks from its cache, as the whole plan says', () => {
    const blocks: BlockSuggestionCache = new WeakMap();
    let state = start();
    for (const [label, edit] of edits.filter(([label]) => /across two paragraphs|several paragraphs|table cell|Enter/.test(label))) {
      state = suggest(state, label.includes('table') ? beto : ana, edit);
      expect(suggestionsOf(state.doc, blocks), label).toEqual(collectSuggestions(state.doc.toJSON()));
    }
    // A suggestion spanning blocks is joined from their parts, in document order.
    expect(collectSuggestions(state.doc.toJSON()).some((s) => s.blocks >= 2)).toBe(true);
  });

  it('random edits in suggestion mode always satisfy the server rule and reject back to the original', () => {
    const seed = Number(process.env.SEED ?? Date.now() % 1_000_000);
    const random = prng(seed);
    const original = start();
    let state = original;
    // The editor's list of suggestions, kept block by block across the edits, says what reading
    // the whole plan says.
    const blocks: BlockSuggestionCache = new WeakMap();
    for (let i = 0; i < 150; i++) {
      if (i % 10 === 0) expect(suggestionsOf(state.doc, blocks), `seed ${seed}, step ${i}`).toEqual(collectSuggestions(state.doc.toJSON()));
      const size = state.doc.content.size;
      const pos = 1 + Math.floor(random() * (size - 2));
      const $pos = state.doc.resolve(pos);
      if (!$pos.parent.isTextblock) continue;
      try {
        const roll = random();
        if (roll < 0.15) {
          // Formatting a few characters: proposed, or refused over someone else's proposed formatting.
          const who = random() < 0.5 ? ana : beto;
          const end = Math.min($pos.end(), pos + 1 + Math.floor(random() * 6));
          const mark = planSchema.marks[['bold', 'italic', 'underline', 'strike'][Math.floor(random() * 4)]];
          const tr = state.tr;
          if (state.doc.rangeHasMark(pos, end, mark)) tr.removeMark(pos, end, mark);
          else tr.addMark(pos, end, mark.create());
          const outcome = suggestTransaction(state, tr, who);
          if ('refused' in outcome) expect(outcome.refused).toBe('overlap');
          else {
            const next = state.apply(outcome.transaction);
            expect(onlyOwnSuggestions(state.doc.toJSON(), next.doc.toJSON(), who.authorId), 'the server would accept this').toBe(true);
            state = next;
          }
        } else if (roll < 0.22) {
          // Retyping the block: proposed, or refused over someone else's proposed block or type.
          const who = random() < 0.5 ? ana : beto;
          const kind = [['paragraph', {}], ['heading', { level: 2 }], ['heading', { level: 3 }]][Math.floor(random() * 3)] as [string, Record<string, unknown>];
          const tr = state.tr.setBlockType(pos, pos, planSchema.nodes[kind[0]], kind[1]);
          const outcome = suggestTransaction(state, tr, who);
          if ('refused' in outcome) expect(outcome.refused, `seed ${seed}, step ${i}`).toMatch(/^(overlap|structure)$/);
          else {
            const next = state.apply(outcome.transaction);
            expect(onlyOwnSuggestions(state.doc.toJSON(), next.doc.toJSON(), who.authorId), 'the server would accept this').toBe(true);
            state = next;
          }
        } else if (roll < 0.6) state = suggest(state, random() < 0.5 ? ana : beto, (tr) => tr.insertText(String.fromCharCode(97 + Math.floor(random() * 26)), pos));
        else {
          const end = Math.min($pos.end(), pos + 1 + Math.floor(random() * 4));
          if (end > pos) state = suggest(state, random() < 0.5 ? ana : beto, (tr) => tr.delete(pos, end));
        }
      } catch (error) {
        throw new Error(`seed ${seed}, step ${i}: ${(error as Error).message}`);
      }
    }
    expect(suggestionsOf(state.doc, blocks)).toEqual(collectSuggestions(state.doc.toJSON()));
    const rejected = decide(state, 'reject').doc;
    expect(rejected.textContent, `seed ${seed}`).toBe(original.doc.textContent);
    // Formatting rejected too: every character has its original marks again.
    const marksByChar = (doc: PMNode): string[] => {
      const out: string[] = [];
      doc.descendants((node) => {
        if (node.isText) for (const _ of node.text!) out.push(node.marks.map((m) => m.type.name).join(','));
        return true;
      });
      return out;
    };
    expect(marksByChar(rejected), `seed ${seed}`).toEqual(marksByChar(original.doc));
    expect(kinds(rejected), `seed ${seed}`).toEqual(kinds(original.doc));
  });
});

/** Every textblock's type and level, in order. */
function kinds(doc: PMNode): string[] {
  const out: string[] = [];
  doc.descendants((node) => {
    if (node.isTextblock) out.push(node.type.name === 'heading' ? `h${node.attrs.level}` : node.type.name);
    return !node.isTextblock;
  });
  return out;
}

describe('block type suggestions: a paragraph made a heading, a heading’s level changed', () => {
  const paragraphText = 'Conocer la experiencia';
  /** Position of the textblock holding `text`. */
  const blockAt = (doc: PMNode, text: string): number => doc.resolve(find(doc, text)).before();
  const retype = (state: EditorState, who: Suggester, text: string, type: string, attrs: Record<string, unknown> = {}) =>
    suggest(state, who, (tr) => {
      const pos = find(tr.doc, text);
      tr.setBlockType(pos, pos, planSchema.nodes[type], attrs);
    });

  it('proposes a heading: shown as one, recorded, accepted as a plain heading, rejected back to the paragraph', () => {
    const original = start();
    const suggested = retype(original, ana, paragraphText, 'heading', { level: 3 });
    const block = suggested.doc.nodeAt(blockAt(suggested.doc, paragraphText))!;
    expect(block.type.name).toBe('heading');
    expect(block.attrs.suggestedType).toMatchObject({ authorId: ana.authorId, fromType: 'paragraph', fromLevel: null });
    const [summary] = collectSuggestions(suggested.doc.toJSON());
    expect(summary).toMatchObject({ authorId: ana.authorId, retypeTo: 'heading3', inserted: '', deleted: '', formatted: '' });
    expect(summary.retyped).toContain(paragraphText);
    same(decide(suggested, 'reject').doc, original.doc);
    const plain = original.apply(original.tr.setBlockType(find(original.doc, paragraphText), find(original.doc, paragraphText), planSchema.nodes.heading, { level: 3 }));
    same(decide(suggested, 'accept').doc, plain.doc);
  });

  it('changes a heading’s level or makes it a paragraph; back to the recorded type, no suggestion is left', () => {
    const original = start();
    const heading = 'Objetivo general';
    expect(original.doc.nodeAt(blockAt(original.doc, heading))!.attrs.level).toBe(3);
    const up = retype(original, beto, heading, 'heading', { level: 2 });
    expect(collectSuggestions(up.doc.toJSON())[0]).toMatchObject({ retypeTo: 'heading2' });
    const down = retype(up, beto, heading, 'paragraph');
    const [summary, ...more] = collectSuggestions(down.doc.toJSON());
    expect(more).toEqual([]);
    expect(summary).toMatchObject({ retypeTo: 'paragraph', suggestionId: collectSuggestions(up.doc.toJSON())[0].suggestionId });
    expect(down.doc.nodeAt(blockAt(down.doc, heading))!.attrs.suggestedType).toMatchObject({ fromType: 'heading', fromLevel: 3 });
    same(decide(down, 'reject').doc, original.doc);
    const back = retype(down, beto, heading, 'heading', { level: 3 });
    expect(collectSuggestions(back.doc.toJSON())).toEqual([]);
    same(back.doc, original.doc);
  });

  it('retypes one’s own proposed block directly; refuses someone else’s proposed type or block', () => {
    const original = start();
    const at = find(original.doc, paragraphText);
    const split = suggest(original, ana, (tr) => tr.split(at + 7));
    const own = retype(split, ana, 'la experiencia', 'heading', { level: 2 });
    const block = own.doc.nodeAt(blockAt(own.doc, 'la experiencia'))!;
    expect(block.type.name).toBe('heading');
    expect(block.attrs.suggestedType).toBeNull();
    expect(block.attrs.suggestedInsert).toMatchObject({ authorId: ana.authorId });
    const setType = (state: EditorState, text: string) => state.tr.setBlockType(find(state.doc, text), find(state.doc, text), planSchema.nodes.heading, { level: 3 });
    expect(suggestTransaction(own, setType(own, 'la experiencia'), beto)).toEqual({ refused: 'overlap' });
    const byAna = retype(original, ana, paragraphText, 'heading', { level: 2 });
    expect(suggestTransaction(byAna, setType(byAna, paragraphText), beto)).toEqual({ refused: 'overlap' });
    expect(suggestTransaction(byAna, byAna.tr.setBlockType(find(byAna.doc, paragraphText), find(byAna.doc, paragraphText), planSchema.nodes.codeBlock), ana)).toEqual({ refused: 'structure' });
  });

  it('the server rule: a retype passes only with its own record, true to the type before; other people’s block suggestions cannot be touched', () => {
    const original = start();
    const pos = blockAt(original.doc, paragraphText);
    const record = (fromType: string, fromLevel: number | null, who = ana) => ({ suggestionId: 'sforged', ...who, createdAt: '', fromType, fromLevel });
    const retyped = (attrs: Record<string, unknown>) => original.apply(original.tr.setNodeMarkup(pos, planSchema.nodes.heading, { level: 2, ...attrs })).doc.toJSON();
    expect(onlyOwnSuggestions(original.doc.toJSON(), retyped({}), ana.authorId)).toBe(false); // no record
    expect(onlyOwnSuggestions(original.doc.toJSON(), retyped({ suggestedType: record('paragraph', null) }), ana.authorId)).toBe(true);
    expect(onlyOwnSuggestions(original.doc.toJSON(), retyped({ suggestedType: record('heading', 2) }), ana.authorId)).toBe(false); // claims it was a heading
    expect(onlyOwnSuggestions(original.doc.toJSON(), retyped({ suggestedType: record('paragraph', null, beto) }), ana.authorId)).toBe(false); // someone else's record

    // Someone else's proposed type or block is theirs: dropping its record is not a suggestion.
    const byBeto = retype(original, beto, paragraphText, 'heading', { level: 2 });
    const accepted = byBeto.apply(byBeto.tr.setNodeAttribute(pos, 'suggestedType', null));
    expect(onlyOwnSuggestions(byBeto.doc.toJSON(), accepted.doc.toJSON(), ana.authorId)).toBe(false);
    const split = suggest(original, beto, (tr) => tr.split(find(tr.doc, paragraphText) + 7));
    const blockPos = blockAt(split.doc, 'la experiencia');
    const unproposed = split.apply(split.tr.setNodeAttribute(blockPos, 'suggestedInsert', null));
    expect(onlyOwnSuggestions(split.doc.toJSON(), unproposed.doc.toJSON(), ana.authorId)).toBe(false);
  });
});

describe('formatting suggestions: bold, italic, underline and strike proposed, accepted and rejected', () => {
  const phrase = 'Conocer la experiencia';
  const range = (doc: PMNode): [number, number] => [find(doc, phrase), find(doc, phrase) + phrase.length];
  const marksAt = (doc: PMNode, pos: number): string[] => doc.nodeAt(pos)!.marks.map((m) => m.type.name);

  it('proposes bold on a phrase: shown bold, recorded, accepted as plain bold, rejected back to the original', () => {
    const original = start();
    const [from, to] = range(original.doc);
    const suggested = suggest(original, ana, (tr) => tr.addMark(from, to, planSchema.marks.bold.create()));
    expect(marksAt(suggested.doc, from)).toEqual(expect.arrayContaining(['bold', 'formatChange']));
    const [summary] = collectSuggestions(suggested.doc.toJSON());
    expect(summary).toMatchObject({ authorId: ana.authorId, formatted: phrase, added: ['bold'], removed: [], inserted: '', deleted: '' });
    same(decide(suggested, 'reject').doc, original.doc);
    const plainTr = original.tr.addMark(from, to, planSchema.marks.bold.create());
    same(decide(suggested, 'accept').doc, original.apply(plainTr).doc);
  });

  it('proposes removing formatting, and taking back one’s own proposal leaves no suggestion', () => {
    const [from, to] = range(start().doc);
    const bolded = start().apply(start().tr.addMark(from, to, planSchema.marks.bold.create()));
    const unbold = suggest(bolded, beto, (tr) => tr.removeMark(from, to, planSchema.marks.bold));
    expect(marksAt(unbold.doc, from)).not.toContain('bold');
    expect(collectSuggestions(unbold.doc.toJSON())[0]).toMatchObject({ added: [], removed: ['bold'] });
    same(decide(unbold, 'reject').doc, bolded.doc);

    const italic = suggest(bolded, ana, (tr) => tr.addMark(from, to, planSchema.marks.italic.create()));
    const both = suggest(italic, ana, (tr) => tr.addMark(from, from + 6, planSchema.marks.underline.create()));
    expect(collectSuggestions(both.doc.toJSON())).toHaveLength(1); // the same proposal, extended
    expect(collectSuggestions(both.doc.toJSON())[0]).toMatchObject({ added: ['italic', 'underline'] });
    const back = suggest(suggest(both, ana, (tr) => tr.removeMark(from, to, planSchema.marks.italic)), ana, (tr) => tr.removeMark(from, from + 6, planSchema.marks.underline));
    expect(collectSuggestions(back.doc.toJSON())).toEqual([]);
    same(back.doc, bolded.doc);
  });

  it('formats one’s own proposed text directly; refuses someone else’s formatted text, links and code', () => {
    const original = start();
    const at = find(original.doc, phrase);
    const typed = suggest(original, ana, (tr) => tr.insertText('nuevo ', at));
    const formatted = suggest(typed, ana, (tr) => tr.addMark(at, at + 5, planSchema.marks.bold.create()));
    expect(marksAt(formatted.doc, at)).toEqual(['bold', 'insertion']);
    expect(collectSuggestions(formatted.doc.toJSON()).map((s) => s.formatted)).toEqual(['']);

    const [from, to] = range(original.doc);
    const byAna = suggest(original, ana, (tr) => tr.addMark(from, to, planSchema.marks.bold.create()));
    expect(suggestTransaction(byAna, byAna.tr.addMark(from, to, planSchema.marks.italic.create()), beto)).toEqual({ refused: 'overlap' });
    expect(suggestTransaction(original, original.tr.addMark(from, to, planSchema.marks.link.create({ href: 'https://example.org' })), ana)).toEqual({ refused: 'structure' });
    expect(suggestTransaction(original, original.tr.addMark(from, to, planSchema.marks.code.create()), ana)).toEqual({ refused: 'structure' });
  });

  it('the server rule: formatting passes only with its own record, complete and true', () => {
    const original = start();
    const [from, to] = range(original.doc);
    const plain = original.apply(original.tr.addMark(from, to, planSchema.marks.bold.create()));
    expect(onlyOwnSuggestions(original.doc.toJSON(), plain.doc.toJSON(), ana.authorId)).toBe(false);
    const record = (added: string[], removed: string[]) =>
      planSchema.marks.formatChange.create({ suggestionId: 'sforged', authorId: ana.authorId, authorName: 'Ana', color: '#1f5fbf', createdAt: '', added, removed });
    const withRecord = (mark: string, added: string[], removed: string[], who = ana.authorId) =>
      onlyOwnSuggestions(original.doc.toJSON(), original.apply(original.tr.addMark(from, to, planSchema.marks[mark].create()).addMark(from, to, record(added, removed))).doc.toJSON(), who);
    expect(withRecord('bold', ['bold'], [])).toBe(true);
    expect(withRecord('bold', ['italic'], [])).toBe(false); // recorded something else
    expect(withRecord('bold', ['bold'], ['italic'])).toBe(false); // claims italic was there
    expect(withRecord('bold', ['bold'], [], beto.authorId)).toBe(false); // someone else's record
  });
});
