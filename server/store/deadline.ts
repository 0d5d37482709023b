/**
 * A timer for writes that may wait until a deadline: each caller says how long its change may
 * wait, and the write runs by the earliest deadline asked for; a later one never postpones it.
 */
export class EarliestDeadline {
  private timer: NodeJS.Timeout | null = null;
  private due = 0;

  constructor(private readonly fire: () => void) {}

  /** Make sure `fire` runs within `withinMs` from now (sooner if already due sooner). */
  within(withinMs: number): void {
    const due = Date.now() + withinMs;
    if (this.timer && this.due <= due) return;
    if (this.timer) clearTimeout(this.timer);
    this.due = due;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.fire();
    }, withinMs);
    this.timer.unref?.();
  }

  /** Forget the pending deadline (the caller writes now). */
  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
