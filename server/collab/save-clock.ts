/**
 * One timer for the saves of every open room. A room that has something to save waits on the
 * clock; the clock wakes when the earliest save is due (never more often than every `grainMs`)
 * and starts the saves that are due, one per turn of the event loop.
 *
 * Why not a timer per room: with a hundred busy plans, per-room timers woke the process about
 * once per keystroke (a debounce that moves with every update fires early and re-arms), and
 * each wake-up cost more than the keystroke's own work. Why one save per turn: saves that fall
 * due together (plans opened at the same moment stay in step) would otherwise run back to back
 * while every keystroke waits; between two of them the loop reads the sockets.
 */

/** Something the clock can tell that its save may be due. */
export interface SaveWaiter {
  /** When the save is due (ms since the epoch); it may move later while waiting, never earlier than told. */
  saveDueAt(): number;
  /** Start the save; the waiter has been taken off the clock before this is called. */
  startSave(): void;
}

/** Longest the timer is set for: saves are due within seconds; this only keeps setTimeout's range. */
const MAX_WAIT_MS = 60_000;

export class SaveClock {
  private readonly waiting = new Set<SaveWaiter>();
  /** Due saves not started yet, in the order they were found due. */
  private readonly due: SaveWaiter[] = [];
  private timer: NodeJS.Timeout | null = null;
  /** When the timer fires (ms since the epoch). */
  private timerAt = 0;
  private starting: NodeJS.Immediate | null = null;

  constructor(private readonly grainMs: number) {}

  /** Start `waiter`'s save once it is due (at most `grainMs` after, when the loop is free). Idempotent. */
  watch(waiter: SaveWaiter): void {
    this.waiting.add(waiter);
    const dueAt = waiter.saveDueAt();
    // A timer already set for before this save is due will see it: nothing to do.
    if (this.timer && this.timerAt <= dueAt) return;
    this.arm(dueAt);
  }

  /** Stop watching `waiter` (it saved by other means, or it is going away). */
  unwatch(waiter: SaveWaiter): void {
    this.waiting.delete(waiter);
    const queued = this.due.indexOf(waiter);
    if (queued >= 0) this.due.splice(queued, 1);
  }

  /** Stop; waiters still on the clock are not told. */
  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.starting) clearImmediate(this.starting);
    this.timer = null;
    this.starting = null;
    this.waiting.clear();
    this.due.length = 0;
  }

  /** Set the timer for `dueAt`, but no sooner than a grain from now (and no later than a minute). */
  private arm(dueAt: number): void {
    if (this.timer) clearTimeout(this.timer);
    const wait = Math.min(MAX_WAIT_MS, Math.max(this.grainMs, dueAt - Date.now()));
    this.timerAt = Date.now() + wait;
    this.timer = setTimeout(() => this.tick(), wait);
    // Never keeps the process alive by itself: shutdown saves explicitly.
    this.timer.unref();
  }

  private tick(): void {
    this.timer = null;
    const now = Date.now();
    let next = Number.POSITIVE_INFINITY;
    for (const waiter of this.waiting) {
      const dueAt = waiter.saveDueAt();
      if (dueAt > now) {
        next = Math.min(next, dueAt);
        continue;
      }
      this.waiting.delete(waiter);
      this.due.push(waiter);
    }
    if (this.due.length > 0 && !this.starting) this.startNext();
    if (this.waiting.size > 0 && !this.timer) this.arm(next);
  }

  /** Start the first due save, and the next one in the next turn of the loop. */
  private readonly startNext = (): void => {
    this.starting = null;
    const waiter = this.due.shift();
    if (!waiter) return;
    if (this.due.length > 0) this.starting = setImmediate(this.startNext);
    waiter.startSave();
  };
}
