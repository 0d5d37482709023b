/**
 * Writing threads: every change is a thread command the server checks (author, role) and
 * applies to the plan's Y.Doc itself (server/workspace/thread-commands.ts). Commands made
 * offline wait for the connection; the UI lists them as pending until the server answers.
 * Those an earlier page left unanswered (written offline, then a reload) are sent again by the
 * connection and listed as pending here too.
 */
import type { ThreadAnchor } from '../../../../shared/threads.ts';
import type { CommandResult, ResumedCommand } from '../connection/collabConnection.ts';
import { OFFLINE_COMMAND_TIMEOUT_MS } from '../connection/commandOutbox.ts';

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
  /** Commands an earlier page left unanswered, being sent again. */
  readonly resumed?: readonly ResumedCommand[];
}

const THREAD_OPS = new Set<string>(['thread.create', 'message.add', 'message.edit', 'message.delete', 'thread.resolve', 'thread.reopen']);

/** A resumed command that is a thread command (the others are not this sender's to show). */
function isThreadCommand(command: Record<string, unknown>): command is ThreadCommandBody & Record<string, unknown> {
  return typeof command.op === 'string' && THREAD_OPS.has(command.op) && typeof command.threadId === 'string';
}

/** How long an answer may take once the command is on the wire. */
const ONLINE_TIMEOUT_MS = 15_000;

/** A new thread or message id: 16 random characters, as the protocol's ids require. */
export function newThreadItemId(prefix: 't' | 'm'): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return prefix + Array.from(bytes, (b) => (b % 36).toString(36)).join('') + Date.now().toString(36).slice(-3);
}

/** Sends thread commands and keeps the list of unanswered ones for the UI. */
export class ThreadCommandSender {
  private pendingList: readonly PendingThreadCommand[] = [];
  private readonly listeners = new Set<() => void>();
  private readonly failureListeners = new Set<(error: string) => void>();
  /** Refusals of resumed commands that came before anyone listened. */
  private earlyFailures: string[] = [];
  private nextKey = 1;

  constructor(private readonly connection: CommandConnection) {
    for (const { command, result } of connection.resumed ?? []) {
      if (!isThreadCommand(command)) continue;
      void this.track(command, result).then((r) => {
        if (r.ok) return;
        if (this.failureListeners.size === 0) this.earlyFailures.push(r.error);
        for (const listener of this.failureListeners) listener(r.error);
      });
    }
  }

  /** Send one command; resolves with the server's answer (or a timeout error). */
  send(command: ThreadCommandBody): Promise<CommandResult> {
    const timeout = this.connection.isLive() ? ONLINE_TIMEOUT_MS : OFFLINE_COMMAND_TIMEOUT_MS;
    return this.track(command, this.connection.sendCommand(command, timeout));
  }

  /**
   * Be told when a command an earlier page left is refused (its author is no longer looking at
   * a form to show it in). Those refused before anyone listened are told to the first listener.
   */
  onResumedFailure(listener: (error: string) => void): () => void {
    this.failureListeners.add(listener);
    for (const error of this.earlyFailures.splice(0)) listener(error);
    return () => this.failureListeners.delete(listener);
  }

  /** List a command as pending until its result settles. */
  private async track(command: ThreadCommandBody, result: Promise<CommandResult>): Promise<CommandResult> {
    const entry = { key: this.nextKey++, command };
    this.setPending([...this.pendingList, entry]);
    try {
      return await result;
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
