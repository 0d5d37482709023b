/**
 * The sample workspace a fresh install starts with: the SOVIO plan and one participant per
 * sample role, with an invite link each so a new user can try every role. No real names.
 */
import type { Role } from '../shared/roles.ts';
import { adminInvite } from './workspace/admin-commands.ts';
import type { MilestoneBook } from './versions/milestones.ts';
import { seedSampleCalendar } from './versions/sample-calendar.ts';
import type { Workspace } from './workspace/workspace.ts';

/** The sample participants: role, display name, delegation. */
export const SAMPLE_PEOPLE: Array<{ role: Role; name: string; delegation: string }> = [
  { role: 'owner', name: 'Coordinación MTPE', delegation: 'Perú · MTPE' },
  { role: 'editor', name: 'Especialista MTPE', delegation: 'Perú · MTPE' },
  { role: 'suggester', name: 'Equipo Orienta Panamá', delegation: 'Panamá · MITRADEL' },
  { role: 'commenter', name: 'Sección de Trabajo y Empleo', delegation: 'OEA' },
  { role: 'viewer', name: 'Misión Permanente', delegation: 'OEA' },
];

/** Create the sample plan, its milestone calendar (when given the book) and its invites; returns the links to print. */
export async function seedSampleWorkspace(workspace: Workspace, publicUrl: string, milestones?: MilestoneBook): Promise<{ documentId: string; invites: Array<{ role: Role; name: string; url: string }> }> {
  const doc = await workspace.createDocument({ title: 'Plan de Trabajo para la mejora del SOVIO', template: 'sovio', createdBy: null });
  const invites = [];
  for (const person of SAMPLE_PEOPLE) {
    const { url } = await adminInvite(workspace, publicUrl, { doc: doc.id, ...person, reusable: true, expiresInHours: 24 * 30 });
    invites.push({ role: person.role, name: person.name, url });
  }
  if (milestones) await seedSampleCalendar(milestones, doc.id);
  return { documentId: doc.id, invites };
}
