/**
 * Commands sent but not yet answered, kept in this browser's localStorage per person and plan,
 * so that a comment written offline survives a reload or a closed tab the way typed text does
 * (y-indexeddb keeps that). The connection adds a command before sending it and removes it
 * when the server answers; a new connection to the plan sends what is left. The server treats
 * a command it already applied as done (server/workspace/thread-commands.ts), so a command
 * whose answer was lost can be sent again.
 */

/** One unanswered command: its body without the request id, which is kept beside it. */
export interface OutboxEntry {
  requestId: string;
  command: Record<string, unknown>;
  /** When it was first sent (ms since the epoch). */
  at: number;
}

/** How long a command made offline (or left by an earlier page) waits for the connection before giving up. */
export const OFFLINE_COMMAND_TIMEOUT_MS = 6 * 60 * 60 * 1000;

const PREFIX = 'minga-outbox:';
/** Most commands kept per person and plan; the oldest go first beyond it. */
const MAX_ENTRIES = 500;

/** The storage key of one person's unanswered commands in one plan. */
export function outboxKey(userId: string, documentId: string): string {
  return `${PREFIX}${userId}:${documentId}`;
}

function browserStorage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null; // storage disabled by the browser's settings
  }
}

function isEntry(value: unknown): value is OutboxEntry {
  if (!value || typeof value !== 'object') return false;
  const entry = value as Partial<OutboxEntry>;
  return typeof entry.requestId === 'string' && typeof entry.at === 'number' && !!entry.command && typeof entry.command === 'object' && typeof entry.command.op === 'string';
}

/** One person's unanswered commands in one plan. Storage failures are reported and never thrown. */
export class CommandOutbox {
  constructor(
    private readonly key: string,
    private readonly storage: Storage | null = browserStorage(),
  ) {}

  /** What is kept, oldest first. Unreadable contents count as nothing. */
  entries(): OutboxEntry[] {
    try {
      const parsed: unknown = JSON.parse(this.storage?.getItem(this.key) ?? '[]');
      return Array.isArray(parsed) ? parsed.filter(isEntry) : [];
    } catch {
      return [];
    }
  }

  add(entry: OutboxEntry): void {
    this.write([...this.entries().filter((e) => e.requestId !== entry.requestId), entry].slice(-MAX_ENTRIES));
  }

  remove(requestId: string): void {
    const entries = this.entries();
    const kept = entries.filter((e) => e.requestId !== requestId);
    if (kept.length !== entries.length) this.write(kept);
  }

  private write(entries: OutboxEntry[]): void {
    if (!this.storage) return;
    try {
      if (entries.length === 0) this.storage.removeItem(this.key);
      else this.storage.setItem(this.key, JSON.stringify(entries));
    } catch (error) {
      // Full or refused: the command still goes out from this page; only a reload would lose it.
      console.warn('Could not keep an unsent command in this browser', error);
    }
  }
}

/** Forget every person's unanswered commands in this browser (on sign-out, with the offline copies). */
export function clearOutboxes(storage: Storage | null = browserStorage()): void {
  if (!storage) return;
  try {
    const keys = Array.from({ length: storage.length }, (_, i) => storage.key(i)).filter((key): key is string => key?.startsWith(PREFIX) ?? false);
    for (const key of keys) storage.removeItem(key);
  } catch (error) {
    console.warn('Could not clear unsent commands', error);
  }
}
