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
  /** Least time between two collections (default 10 s): a full collection pauses the server. */
  minIntervalMs?: number;
  /**
   * How long no client may have sent anything before collecting (default 2 s). A full
   * collection pauses every plan still open (~80 ms with 100 plans being typed in, measured),
   * so it waits for a quiet moment; a server that is never quiet collects on its own as it
   * allocates, and it is the idle server that kept its memory.
   */
  quietMs?: number;
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

  private readonly quietMs: number;

  constructor(
    private readonly logger: Logger,
    /** Milliseconds since any client last sent anything. */
    private readonly quietForMs: () => number,
    options: ReclaimOptions = {},
  ) {
    this.settleMs = options.settleMs ?? 5000;
    this.quietMs = options.quietMs ?? 2000;
    this.minIntervalMs = options.minIntervalMs ?? 10_000;
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
    const quiet = this.quietForMs();
    if (quiet < this.quietMs) {
      this.schedule(this.quietMs - quiet);
      return;
    }
    const before = process.memoryUsage();
    const started = performance.now();
    // Twice: the first frees the closed plans' objects, the second (cheap, little left to
    // find) lets V8 shrink the heap it had sized for them (measured: heapTotal 84 → 73 MiB
    // after one collection). The young generation does not shrink this way: its size is
    // capped at start (docs/decisions.md); the log shows each space's size.
    this.gc();
    this.gc();
    this.lastRun = Date.now();
    const unloads = this.unloads;
    this.unloads = 0;
    const after = process.memoryUsage();
    // Freed pages go back to the system over the next moments: RSS is logged again later.
    this.logger.info('memory.reclaimed', {
      unloads,
      ms: Math.round(performance.now() - started),
      rssMiB: mib(before.rss),
      heapUsedMiB: `${mib(before.heapUsed)} → ${mib(after.heapUsed)}`,
      heapTotalMiB: `${mib(before.heapTotal)} → ${mib(after.heapTotal)}`,
      externalMiB: `${mib(before.external)} → ${mib(after.external)}`,
      spacesMiB: Object.fromEntries(v8.getHeapSpaceStatistics().map((space) => [space.space_name, mib(space.space_size)])),
    });
    setTimeout(() => this.logger.info('memory.after_reclaim', { rssMiB: mib(process.memoryUsage.rss()) }), 3000).unref();
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}

function mib(bytes: number): number {
  return Math.round((bytes / 1048576) * 10) / 10;
}
