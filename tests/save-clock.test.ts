import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
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
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    vi.setSystemTime(0);
  });
  afterEach(() => vi.useRealTimers());

  it('starts a save at the first tick after it is due, never before', () => {
    const clock = new SaveClock(50);
    const waiter = new Waiter(120);
    clock.watch(waiter);
    vi.advanceTimersByTime(149);
    expect(waiter.started).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(waiter.started).toEqual([150]);
    // Done with it: no more ticks, no more questions.
    const asked = waiter.asked;
    vi.advanceTimersByTime(1000);
    expect(waiter.asked).toBe(asked);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('ticks once per grain however many rooms wait, and starts every save that is due', () => {
    const clock = new SaveClock(50);
    // A room that is never due counts the ticks: each tick asks every waiter once.
    const sentinel = new Waiter(Number.POSITIVE_INFINITY);
    clock.watch(sentinel);
    const rooms = Array.from({ length: 200 }, (_, i) => new Waiter(5 * i));
    for (const room of rooms) clock.watch(room);
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(1000);
    expect(sentinel.asked).toBe(20);
    for (const room of rooms) {
      expect(room.started).toHaveLength(1);
      const late = room.started[0] - room.dueAt;
      expect(late).toBeGreaterThanOrEqual(0);
      expect(late).toBeLessThanOrEqual(50);
    }
    clock.stop();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a room put back on the clock while its save starts (a failed save) keeps one timer', () => {
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

  it('unwatch takes a room off the clock (it saved by other means)', () => {
    const clock = new SaveClock(50);
    const waiter = new Waiter(10);
    clock.watch(waiter);
    clock.unwatch(waiter);
    vi.advanceTimersByTime(500);
    expect(waiter.started).toEqual([]);
  });
});

describe('the document log', () => {
  it.runIf(process.platform === 'linux')('is opened for durable writes (O_DSYNC): a save is one write, with no fdatasync after it', async () => {
    const dir = tempDataDir();
    try {
      const storage = new FileDocumentStorage(dir);
      await storage.create('doc', new Uint8Array([0, 0]));
      await storage.append('doc', new Uint8Array([0, 0]));
      const log = path.join(dir, 'doc.ylog');
      const fd = readdirSync('/proc/self/fd').find((entry) => {
        try {
          return readlinkSync(`/proc/self/fd/${entry}`) === log;
        } catch {
          return false;
        }
      });
      expect(fd, 'the log stays open between saves').toBeDefined();
      const flags = parseInt(/^flags:\s+(\d+)/m.exec(readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8'))![1], 8);
      expect(flags & fsConstants.O_DSYNC).toBe(fsConstants.O_DSYNC);
      expect(flags & fsConstants.O_APPEND).toBe(fsConstants.O_APPEND);
      await storage.close();
    } finally {
      removeDir(dir);
    }
  });
});
