import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { constants as fsConstants } from 'node:fs';
import path from 'node:path';
import { SaveClock, type SaveWaiter } from '../server/collab/save-clock.ts';
import { FileDocumentStorage } from '../server/store/file-document-storage.ts';
import { removeDir, tempDataDir } from './helpers/server.ts';

/** A room stand-in: due at a fixed time, counting how often it is asked and started. */
class Waiter implements SaveWaiter {
  asked = 0;
  started: number[] = [];
  constructor(public dueAt: number, private readonly onStart: (w: Waiter) => void = () => {}) {}
  saveDueAt(): number {
    this.asked++;
    return this.dueAt;
  }
  startSave(): void {
    this.started.push(Date.now());
    this.onStart(this);
  }
}

describe('the save clock', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate', 'Date'] });
    vi.setSystemTime(0);
  });
  afterEach(() => vi.useRealTimers());

  it('starts a lone save when it is due, never before, and then stops ticking', () => {
    const clock = new SaveClock(50);
    const waiter = new Waiter(120);
    clock.watch(waiter);
    vi.advanceTimersByTime(119);
    expect(waiter.started).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(waiter.started).toEqual([120]);
    const asked = waiter.asked;
    vi.advanceTimersByTime(1000);
    expect(waiter.asked).toBe(asked);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('follows a save that moves later (a debounce) without waking at every move', () => {
    const clock = new SaveClock(50);
    const waiter = new Waiter(200);
    clock.watch(waiter);
    // Updates keep arriving: the save moves to 200 ms after the last, at most 800 ms after the first.
    for (let t = 0; t < 1000; t += 20) {
      if (waiter.started.length === 0) waiter.dueAt = Math.min(t + 200, 800);
      vi.advanceTimersByTime(20);
    }
    expect(waiter.started).toEqual([800]);
    expect(waiter.asked).toBeLessThanOrEqual(6);
  });

  it('wakes at most once per grain however many rooms wait, and starts each save within a grain of its time', () => {
    const clock = new SaveClock(50);
    // A room that is never due counts the wake-ups: each asks every waiter once.
    const sentinel = new Waiter(1e12);
    clock.watch(sentinel);
    const rooms = Array.from({ length: 200 }, (_, i) => new Waiter(1 + 5 * i));
    for (const room of rooms) clock.watch(room);
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(1100);
    expect(sentinel.asked - 1).toBeLessThanOrEqual(22);
    for (const room of rooms) {
      expect(room.started).toHaveLength(1);
      const late = room.started[0] - room.dueAt;
      expect(late).toBeGreaterThanOrEqual(0);
      expect(late).toBeLessThanOrEqual(50);
    }
    clock.stop();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('saves due together start one per turn of the event loop', () => {
    const clock = new SaveClock(50);
    const rooms = [new Waiter(10), new Waiter(10), new Waiter(10)];
    for (const room of rooms) clock.watch(room);
    vi.advanceTimersToNextTimer(); // the clock's timer
    expect(rooms.map((r) => r.started.length)).toEqual([1, 0, 0]);
    vi.advanceTimersToNextTimer(); // the next turn
    expect(rooms.map((r) => r.started.length)).toEqual([1, 1, 0]);
    vi.advanceTimersToNextTimer();
    expect(rooms.map((r) => r.started.length)).toEqual([1, 1, 1]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a room put back on the clock while its save starts (a failed save) is retried, with one timer', () => {
    const clock = new SaveClock(50);
    let retries = 0;
    const failing = new Waiter(0, (w) => {
      if (retries++ < 3) {
        w.dueAt = Date.now() + 100;
        clock.watch(w);
      }
    });
    clock.watch(failing);
    for (let t = 0; t < 20; t++) {
      vi.advanceTimersByTime(25);
      expect(vi.getTimerCount()).toBeLessThanOrEqual(1);
    }
    expect(failing.started).toEqual([50, 150, 250, 350]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('unwatch takes a room off the clock (it saved by other means), even when its save is queued', () => {
    const clock = new SaveClock(50);
    const a = new Waiter(10);
    const b = new Waiter(10);
    const c = new Waiter(10);
    for (const room of [a, b, c]) clock.watch(room);
    clock.unwatch(a);
    vi.advanceTimersToNextTimer();
    expect(b.started).toHaveLength(1);
    clock.unwatch(c);
    vi.advanceTimersByTime(500);
    expect([a.started, c.started]).toEqual([[], []]);
  });
});

describe('the journal', () => {
  it.runIf(process.platform === 'linux')('is opened for durable writes (O_DSYNC): a save is one write to it, with no fdatasync after it, and nothing else', async () => {
    const dir = tempDataDir();
    try {
      const storage = new FileDocumentStorage(dir);
      await storage.create('doc', new Uint8Array([0, 0]));
      await storage.append('doc', [new Uint8Array([0, 0])]);
      const fd = readdirSync('/proc/self/fd').find((entry) => {
        try {
          const target = readlinkSync(`/proc/self/fd/${entry}`);
          return path.dirname(target) === dir && target.endsWith('.wal');
        } catch {
          return false;
        }
      });
      expect(fd, 'the journal stays open between saves').toBeDefined();
      const flags = parseInt(/^flags:\s+(\d+)/m.exec(readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8'))![1], 8);
      expect(flags & fsConstants.O_DSYNC).toBe(fsConstants.O_DSYNC);
      expect(flags & fsConstants.O_APPEND).toBe(fsConstants.O_APPEND);
      // The plan's own log is written when the journal file retires, not at each save.
      expect(existsSync(path.join(dir, 'doc.ylog'))).toBe(false);
      await storage.close();
    } finally {
      removeDir(dir);
    }
  });
});
