/**
 * One timer for the saves of every open room. A room that has something to save waits on the
 * clock; the clock ticks every `grainMs` while any room waits and tells each one whose save is
 * due. Why not a timer per room: with a hundred busy plans, per-room timers woke the process
 * about once per keystroke (a debounce that moves with every update fires early and re-arms),
 * and each wake-up cost more than the keystroke's own work. With one clock the process wakes
 * at most 1000 / grainMs times a second for saving, however many plans are open, and the saves
 * due at once are started together.
 */

/** Something the clock can tell that its save may be due. */
export interface SaveWaiter {
  /** When the save is due (ms since the epoch). */
  saveDueAt(): number;
  /** Start the save; the waiter has been taken off the clock before this is called. */
  startSave(): void;
}

export class SaveClock {
  private readonly waiting = new Set<SaveWaiter>();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly grainMs: number) {}

  /** Tell `waiter` when its save is due, at most `grainMs` after it is. Idempotent. */
  watch(waiter: SaveWaiter): void {
    this.waiting.add(waiter);
    if (!this.timer) this.arm();
  }

  /** Stop watching `waiter` (it saved by other means, or it is going away). */
  unwatch(waiter: SaveWaiter): void {
    this.waiting.delete(waiter);
  }

  /** Stop ticking; waiters still on the clock are not told. */
  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.waiting.clear();
  }

  private arm(): void {
    this.timer = setTimeout(() => this.tick(), this.grainMs);
    // Never keeps the process alive by itself: shutdown saves explicitly.
    this.timer.unref();
  }

  private tick(): void {
    this.timer = null;
    const now = Date.now();
    for (const waiter of this.waiting) {
      if (waiter.saveDueAt() > now) continue;
      this.waiting.delete(waiter);
      waiter.startSave();
    }
    // A save that failed at once may have put its room back on the clock, and armed it.
    if (this.waiting.size > 0 && !this.timer) this.arm();
  }
}
