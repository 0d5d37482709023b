/**
 * Merging many Yjs updates into one. `Y.mergeUpdates` re-sorts all its inputs for every struct
 * it writes, so one call over n keystrokes costs O(n²) (a 60 000-keystroke replay spent most
 * of its time there). Merging in groups of at most FAN_IN, level by level, keeps each call
 * small: O(n log n) over all, and the same bytes.
 */
import * as Y from 'yjs';

const FAN_IN = 32;

/** One update holding all of `updates` (which must not be empty). */
export function mergeUpdateList(updates: Uint8Array[]): Uint8Array {
  let level = updates;
  while (level.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i < level.length; i += FAN_IN) {
      const group = level.slice(i, i + FAN_IN);
      next.push(group.length === 1 ? group[0] : Y.mergeUpdates(group));
    }
    level = next;
  }
  return level[0];
}
