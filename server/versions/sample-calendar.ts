/**
 * The milestone calendar of the sample cooperation (PRODUCT.md, sample workspace): all dates
 * 2024, in Lima time. Sessions are set at 09:00 (when they start), deadlines at 23:59 of their
 * day, and the final plan at 30 September 2024, 23:59 (the brief names no date; the month after
 * the third session). On a fresh install these dates are all past, so the server captures every
 * sample milestone's version at its first start (docs/versions.md).
 */
import { zonedToUtc } from '../../shared/zoned-time.ts';
import type { MilestoneBook } from './milestones.ts';

/** Time zone of the sample cooperation. */
export const SAMPLE_TIME_ZONE = 'America/Lima';

/** The sample calendar: title, local date and time, description. */
export const SAMPLE_CALENDAR: ReadonlyArray<{ title: string; date: string; time: string; description: string }> = [
  { title: 'Reunión de coordinación', date: '2024-04-29', time: '09:00', description: 'Reunión de coordinación entre el MTPE, el MITRADEL y la OEA.' },
  { title: 'Primera sesión de cooperación', date: '2024-05-24', time: '09:00', description: 'El MITRADEL presenta la experiencia de Orienta Panamá.' },
  { title: 'MITRADEL comparte documentos', date: '2024-06-07', time: '23:59', description: 'Plazo para que el MITRADEL comparta guías y documentos de referencia.' },
  { title: 'MTPE envía preguntas', date: '2024-06-25', time: '23:59', description: 'Plazo para que el MTPE envíe sus preguntas sobre la experiencia panameña.' },
  { title: 'Segunda sesión de cooperación', date: '2024-07-10', time: '09:00', description: 'Respuestas del MITRADEL y retroalimentación sobre el diagnóstico del SOVIO.' },
  { title: 'MTPE envía el plan preliminar', date: '2024-08-30', time: '23:59', description: 'Plazo para el envío del plan de trabajo preliminar.' },
  { title: 'Tercera sesión de cooperación', date: '2024-09-10', time: '09:00', description: 'Revisión conjunta del plan preliminar.' },
  { title: 'Plan final', date: '2024-09-30', time: '23:59', description: 'Versión final del plan de trabajo para la mejora del SOVIO.' },
];

/** Add the sample calendar to a plan. */
export async function seedSampleCalendar(milestones: MilestoneBook, documentId: string): Promise<void> {
  for (const entry of SAMPLE_CALENDAR) {
    await milestones.create(documentId, { title: entry.title, description: entry.description, dueAt: zonedToUtc(entry.date, entry.time, SAMPLE_TIME_ZONE), timeZone: SAMPLE_TIME_ZONE });
  }
}
