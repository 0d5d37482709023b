import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { JSONContent } from '@tiptap/core';
import { writePlanContent } from '../shared/plan-doc.ts';
import { YName } from '../shared/protocol.ts';
import { buildPlanModel } from '../server/export/plan-model.ts';
import { exportPlanMarkdown } from '../server/export/markdown.ts';
import { exportPlanHtml } from '../server/export/html.ts';
import { exportPlanDocx } from '../server/export/docx.ts';
import { docxParts } from './helpers/docx-reader.ts';
import { addCommentThread, findText, suggestInsertion } from './helpers/plan-fixtures.ts';

const AUTHOR = { id: 'u1', name: 'Revisora', delegation: 'OEA', color: '#336699' };
const SUGGESTION = { suggestionId: 's1', authorId: 'u2', authorName: 'Equipo Panamá', color: '#aa5500', createdAt: '2024-07-10T15:00:00.000Z' };

function planDoc(content: JSONContent[]): Y.Doc {
  const doc = new Y.Doc();
  writePlanContent(doc, { type: 'doc', content });
  return doc;
}
const p = (text: string, attrs?: Record<string, unknown>): JSONContent => ({ type: 'paragraph', ...(attrs ? { attrs } : {}), content: [{ type: 'text', text }] });
const snapshot = (doc: Y.Doc) => ({ state: Y.encodeStateAsUpdate(doc), title: 'Plan', versionName: null, date: '2024-09-10T15:00:00.000Z' });

