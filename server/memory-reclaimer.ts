/**
 * Giving memory back after plans close. When a plan's last person leaves, its room is saved
 * and dropped, but V8 collects old garbage lazily and keeps the pages it has: a server that
 * had a thousand plans open stays at that size for a long time (measured: no change 20 s
 * after they all left). Once unloads have settled, this runs one full collection, at most
 * once per interval, so that the process shrinks back towards what is still open.
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import type { Logger } from './collab/types.ts';

export interface ReclaimOptions {
  /** Quiet time after the last unload before collecting (default 5 s). */
  settleMs?: number;
  /** Least time between two collections (default 30 s): a full collection pauses the server. */
  minIntervalMs?: number;
}

/** V8's full collection, made callable without starting Node with --expose-gc. */
function fullCollection(): (() => void) | null {
  try {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as unknown;
    return typeof gc === 'function' ? (gc as () => void) : null;
  } catch {
    return null;
  }
}

export class MemoryReclaimer {
  private readonly gc = fullCollection();
  private timer: NodeJS.Timeout | null = null;
  private lastRun = 0;
  private unloads = 0;
  private readonly settleMs: number;
  private readonly minIntervalMs: number;

  constructor(private readonly logger: Logger, options: ReclaimOptions = {}) {
    this.settleMs = options.settleMs ?? 5000;
    this.minIntervalMs = options.minIntervalMs ?? 30_000;
    if (!this.gc) logger.warn('memory.reclaim_unavailable', {});
  }

  /** A plan was unloaded: collect once things are quiet. */
  noteUnload(): void {
    if (!this.gc) return;
    this.unloads++;
    this.schedule(this.settleMs);
  }

  private schedule(delay: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.run(), Math.max(delay, this.lastRun + this.minIntervalMs - Date.now()));
    this.timer.unref();
  }

  private run(): void {
    this.timer = null;
    if (!this.gc || this.unloads === 0) return;
    const before = process.memoryUsage.rss();
    const started = performance.now();
    this.gc();
    this.lastRun = Date.now();
    const unloads = this.unloads;
    this.unloads = 0;
    this.logger.info('memory.reclaimed', { unloads, ms: Math.round(performance.now() - started), rssBeforeMiB: mib(before), rssAfterMiB: mib(process.memoryUsage.rss()) });
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}

function mib(bytes: number): number {
  return Math.round((bytes / 1048576) * 10) / 10;
}
