/**
 * Work that people do not wait for (toolbar states, panel positions, outline, suggestion lists)
 * runs when the browser is idle, after the frame that shows a keystroke has been painted, so it
 * never sits between a key and its character on screen (docs/benchmarks.md, scenario browser).
 */

/** How long idle work may wait at most when the browser is never idle (e.g. fast typing). */
const IDLE_TIMEOUT_MS = 150;

/** Run `callback` once the browser is idle (at most `timeoutMs` later); returns a cancel function. */
export function whenIdle(callback: () => void, timeoutMs = IDLE_TIMEOUT_MS): () => void {
  if (typeof requestIdleCallback === 'function') {
    const id = requestIdleCallback(callback, { timeout: timeoutMs });
    return () => cancelIdleCallback(id);
  }
  // Safari has no requestIdleCallback: after the next frame is painted is the closest thing.
  return afterNextFrame(callback);
}

/**
 * Run `callback` right after the next frame has been produced (a task queued from inside the
 * frame), so that it is not between an input and the frame that shows it; returns a cancel
 * function. In a hidden page, where no frames are drawn, it runs as a plain task.
 */
export function afterNextFrame(callback: () => void): () => void {
  if (document.visibilityState === 'hidden') return afterThisTask(callback);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const frame = requestAnimationFrame(() => {
    timer = setTimeout(callback, 0);
  });
  return () => {
    cancelAnimationFrame(frame);
    if (timer !== undefined) clearTimeout(timer);
  };
}

/**
 * Run `callback` in a task of its own, as soon as the current one is done; returns a cancel
 * function. For work after a change that draws nothing — a remote edit in a block the browser
 * is not rendering: asking for a frame there (afterNextFrame) makes Chromium run a main frame
 * that draws nothing, ~1.5 ms of main thread, and a key typed just after it waits for the next
 * display tick before its own frame (docs/decisions.md, "Work after a remote change asks for no frame").
 */
export function afterThisTask(callback: () => void): () => void {
  const timer = setTimeout(callback, 0);
  return () => clearTimeout(timer);
}

/** Coalesce many requests into one idle run: `schedule` as often as wanted, `callback` runs once per idle period. */
export function idleTask(callback: () => void, timeoutMs = IDLE_TIMEOUT_MS): { schedule: () => void; cancel: () => void } {
  let cancelPending: (() => void) | null = null;
  return {
    schedule: () => {
      if (cancelPending) return;
      cancelPending = whenIdle(() => {
        cancelPending = null;
        callback();
      }, timeoutMs);
    },
    cancel: () => {
      cancelPending?.();
      cancelPending = null;
    },
  };
}
