/**
 * The milestone book: each plan's cooperation calendar, kept in the metadata store. Only the
 * owner edits it (the routes check the role); the schedule (scheduler.ts) reads it.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { VERSION_LIMITS, type Milestone } from '../../shared/versions.ts';
import { isTimeZone } from '../../shared/zoned-time.ts';
import type { MetaStore } from '../store/meta-store.ts';
import { VersionError, type Clock } from './types.ts';

const Instant = z.iso.datetime({ offset: true }).transform((value) => new Date(value).toISOString());
const TimeZone = z.string().refine(isTimeZone, 'not a known IANA time zone (e.g. America/Lima)');

/** A new milestone as the owner describes it. */
export const MilestoneInput = z.object({
  title: z.string().trim().min(1, 'write a title').max(VERSION_LIMITS.title),
  description: z.string().trim().max(VERSION_LIMITS.description).default(''),
  dueAt: Instant,
  timeZone: TimeZone,
});
export type MilestoneInput = z.infer<typeof MilestoneInput>;

/** Changes to a milestone (any subset of its fields). */
export const MilestonePatch = z
  .object({
    title: z.string().trim().min(1, 'write a title').max(VERSION_LIMITS.title),
    description: z.string().trim().max(VERSION_LIMITS.description),
    dueAt: Instant,
    timeZone: TimeZone,
  })
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, 'nothing to change');
export type MilestonePatch = z.infer<typeof MilestonePatch>;

/** Most milestones one plan may hold. */
export const MAX_MILESTONES = 200;

/** Milestones of every plan, in the metadata store. */
export class MilestoneBook {
  /** Called after every change, so the schedule can look again. */
  onChange: () => void = () => {};

  constructor(
    private readonly meta: MetaStore,
    private readonly now: Clock,
  ) {}

  /** A plan's milestones, earliest first. */
  list(documentId: string): Milestone[] {
    return this.meta.data.milestones.filter((m) => m.documentId === documentId).sort((a, b) => a.dueAt.localeCompare(b.dueAt) || a.id.localeCompare(b.id));
  }

  /** One milestone of a plan, or a 404. */
  get(documentId: string, milestoneId: string): Milestone {
    const milestone = this.meta.data.milestones.find((m) => m.id === milestoneId && m.documentId === documentId);
    if (!milestone) throw new VersionError(404, 'milestone_not_found', 'This milestone does not exist in this plan.');
    return milestone;
  }

  /** Every milestone of every plan whose time has come. */
  due(): Milestone[] {
    const now = this.now();
    return this.meta.data.milestones.filter((m) => Date.parse(m.dueAt) <= now).sort((a, b) => a.dueAt.localeCompare(b.dueAt));
  }

  /** The earliest instant of a milestone still ahead, if any. */
  nextDue(): number | null {
    const now = this.now();
    let next: number | null = null;
    for (const m of this.meta.data.milestones) {
      const at = Date.parse(m.dueAt);
      if (at > now && (next === null || at < next)) next = at;
    }
    return next;
  }

  /** Add a milestone to a plan. */
  async create(documentId: string, input: MilestoneInput): Promise<Milestone> {
    if (this.list(documentId).length >= MAX_MILESTONES) throw new VersionError(409, 'too_many_milestones', `A plan holds at most ${MAX_MILESTONES} milestones.`);
    const at = new Date(this.now()).toISOString();
    const milestone: Milestone = { id: randomUUID(), documentId, ...input, createdAt: at, updatedAt: at };
    await this.meta.update((data) => data.milestones.push(milestone));
    this.onChange();
    return milestone;
  }

  /** Change a milestone. */
  async update(documentId: string, milestoneId: string, patch: MilestonePatch): Promise<Milestone> {
    this.get(documentId, milestoneId);
    const updated = await this.meta.update((data) => {
      const milestone = data.milestones.find((m) => m.id === milestoneId && m.documentId === documentId);
      if (!milestone) throw new VersionError(404, 'milestone_not_found', 'This milestone does not exist in this plan.');
      Object.assign(milestone, patch, { updatedAt: new Date(this.now()).toISOString() });
      return { ...milestone };
    });
    this.onChange();
    return updated;
  }

  /** Remove a milestone (versions captured for it stay, with their names). */
  async remove(documentId: string, milestoneId: string): Promise<void> {
    this.get(documentId, milestoneId);
    await this.meta.update((data) => {
      data.milestones = data.milestones.filter((m) => !(m.id === milestoneId && m.documentId === documentId));
    });
    this.onChange();
  }
}
