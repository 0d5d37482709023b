/**
 * Small helpers over this browser's localStorage for what a page keeps for the next one
 * (unanswered commands, text the server did not keep). Storage can be disabled, full or
 * hold anything: none of these throw.
 */

/** localStorage, or null where the browser refuses it (settings, sandboxed frames, Node). */
export function browserStorage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

/** The parsed value under `key`, or undefined when absent or unreadable. */
export function readStoredJson(storage: Storage | null, key: string): unknown {
  try {
    const raw = storage?.getItem(key);
    return raw == null ? undefined : (JSON.parse(raw) as unknown);
  } catch {
    return undefined;
  }
}

/** Store `value` as JSON (null removes the key). Returns false, with a warning, when the storage refused. */
export function writeStoredJson(storage: Storage | null, key: string, value: unknown, what: string): boolean {
  if (!storage) return false;
  try {
    if (value === null) storage.removeItem(key);
    else storage.setItem(key, JSON.stringify(value));
    return true;
  } catch (error) {
    console.warn(`Could not keep ${what} in this browser`, error);
    return false;
  }
}

/** Remove every key starting with `prefix` (on sign-out: a shared computer keeps nothing of a plan). */
export function removeStoredWithPrefix(storage: Storage | null, prefix: string): void {
  if (!storage) return;
  try {
    const keys = Array.from({ length: storage.length }, (_, i) => storage.key(i)).filter((key): key is string => key?.startsWith(prefix) ?? false);
    for (const key of keys) storage.removeItem(key);
  } catch (error) {
    console.warn(`Could not clear ${prefix}* from this browser`, error);
  }
}
