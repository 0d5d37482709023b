/**
 * Commands sent but not yet answered, kept in this browser's localStorage per person and plan,
 * so that a comment written offline survives a reload or a closed tab the way typed text does
 * (y-indexeddb keeps that). The connection adds a command before sending it and removes it
 * when the server answers; a new connection to the plan sends what is left. The server treats
 * a command it already applied as done (server/workspace/thread-commands.ts), so a command
 * whose answer was lost can be sent again.
 */

import { browserStorage, readStoredJson, removeStoredWithPrefix, writeStoredJson } from '../../lib/localStore.ts';

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
    const parsed = readStoredJson(this.storage, this.key);
    return Array.isArray(parsed) ? parsed.filter(isEntry) : [];
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
    // Full or refused: the command still goes out from this page; only a reload would lose it.
    writeStoredJson(this.storage, this.key, entries.length === 0 ? null : entries, 'an unsent command');
  }
}

/** Forget every person's unanswered commands in this browser (on sign-out, with the offline copies). */
export function clearOutboxes(storage: Storage | null = browserStorage()): void {
  removeStoredWithPrefix(storage, PREFIX);
}