describe('the plan model exports read', () => {
  it('anchors a comment to its passage through the Yjs positions, also past pending suggestions', () => {
    const doc = planDoc([p('Primer párrafo.'), p('Conocer la experiencia de Panamá.')]);
    suggestInsertion(doc, 'Conocer', ' bien', SUGGESTION);
    addCommentThread(doc, { id: 't1', quote: 'experiencia de Panamá', messages: [{ author: AUTHOR, body: '¿Cuál?', at: '2024-06-01T10:00:00.000Z' }] });
    const marked = buildPlanModel(snapshot(doc), { lang: 'es', suggestions: true });
    const [thread] = marked.threads;
    expect(thread.resolvedBy).toBe('anchor');
    expect(marked.doc.textBetween(thread.range!.from, thread.range!.to)).toBe('experiencia de Panamá');

    const clean = buildPlanModel(snapshot(doc), { lang: 'es', suggestions: false });
    expect(clean.doc.textContent).toBe('Primer párrafo.Conocer la experiencia de Panamá.');
    expect(clean.doc.textBetween(clean.threads[0].range!.from, clean.threads[0].range!.to)).toBe('experiencia de Panamá');
  });

  it('folds a block proposed as new back into the block before it when suggestions are left out', () => {
    const proposed = { suggestedInsert: SUGGESTION };
    const doc = planDoc([p('Inicio de la frase'), { type: 'paragraph', attrs: proposed, content: [{ type: 'text', text: ' y su final.' }] }, p('Otro párrafo.')]);
    const clean = buildPlanModel(snapshot(doc), { lang: 'es', suggestions: false });
    expect(clean.json.content!.map((block) => block.content?.map((t) => t.text).join(''))).toEqual(['Inicio de la frase y su final.', 'Otro párrafo.']);
    const html = exportPlanHtml(buildPlanModel(snapshot(doc), { lang: 'es', suggestions: true }), { comments: false });
    expect(html).toMatch(/<p[^>]*data-suggested-insert="s1"[^>]*> y su final\.<\/p>/);
  });

  it('falls back to the quoted text when the anchored passage was rewritten, and keeps threads whose text is gone', () => {
    const doc = planDoc([p('Una frase con el pasaje comentado.')]);
    addCommentThread(doc, { id: 't1', quote: 'pasaje comentado', messages: [{ author: AUTHOR, body: 'Nota', at: '2024-06-01T10:00:00.000Z' }] });
    addCommentThread(doc, { id: 't2', quote: 'Una frase', messages: [{ author: AUTHOR, body: 'Otra', at: '2024-06-02T10:00:00.000Z' }] });
    // Replace the whole paragraph with a new one that still contains the first quote.
    const body = doc.getXmlFragment(YName.body);
    body.delete(0, 1);
    const paragraph = new Y.XmlElement('paragraph');
    const text = new Y.XmlText();
    paragraph.insert(0, [text]);
    body.insert(0, [paragraph]);
    text.insert(0, 'Texto nuevo con el pasaje comentado.');
    const model = buildPlanModel(snapshot(doc), { lang: 'en', suggestions: true });
    const byId = Object.fromEntries(model.threads.map((t) => [t.thread.id, t]));
    expect(byId.t1.resolvedBy).toBe('quote');
    expect(model.doc.textBetween(byId.t1.range!.from, byId.t1.range!.to)).toBe('pasaje comentado');
    expect(byId.t2).toMatchObject({ resolvedBy: 'none', range: null });
    expect(findText(doc, 'Texto nuevo')).toBeTruthy();
    expect(exportPlanMarkdown(model, { comments: true })).toContain('_«Una frase»_ (passage deleted)');
  });

  it('escapes text in Markdown so that nothing typed turns into syntax', () => {
    const doc = planDoc([p('# no es un título'), p('1. tampoco una lista, ni *esto* ni [esto](http://x) ni <b>esto</b>')]);
    const md = exportPlanMarkdown(buildPlanModel(snapshot(doc), { lang: 'es', suggestions: true }), { comments: false });
    expect(md).toContain('\\# no es un título');
    expect(md).toContain('1\\. tampoco una lista, ni \\*esto\\* ni \\[esto\\](http://x) ni \\<b\\>esto\\</b\\>');
  });

  it('shows proposed formatting with suggestions (in Word as tracked formatting changes), and the text as it was without them', async () => {
    const format = (added: string[], removed: string[]) => ({ type: 'formatChange', attrs: { ...SUGGESTION, added, removed } });
    const doc = planDoc([
      { type: 'paragraph', content: [{ type: 'text', text: 'Meta ' }, { type: 'text', text: 'prioritaria', marks: [{ type: 'bold' }, format(['bold'], [])] }, { type: 'text', text: ' y ' }, { type: 'text', text: 'secundaria', marks: [format([], ['italic'])] }] },
    ]);
    const marksOf = (model: ReturnType<typeof buildPlanModel>, text: string) => {
      let found: string[] = [];
      model.doc.descendants((node) => {
        if (node.isText && node.text === text) found = node.marks.map((m) => m.type.name);
        return true;
      });
      return found;
    };
    const marked = buildPlanModel(snapshot(doc), { lang: 'es', suggestions: true });
    expect(marksOf(marked, 'prioritaria')).toEqual(['bold', 'formatChange']);
    const clean = buildPlanModel(snapshot(doc), { lang: 'es', suggestions: false });
    expect(marksOf(clean, 'prioritaria')).toEqual([]);
    expect(marksOf(clean, 'secundaria')).toEqual(['italic']);
    expect(exportPlanMarkdown(clean, { comments: false })).toContain('Meta prioritaria y _secundaria_');
    expect(exportPlanMarkdown(marked, { comments: false })).toContain('Meta **prioritaria** y secundaria');
    // Word: a tracked formatting change whose "before" is the run without the proposal.
    const xml = docxParts(await exportPlanDocx(marked, { comments: false, suggestions: true }))['word/document.xml'];
    const changes = [...xml.matchAll(/<w:rPrChange ([^>]*)>([\s\S]*?)<\/w:rPrChange>/g)];
    expect(changes).toHaveLength(2);
    expect(changes[0][1]).toContain('w:author="Equipo Panamá"');
    expect(changes[0][2]).toContain('<w:b w:val="false"/>'); // "prioritaria" was not bold before
    expect(changes[1][2]).toContain('<w:i/>'); // "secundaria" was italic before
    expect(docxParts(await exportPlanDocx(clean, { comments: false, suggestions: false }))['word/document.xml']).not.toContain('w:rPrChange');
    expect(exportPlanHtml(marked, { comments: false })).toMatch(/<strong>[^<]*prioritaria|prioritaria<\/strong>|<strong><span[^>]*>prioritaria/);
  });

  it('shows proposed block types with suggestions (in Word as tracked paragraph changes), and the types as they were without them', async () => {
    const retype = (fromType: string, fromLevel: number | null) => ({ ...SUGGESTION, fromType, fromLevel });
    const doc = planDoc([
      { type: 'heading', attrs: { level: 2, suggestedType: retype('paragraph', null) }, content: [{ type: 'text', text: 'Antes un párrafo' }] },
      p('Antes un título', { suggestedType: retype('heading', 3) }),
      p('Sin cambios'),
    ]);
    const kinds = (model: ReturnType<typeof buildPlanModel>) => {
      const out: string[] = [];
      model.doc.forEach((node) => out.push(node.type.name === 'heading' ? `h${node.attrs.level}` : node.type.name));
      return out;
    };
    const marked = buildPlanModel(snapshot(doc), { lang: 'es', suggestions: true });
    const clean = buildPlanModel(snapshot(doc), { lang: 'es', suggestions: false });
    expect(kinds(marked)).toEqual(['h2', 'paragraph', 'paragraph']);
    expect(kinds(clean)).toEqual(['paragraph', 'h3', 'paragraph']);
    expect(exportPlanMarkdown(clean, { comments: false })).toContain('### Antes un título');
    expect(exportPlanMarkdown(marked, { comments: false })).toContain('## Antes un párrafo');
    // Word: a tracked paragraph change whose "before" holds the style the paragraph had.
    const xml = docxParts(await exportPlanDocx(marked, { comments: false, suggestions: true }))['word/document.xml'];
    const changes = [...xml.matchAll(/<w:pPrChange ([^>]*)>([\s\S]*?)<\/w:pPrChange>/g)];
    expect(changes).toHaveLength(2);
    expect(changes[0][1]).toContain('w:author="Equipo Panamá"');
    expect(changes[0][2]).toMatch(/^<w:pPr\s*\/>$|^<w:pPr><\/w:pPr>$/); // a plain paragraph before
    expect(changes[1][2]).toContain('<w:pStyle w:val="Heading3"/>');
    expect(docxParts(await exportPlanDocx(clean, { comments: false, suggestions: false }))['word/document.xml']).not.toContain('w:pPrChange');
  });
});
