/**
 * The operations of the command-line admin. The CLI runs them directly on a stopped
 * server's data, or asks a running server to run them (so nothing writes the files twice).
 */
import { z } from 'zod';
import { ROLES } from '../../shared/roles.ts';
import { TEMPLATES } from '../../shared/template.ts';
import { inviteUrl, MAX_INVITE_HOURS, type Workspace } from './workspace.ts';

/** Input of `doc create`. */
export const DocCreateInput = z.object({ title: z.string().trim().min(1).max(200), template: z.enum(TEMPLATES).default('sovio') });
/** Input of `invite`. */
export const InviteInput = z.object({
  doc: z.string().min(1).max(64),
  role: z.enum(ROLES),
  name: z.string().trim().min(1).max(120),
  delegation: z.string().trim().min(1).max(120).default('Sin delegación'),
  reusable: z.boolean().default(true),
  expiresInHours: z.number().positive().max(MAX_INVITE_HOURS).default(24 * 30),
});

/** `doc create`: a new plan with no participants yet (invite an owner next). */
export async function adminCreateDocument(workspace: Workspace, input: z.infer<typeof DocCreateInput>): Promise<{ id: string }> {
  const doc = await workspace.createDocument({ title: input.title, template: input.template, createdBy: null });
  return { id: doc.id };
}

/** `invite`: add a person with a role to a plan and make their invite link. */
export async function adminInvite(workspace: Workspace, publicUrl: string, input: z.infer<typeof InviteInput>): Promise<{ url: string; token: string; userId: string }> {
  const participant = await workspace.addParticipant(input.doc, { name: input.name, delegation: input.delegation, role: input.role, invitedBy: null });
  const { token } = await workspace.createInvite(input.doc, { userId: participant.userId, reusable: input.reusable, expiresInHours: input.expiresInHours, createdBy: null });
  return { url: inviteUrl(publicUrl, token), token, userId: participant.userId };
}
