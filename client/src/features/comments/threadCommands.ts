/**
 * Writing threads: every change is a thread command the server checks (author, role) and
 * applies to the plan's Y.Doc itself (server/workspace/thread-commands.ts). Commands made
 * offline wait for the connection; the UI lists them as pending until the server answers.
 */
import type { ThreadAnchor } from '../../../../shared/threads.ts';
import type { CommandResult } from '../connection/collabConnection.ts';

/** The thread commands of the protocol, without the requestId the connection adds. */
export type ThreadCommandBody =
  | { op: 'thread.create'; threadId: string; messageId: string; anchor: ThreadAnchor; quote: string; body: string; mentions: string[] }
  | { op: 'message.add'; threadId: string; messageId: string; body: string; mentions: string[] }
  | { op: 'message.edit'; threadId: string; messageId: string; body: string; mentions: string[] }
  | { op: 'message.delete'; threadId: string; messageId: string }
  | { op: 'thread.resolve'; threadId: string }
  | { op: 'thread.reopen'; threadId: string };

/** A command sent but not answered yet. */
export interface PendingThreadCommand {
  key: number;
  command: ThreadCommandBody;
}

/** What sending needs from the collaboration connection. */
export interface CommandConnection {
  sendCommand(command: Record<string, unknown>, timeoutMs?: number): Promise<CommandResult>;
  isLive(): boolean;
}

/** How long an answer may take once the command is on the wire. */
const ONLINE_TIMEOUT_MS = 15_000;
/** How long a command made offline waits for the connection before giving up. */
const OFFLINE_TIMEOUT_MS = 6 * 60 * 60 * 1000;

/** A new thread or message id: 16 random characters, as the protocol's ids require. */
export function newThreadItemId(prefix: 't' | 'm'): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return prefix + Array.from(bytes, (b) => (b % 36).toString(36)).join('') + Date.now().toString(36).slice(-3);
}

/** Sends thread commands and keeps the list of unanswered ones for the UI. */
export class ThreadCommandSender {
  private pendingList: readonly PendingThreadCommand[] = [];
  private readonly listeners = new Set<() => void>();
  private nextKey = 1;

  constructor(private readonly connection: CommandConnection) {}

  /** Send one command; resolves with the server's answer (or a timeout error). */
  async send(command: ThreadCommandBody): Promise<CommandResult> {
    const entry = { key: this.nextKey++, command };
    this.setPending([...this.pendingList, entry]);
    const timeout = this.connection.isLive() ? ONLINE_TIMEOUT_MS : OFFLINE_TIMEOUT_MS;
    try {
      return await this.connection.sendCommand(command, timeout);
    } finally {
      this.setPending(this.pendingList.filter((p) => p !== entry));
    }
  }

  /** Unanswered commands, oldest first (same array until it changes). */
  getPending = (): readonly PendingThreadCommand[] => this.pendingList;

  /** For useSyncExternalStore. */
  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private setPending(next: readonly PendingThreadCommand[]): void {
    this.pendingList = next;
    for (const listener of this.listeners) listener();
  }
}
