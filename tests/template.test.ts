import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { encodePlanContent, planText, readPlanContent } from '../shared/plan-doc.ts';
import { ACTIONS_TABLE_HEADER, SOVIO_SECTIONS, sovioTemplate, blankTemplate } from '../shared/template.ts';
import { planSchema } from '../shared/schema.ts';
import type { JSONContent } from '@tiptap/core';

function roundTrip(content: JSONContent): JSONContent {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, encodePlanContent(content));
  return readPlanContent(doc);
}

function find(node: JSONContent, type: string): JSONContent[] {
  const found = node.type === type ? [node] : [];
  return found.concat(...(node.content ?? []).map((c) => find(c, type)));
}

describe('plan templates', () => {
  it('the SOVIO template has the sections of the terms of reference, in order', () => {
    const plan = roundTrip(sovioTemplate());
    const sections = find(plan, 'heading').filter((h) => h.attrs?.level === 2).map((h) => planText(h));
    expect(sections).toEqual(SOVIO_SECTIONS);
    expect(sections.map((s) => s.replace(/^\d+\.\s*/, '').toLowerCase())).toEqual([
      'antecedentes', 'objetivos', 'diagnóstico del sovio', 'aprendizajes de orienta panamá', 'acciones de mejora', 'cronograma', 'seguimiento y evaluación', 'próximos pasos',
    ]);
    const text = planText(plan);
    for (const phrase of ['Objetivo general', 'Objetivos específicos', 'Intervención principal', 'Intervención complementaria', 'Ferias vocacionales', 'Visitas guiadas a empresas', 'Paneles de éxito', 'Charlas para padres', 'Charlas informativas y seminarios', 'Articulación con el Ministerio de Educación', 'Guías de orientación vocacional', 'Talleres para docentes y jóvenes líderes', 'Grado 9º', 'Grados 10º y 11º', 'Grado 12º']) {
      expect(text).toContain(phrase);
    }
  });

  it('the "acciones de mejora" table sits under its section with acción, responsable, plazo, indicador, meta', () => {
    const plan = roundTrip(sovioTemplate());
    const blocks = plan.content!;
    const sectionAt = blocks.findIndex((b) => b.type === 'heading' && planText(b) === '5. Acciones de mejora');
    expect(blocks[sectionAt + 1].type).toBe('table');
    const header = find(blocks[sectionAt + 1], 'tableHeader').map((c) => planText(c));
    expect(header).toEqual(ACTIONS_TABLE_HEADER);
    expect(header.map((h) => h.toLowerCase())).toEqual(['acción', 'responsable', 'plazo', 'indicador', 'meta']);
    expect(find(blocks[sectionAt + 1], 'tableRow').length).toBeGreaterThan(1);
  });

  it('templates are valid documents of the shared editor schema', () => {
    expect(() => planSchema.nodeFromJSON(roundTrip(sovioTemplate())).check()).not.toThrow();
    expect(() => planSchema.nodeFromJSON(roundTrip(blankTemplate('Nuevo'))).check()).not.toThrow();
  });

  it('sample content names no person', () => {
    const text = planText(sovioTemplate());
    expect(text).not.toMatch(/\b(Sr\.|Sra\.|Dr\.|Lic\.)/);
  });
});
