/**
 * Plan templates as ProseMirror JSON. The SOVIO template follows the outline of the
 * cooperation's terms of reference (PRODUCT.md, sample workspace); it names no person.
 */
import type { JSONContent } from '@tiptap/core';

/** Templates a new plan can start from. */
export const TEMPLATES = ['sovio', 'blank'] as const;
export type TemplateName = (typeof TEMPLATES)[number];

const text = (value: string): JSONContent => ({ type: 'text', text: value });
const p = (value = ''): JSONContent => (value ? { type: 'paragraph', content: [text(value)] } : { type: 'paragraph' });
const h = (level: 1 | 2 | 3, value: string): JSONContent => ({ type: 'heading', attrs: { level }, content: [text(value)] });
const bullets = (...items: string[]): JSONContent => ({
  type: 'bulletList',
  content: items.map((item) => ({ type: 'listItem', content: [p(item)] })),
});
const numbered = (...items: string[]): JSONContent => ({
  type: 'orderedList',
  attrs: { start: 1 },
  content: items.map((item) => ({ type: 'listItem', content: [p(item)] })),
});
const cell = (type: 'tableHeader' | 'tableCell', value: string): JSONContent => ({
  type,
  attrs: { colspan: 1, rowspan: 1, colwidth: null },
  content: [p(value)],
});
const table = (header: string[], rows: string[][]): JSONContent => ({
  type: 'table',
  content: [
    { type: 'tableRow', content: header.map((value) => cell('tableHeader', value)) },
    ...rows.map((row) => ({ type: 'tableRow', content: row.map((value) => cell('tableCell', value)) })),
  ],
});

/** Column headings of the "acciones de mejora" table. */
export const ACTIONS_TABLE_HEADER = ['Acción', 'Responsable', 'Plazo', 'Indicador', 'Meta'];

/** Section headings (level 2) of the SOVIO plan template, in order. */
export const SOVIO_SECTIONS = [
  '1. Antecedentes',
  '2. Objetivos',
  '3. Diagnóstico del SOVIO',
  '4. Aprendizajes de Orienta Panamá',
  '5. Acciones de mejora',
  '6. Cronograma',
  '7. Seguimiento y evaluación',
  '8. Próximos pasos',
];

/** The sample plan: "Plan de Trabajo para la mejora del SOVIO". */
export function sovioTemplate(): JSONContent {
  const [antecedentes, objetivos, diagnostico, aprendizajes, acciones, cronograma, seguimiento, pasos] = SOVIO_SECTIONS;
  return {
    type: 'doc',
    content: [
      h(1, 'Plan de Trabajo para la mejora del SOVIO'),
      p('Servicio de Orientación Vocacional e Información Ocupacional (SOVIO) del Ministerio de Trabajo y Promoción del Empleo del Perú, elaborado en el marco de la cooperación bilateral RIAL-OEA con el Ministerio de Trabajo y Desarrollo Laboral de Panamá.'),
      h(2, antecedentes),
      p('La actividad de cooperación bilateral entre el MTPE de Perú y el MITRADEL de Panamá sobre orientación vocacional y empleo fue seleccionada en la 17ª Convocatoria de la Red Interamericana para la Administración Laboral (RIAL) de la OEA, para realizarse de manera virtual.'),
      h(2, objetivos),
      h(3, 'Objetivo general'),
      p('Conocer la experiencia de Panamá y extraer buenas prácticas y lecciones aprendidas a fin de ser consideradas para la mejora del SOVIO.'),
      h(3, 'Objetivos específicos'),
      bullets(
        'Conocer las metodologías y herramientas utilizadas, su articulación con el sector educativo y sus estrategias para generar información prospectiva para la orientación vocacional y socio ocupacional de jóvenes.',
        'Conocer el impacto del servicio: indicadores e instrumentos, resultados y lecciones.',
      ),
      h(2, diagnostico),
      h(3, 'Intervención principal'),
      p('Se desarrolla en tres etapas:'),
      numbered(
        'Servicio de orientación e información.',
        'Exploración de características personales.',
        'Retroalimentación y asesoría.',
      ),
      h(3, 'Intervención complementaria'),
      bullets('Ferias vocacionales.', 'Visitas guiadas a empresas.', 'Paneles de éxito.', 'Charlas para padres.', 'Charlas informativas y seminarios.'),
      h(2, aprendizajes),
      h(3, 'Articulación con el Ministerio de Educación'),
      p('Convenio de cooperación interinstitucional y oportunidades para llegar a más instituciones educativas.'),
      h(3, 'Guías de orientación vocacional'),
      p('Guías entregadas a los estudiantes como material de apoyo del programa.'),
      h(3, 'Talleres para docentes y jóvenes líderes'),
      p('Talleres para profesores de orientación y para estudiantes líderes.'),
      h(3, 'Sesiones por grado'),
      bullets('Grado 9º.', 'Grados 10º y 11º.', 'Grado 12º.'),
      h(2, acciones),
      table(ACTIONS_TABLE_HEADER, [
        ['Firmar un convenio de articulación con el Ministerio de Educación', 'Dirección de Formación para el Empleo', 'Diciembre 2024', 'Convenio firmado', '1 convenio'],
        ['Elaborar guías de orientación vocacional por grado', 'Equipo SOVIO', 'Marzo 2025', 'Guías publicadas', '3 guías'],
        ['Realizar talleres para docentes orientadores', 'Equipo SOVIO', 'Junio 2025', 'Docentes capacitados', '200 docentes'],
      ]),
      h(2, cronograma),
      p('Calendario de implementación de las acciones de mejora.'),
      h(2, seguimiento),
      p('Indicadores, instrumentos y responsables del seguimiento y la evaluación del plan.'),
      h(2, pasos),
      p('Pasos a seguir por parte del MTPE tras la tercera sesión de cooperación.'),
    ],
  };
}

/** A blank plan: a title and one empty paragraph. */
export function blankTemplate(title: string): JSONContent {
  return { type: 'doc', content: [h(1, title || 'Plan sin título'), p()] };
}

/** The ProseMirror JSON of a template. */
export function templateContent(name: TemplateName, title: string): JSONContent {
  return name === 'sovio' ? sovioTemplate() : blankTemplate(title);
}
