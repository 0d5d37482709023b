/**
 * Unanswered commands kept across reloads (client/src/features/connection/commandOutbox.ts), and
 * the comments' sender showing those an earlier page left as pending (threadCommands.ts). The
 * whole path, offline comment → reload → reconnect, is in tests/e2e/comments.test.ts.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { clearOutboxes, CommandOutbox, outboxKey } from '../client/src/features/connection/commandOutbox.ts';
import { ThreadCommandSender, type CommandConnection } from '../client/src/features/comments/threadCommands.ts';
import type { CommandResult } from '../client/src/features/connection/collabConnection.ts';
import { MemoryStorage } from './helpers/memory-storage.ts';

const reply = (n: number) => ({ op: 'message.add', threadId: 'thread000001', messageId: `message00000${n}`, body: `reply ${n}`, mentions: [] });

afterEach(() => vi.restoreAllMocks());

describe('the command outbox', () => {
  it('keeps unanswered commands per person and plan, in order, across instances (a reload)', () => {
    const storage = new MemoryStorage();
    const page = new CommandOutbox(outboxKey('user-a', 'doc-1'), storage);
    page.add({ requestId: 'r1', command: reply(1), at: 1 });
    page.add({ requestId: 'r2', command: reply(2), at: 2 });
    new CommandOutbox(outboxKey('user-b', 'doc-1'), storage).add({ requestId: 'r3', command: reply(3), at: 3 });
    page.remove('r1');

    const reloaded = new CommandOutbox(outboxKey('user-a', 'doc-1'), storage);
    expect(reloaded.entries()).toEqual([{ requestId: 'r2', command: reply(2), at: 2 }]);
    expect(new CommandOutbox(outboxKey('user-a', 'doc-2'), storage).entries()).toEqual([]);
    reloaded.remove('r2');
    expect(storage.getItem(outboxKey('user-a', 'doc-1'))).toBeNull(); // nothing left: no key
  });

  it('reads unreadable contents as nothing, and survives a full storage without throwing', () => {
    const storage = new MemoryStorage();
    const key = outboxKey('user-a', 'doc-1');
    storage.setItem(key, '{not json');
    const outbox = new CommandOutbox(key, storage);
    expect(outbox.entries()).toEqual([]);
    storage.setItem(key, JSON.stringify([{ requestId: 'r1', command: reply(1), at: 1 }, { requestId: 5 }, null, { requestId: 'r2', command: {}, at: 2 }]));
    expect(outbox.entries().map((e) => e.requestId)).toEqual(['r1']);

    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    storage.full = true;
    expect(() => outbox.add({ requestId: 'r9', command: reply(9), at: 9 })).not.toThrow();
    expect(warn).toHaveBeenCalledOnce();
    expect(new CommandOutbox(key, null).entries()).toEqual([]); // no storage at all
  });

  it('keeps at most 500, dropping the oldest; sign-out clears every person’s and only those', () => {
    const storage = new MemoryStorage();
    const outbox = new CommandOutbox(outboxKey('user-a', 'doc-1'), storage);
    for (let i = 0; i < 505; i++) outbox.add({ requestId: `r${i}`, command: reply(i), at: i });
    const kept = outbox.entries();
    expect(kept).toHaveLength(500);
    expect(kept[0].requestId).toBe('r5');
    new CommandOutbox(outboxKey('user-b', 'doc-2'), storage).add({ requestId: 'x', command: reply(1), at: 1 });
    storage.setItem('minga.user', '{"id":"user-a"}');
    clearOutboxes(storage);
    expect([...storage.items.keys()]).toEqual(['minga.user']);
  });
});

describe('the comments sender and commands an earlier page left', () => {
  /** A connection whose resumed commands settle when the test says. */
  function connectionWith(resumed: Array<{ command: Record<string, unknown> }>) {
    const settle: Array<(result: CommandResult) => void> = [];
    const connection: CommandConnection = {
      isLive: () => false,
      sendCommand: () => new Promise(() => {}),
      resumed: resumed.map(({ command }) => ({ command, result: new Promise<CommandResult>((resolve) => settle.push(resolve)) })),
    };
    return { connection, settle };
  }

  it('lists resumed thread commands as pending until answered; other commands are not its to show', async () => {
    const decide = { op: 'suggestion.decide', threadId: 'suggestion01', decision: 'rejected' };
    const { connection, settle } = connectionWith([{ command: reply(1) }, { command: decide }, { command: reply(2) }]);
    const sender = new ThreadCommandSender(connection);
    expect(sender.getPending().map((p) => p.command)).toEqual([reply(1), reply(2)]);
    settle[0]({ ok: true });
    await vi.waitFor(() => expect(sender.getPending().map((p) => p.command)).toEqual([reply(2)]));
  });

  it('tells of a resumed command the server refused, also when it was refused before anyone listened', async () => {
    const { connection, settle } = connectionWith([{ command: reply(1) }, { command: reply(2) }]);
    const sender = new ThreadCommandSender(connection);
    settle[0]({ ok: false, error: 'this thread does not exist' });
    await vi.waitFor(() => expect(sender.getPending()).toHaveLength(1));
    const told: string[] = [];
    sender.onResumedFailure((error) => told.push(error));
    expect(told).toEqual(['this thread does not exist']);
    settle[1]({ ok: false, error: 'timeout' });
    await vi.waitFor(() => expect(told).toEqual(['this thread does not exist', 'timeout']));
    expect(sender.getPending()).toEqual([]);
  });
});
