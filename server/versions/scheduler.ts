/**
 * The milestone schedule: when a milestone's time passes, its version is captured by the
 * server. It checks on an interval and also sets a timer for the next milestone, and on start
 * it catches up on milestones that passed while the server was down. A milestone counts as
 * done once any version names it, so nothing is captured twice (also across restarts).
 */
import type { Logger } from '../collab/types.ts';
import type { MilestoneBook } from './milestones.ts';
import { MAX_TIMER_MS, MILESTONE_CHECK_MS, type Clock } from './types.ts';
import type { VersionService } from './version-service.ts';

/** How the schedule runs. */
export interface SchedulerOptions {
  versions: VersionService;
  milestones: MilestoneBook;
  documentExists(documentId: string): boolean;
  logger: Logger;
  now: Clock;
  /** Periodic check (default MILESTONE_CHECK_MS). */
  checkEveryMs?: number;
}

/** Captures milestone versions when they fall due. */
export class MilestoneScheduler {
  private interval: NodeJS.Timeout | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;
  private again = false;
  private stopped = true;
  /** Milestones whose capture failed, so the log says so once rather than every check. */
  private readonly failed = new Set<string>();

  constructor(private readonly options: SchedulerOptions) {}

  /** Catch up on every milestone already due, then keep checking. Resolves after the catch-up. */
  async start(): Promise<number> {
    this.stopped = false;
    const every = this.options.checkEveryMs ?? MILESTONE_CHECK_MS;
    this.interval = setInterval(() => void this.check(), every);
    this.interval.unref();
    this.options.milestones.onChange = () => void this.check();
    return this.check();
  }

  /** Stop checking; resolves once a capture in progress has finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.interval) clearInterval(this.interval);
    if (this.timer) clearTimeout(this.timer);
    this.interval = this.timer = null;
    this.options.milestones.onChange = () => {};
    await this.running?.catch(() => {});
  }

  /** Capture every due milestone that has no version yet; resolves with how many were captured. */
  check(): Promise<number> {
    if (this.running) {
      // A milestone may have changed during this run: look once more afterwards.
      this.again = true;
      return this.running;
    }
    this.running = this.captureDue().finally(() => {
      this.running = null;
      if (this.again && !this.stopped) {
        this.again = false;
        void this.check();
      } else this.arm();
    });
    return this.running;
  }

  private async captureDue(): Promise<number> {
    const { versions, milestones, documentExists, logger } = this.options;
    let captured = 0;
    for (const milestone of milestones.due()) {
      if (this.stopped) break;
      if (!documentExists(milestone.documentId)) continue;
      try {
        const views = await versions.milestoneViews(milestone.documentId);
        if (views.find((m) => m.id === milestone.id)?.versionId) continue;
        await versions.captureVersion(milestone.documentId, { name: milestone.title, milestoneId: milestone.id, capturedBy: { kind: 'system', source: 'milestone' } });
        captured++;
        this.failed.delete(milestone.id);
      } catch (error) {
        if (!this.failed.has(milestone.id)) logger.error('milestone.capture_failed', { documentId: milestone.documentId, milestoneId: milestone.id, error: (error as Error).message });
        this.failed.add(milestone.id);
      }
    }
    return captured;
  }

  /** Set a timer for the next milestone ahead, so it is captured on time rather than at the next check. */
  private arm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.stopped) return;
    const next = this.options.milestones.nextDue();
    if (next === null) return;
    this.timer = setTimeout(() => void this.check(), Math.min(Math.max(next - this.options.now(), 0) + 5, MAX_TIMER_MS));
    this.timer.unref();
  }
}
