/**
 * Scenario "replay" (issue 8, targets 2 and 3): real typing through the server. The editing
 * trace (bench/lib/trace.ts) is typed by one stock y-websocket client into one Y.XmlText (the
 * paragraph of a blank plan: for Minga a plan made through the admin API, for the reference a
 * room seeded with the same blank plan), each keystroke its own transaction, as fast as the
 * writer can (yielding to the event loop every few keystrokes, and waiting while its socket
 * holds more than 1 MiB unsent); four reader clients receive it. Figure: wall time from the
 * first keystroke until every reader holds exactly the trace's endContent; ratio Minga /
 * reference (target ≤ 1.0), and against the floor of (1 + readers) × a bare in-process Y.Doc
 * applying the same edits, measured in the same run.
 *
 * Storage (target 3) is measured on Minga's replays here (the `storage` scenario shows it
 * alone): bytes of <id>.ystate + <id>.ylog (+ the shared journal's *.wal files, where the
 * saves wait for the journal's checkpoint) after the replay, and of the plan's files again
 * after compaction (all clients gone, the room unloaded), against Y.encodeStateAsUpdate of
 * the final document (target ≤ 1.2×); bytes written per keystroke, two ways: the bytes
 * appended (the .ylog size sampled every 20 ms, plus its size before each mid-run compaction,
 * plus the .ystate rewrites; the journal's growth reported beside it), and the server child's
 * write_bytes from /proc/<pid>/io (what reached the block layer, page rounding included).
 *
 * Parameters: the whole trace by default; with --keystrokes below 100 (the --smoke preset)
 * only the first keystrokes × 25 edits, or a synthetic trace when the real one is absent.
 * MINGA_REPLAY_EDITS overrides the count. Without the trace and outside smoke: skipped.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import * as Y from 'yjs';
import { YName } from '../../shared/protocol.ts';
import { blankSeed, createBlankPlans, fileSize, planFiles, settle, sleep, writtenBytes } from '../lib/admin.ts';
import { closeClients, connectClient, typingTarget, waitFor, type BenchClient, type RoomAddress } from '../lib/clients.ts';
import { summarizeProfile, type ProfileWindow } from '../lib/profile.ts';
import { startMinga, startReference, type MingaProcess, type ServerProcess } from '../lib/servers.ts';
import { loadTrace, syntheticTrace, truncateTrace, type Trace } from '../lib/trace.ts';
import { median } from '../lib/stats.ts';
import type { BenchParams, Scenario, ScenarioResult, ServerName } from '../lib/types.ts';

export const REPLAY_TARGETS = { timeRatio: 1.0, storageRatio: 1.2 } as const;
const READERS = 4;
/** The writer yields to the event loop after this many keystrokes. */
const YIELD_EVERY = 50;
const MAX_BUFFERED = 1024 * 1024;

/** Storage figures of one Minga replay, in bytes. */
export interface StorageFigures {
  documentId: string;
  keystrokes: number;
  encodedStateBytes: number;
  /** `journalBytes`: the shared journal's files (the saves not yet in the log are there only). */
  afterReplay: { stateBytes: number; logBytes: number; journalBytes: number; total: number; ratio: number };
  /** `journalBytes` here is a copy of what the state holds, deleted when its file retires (≤ 30 s): not in `total`. */
  afterCompaction: { stateBytes: number; logBytes: number; journalBytes: number; total: number; ratio: number; settled: boolean; waitMs: number };
  /** Log frames appended + state rewrites, from sampling the files. */
  appendedBytes: number;
  appendedPerKeystroke: number;
  /** Bytes written to the shared journal meanwhile (the same frames, tagged with the plan). */
  journaledBytes: number;
  midRunCompactions: number;
  /** write_bytes of the server child during the replay (null when /proc/<pid>/io is unreadable). */
  diskWrittenBytes: number | null;
  diskWrittenPerKeystroke: number | null;
}

/** One replay through one server. */
export interface ReplayRun {
  server: ServerName;
  round: number;
  keystrokes: number;
  /** Time the writer took to apply (and hand to its socket) every keystroke. */
  sendMs: number;
  /** First keystroke until all readers hold endContent. */
  totalMs: number;
  converged: boolean;
  disconnects: number;
  storage?: StorageFigures;
}

export interface ReplayFigures {
  keystrokes: number;
  readers: number;
  source: string;
  bareDocMs: number;
  floorMs: number;
  runs: ReplayRun[];
  medianMs: Record<ServerName, number>;
  ratio: number;
  floorRatio: Record<ServerName, number>;
  storage: StorageFigures | null;
}

export interface ReplayScenarioResult extends ScenarioResult {
  figures: ReplayFigures | null;
  skipped?: string;
}

/** The last storage figures a replay measured in this process (the `storage` scenario reuses them). */
export let lastStorage: StorageFigures | null = null;

/** The trace this run replays, or why there is none. */
export function replayTrace(params: BenchParams): { trace: Trace; source: string } | string {
  const smoke = params.keystrokes < 100;
  const override = Number(process.env.MINGA_REPLAY_EDITS) || 0;
  const loaded = loadTrace();
  if (typeof loaded === 'string') {
    if (!smoke && !override) return `skipped: set MINGA_TRACE=… (${loaded})`;
    const edits = override || params.keystrokes * 25;
    return { trace: syntheticTrace(edits), source: `synthetic trace, ${edits} edits (the real one is absent)` };
  }
  const edits = override || (smoke ? params.keystrokes * 25 : loaded.txns.length);
  const trace = truncateTrace(loaded, edits);
  return { trace, source: edits >= loaded.txns.length ? 'automerge-paper trace, every edit' : `automerge-paper trace, first ${edits} edits` };
}

function applyPatches(text: Y.XmlText, patches: Array<[number, number, string]>): void {
  for (const [pos, del, ins] of patches) {
    if (del > 0) text.delete(pos, del);
    if (ins) text.insert(pos, ins);
  }
}

/** The floor: one bare in-process Y.Doc applying every edit, each its own transaction. */
export function bareDocMs(trace: Trace): number {
  const doc = new Y.Doc();
  const text = new Y.XmlText();
  doc.getXmlFragment(YName.body).insert(0, [text]);
  if (trace.startContent) text.insert(0, trace.startContent);
  const start = performance.now();
  for (const txn of trace.txns) doc.transact(() => applyPatches(text, txn.patches));
  const ms = performance.now() - start;
  if (text.toString() !== trace.endContent) throw new Error('the bare replay does not reproduce the trace’s final text');
  doc.destroy();
  return ms;
}

/** The shared journal's files beside a plan's log, with their sizes. */
async function journalFileSizes(logFile: string): Promise<Map<string, number>> {
  const dir = path.dirname(logFile);
  const sizes = new Map<string, number>();
  for (const name of (await readdir(dir)).filter((file) => file.endsWith('.wal'))) sizes.set(name, await fileSize(path.join(dir, name)));
  return sizes;
}

/** Bytes of the shared journal's files beside a plan's log. */
async function journalSize(logFile: string): Promise<number> {
  return [...(await journalFileSizes(logFile)).values()].reduce((total, size) => total + size, 0);
}

/** Watches a plan's files during a replay and adds up what was appended to them. */
class FileSampler {
  appended = 0;
  compactions = 0;
  /** Bytes written to the shared journal (every plan's appends go there too, durably). */
  journaled = 0;
  private readonly journalSizes = new Map<string, number>();
  private lastLog = 0;
  private lastStateIno = 0;
  private timer: NodeJS.Timeout | null = null;
  private busy = false;
  constructor(private readonly files: { state: string; log: string }) {}

  async start(): Promise<void> {
    await this.sampleJournal();
    this.journaled = 0;
    this.lastLog = await fileSize(this.files.log);
    this.lastStateIno = await this.stateIno();
    this.timer = setInterval(() => void this.sample(), 20);
  }
  private async stateIno(): Promise<number> {
    const { stat } = await import('node:fs/promises');
    try {
      return (await stat(this.files.state)).ino;
    } catch {
      return 0;
    }
  }
  async sample(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      await this.sampleJournal();
      const log = await fileSize(this.files.log);
      if (log >= this.lastLog) this.appended += log - this.lastLog;
      else this.appended += log; // compacted meanwhile: the log started again from nothing
      this.lastLog = log;
      const ino = await this.stateIno();
      if (ino !== this.lastStateIno && ino !== 0) {
        // writeAtomic renames a new file into place: a state rewrite (a compaction).
        this.compactions++;
        this.appended += await fileSize(this.files.state);
        this.lastStateIno = ino;
      }
    } finally {
      this.busy = false;
    }
  }
  /** Growth of the journal files (`*.wal` beside the plan's files; a retired file's last bytes may be missed). */
  private async sampleJournal(): Promise<void> {
    for (const [name, size] of await journalFileSizes(this.files.log)) {
      this.journaled += Math.max(0, size - (this.journalSizes.get(name) ?? 0));
      this.journalSizes.set(name, size);
    }
  }
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    while (this.busy) await sleep(5);
    await this.sample();
  }
}

/**
 * Connect `size` clients to a blank plan and give its empty paragraph a Y.XmlText (what the
 * editor does on the first keystroke), so that every client holds the text typed into.
 */
export async function connectBlankRoom(address: RoomAddress, size: number, seed: Uint8Array | null): Promise<BenchClient[]> {
  const first = await connectClient(address);
  const clients = [first];
  try {
    const body = first.doc.getXmlFragment(YName.body);
    if (body.length === 0) {
      if (!seed) throw new Error(`room ${address.room} holds no plan`);
      Y.applyUpdate(first.doc, seed);
    }
    if (!typingTarget(first.doc)) {
      const paragraph = body.toArray().find((node) => node instanceof Y.XmlElement && node.nodeName === 'paragraph') as Y.XmlElement | undefined;
      if (!paragraph) throw new Error(`room ${address.room} holds no paragraph`);
      paragraph.insert(0, [new Y.XmlText()]);
    }
    clients.push(...(await Promise.all(Array.from({ length: size - 1 }, () => connectClient(address)))));
    await waitFor(() => clients.every((client) => typingTarget(client.doc) !== null), 20_000, `the paragraph to reach every client of ${address.room}`);
    return clients;
  } catch (error) {
    closeClients(clients);
    throw error;
  }
}

/** Type the trace through one room; `measureStorage` runs while every client is still connected. */
async function replayOnce(
  server: ServerName,
  address: RoomAddress,
  seed: Uint8Array | null,
  trace: Trace,
  onDone: ((writer: BenchClient, clients: BenchClient[]) => Promise<void>) | null,
  hooks: { before?: () => Promise<void>; after?: () => Promise<void> } = {},
): Promise<Omit<ReplayRun, 'round'>> {
  const clients = await connectBlankRoom(address, 1 + READERS, seed);
  try {
    const [writer, ...readers] = clients;
    const text = typingTarget(writer.doc)!;
    if (trace.startContent) text.insert(0, trace.startContent);
    const readerTexts = readers.map((reader) => typingTarget(reader.doc)!);
    const endLength = trace.endContent.length;
    const disconnectsBefore = clients.reduce((sum, c) => sum + c.disconnects, 0);
    await hooks.before?.();
    const start = performance.now();
    for (let i = 0; i < trace.txns.length; i++) {
      writer.doc.transact(() => applyPatches(text, trace.txns[i].patches));
      if ((i + 1) % YIELD_EVERY === 0) {
        await new Promise((resolve) => setImmediate(resolve));
        const ws = writer.provider.ws as { bufferedAmount?: number } | null;
        while (ws && (ws.bufferedAmount ?? 0) > MAX_BUFFERED) await sleep(1);
      }
    }
    const sendMs = performance.now() - start;
    const deadline = Date.now() + Math.max(120_000, trace.txns.length * 2);
    let converged = false;
    const done = (t: Y.XmlText): boolean => t.length === endLength && t.toString() === trace.endContent;
    const pending = new Set(readerTexts);
    while (Date.now() < deadline) {
      for (const t of [...pending]) if (done(t)) pending.delete(t);
      if (pending.size === 0) {
        converged = true;
        break;
      }
      await sleep(2);
    }
    const totalMs = performance.now() - start;
    await hooks.after?.();
    converged = converged && text.toString() === trace.endContent;
    const disconnects = clients.reduce((sum, c) => sum + c.disconnects, 0) - disconnectsBefore;
    if (onDone) await onDone(writer, clients);
    return { server, keystrokes: trace.txns.length, sendMs, totalMs, converged, disconnects };
  } finally {
    closeClients(clients);
  }
}

/** A Minga replay with its storage figures. */
async function mingaReplay(minga: MingaProcess, trace: Trace, log: (line: string) => void, hooks: { before?: () => Promise<void>; after?: () => Promise<void> } = {}): Promise<Omit<ReplayRun, 'round'>> {
  const [address] = await createBlankPlans(minga, 1);
  const files = planFiles(minga, address.documentId);
  const sampler = new FileSampler(files);
  let diskBefore: number | null = null;
  let storage: StorageFigures | undefined;
  const run = await replayOnce('minga', address, null, trace, async (writer, clients) => {
    // Every save lands within saveMaxWaitMs (800 ms) of the update: wait until the log stops growing.
    await settle(async () => [await fileSize(files.log), await fileSize(files.state), await journalSize(files.log)], () => true, 2500, 60_000);
    await sampler.stop();
    const diskAfter = writtenBytes(minga.pid);
    const encodedStateBytes = Y.encodeStateAsUpdate(writer.doc).length;
    const afterReplay = { stateBytes: await fileSize(files.state), logBytes: await fileSize(files.log), journalBytes: await journalSize(files.log) };
    const waitStart = performance.now();
    closeClients(clients);
    // The room unloads when its last client leaves: flushAndCompact folds the log into the state.
    const compacted = await settle(async () => [await fileSize(files.log), await fileSize(files.state)], ([logSize]) => logSize === 0, 500, 60_000);
    const waitMs = performance.now() - waitStart;
    const [logBytes, stateBytes] = compacted.value;
    const keystrokes = trace.txns.length;
    const total = afterReplay.stateBytes + afterReplay.logBytes + afterReplay.journalBytes;
    storage = {
      documentId: address.documentId,
      keystrokes,
      encodedStateBytes,
      afterReplay: { ...afterReplay, total, ratio: total / encodedStateBytes },
      afterCompaction: { stateBytes, logBytes, journalBytes: await journalSize(files.log), total: stateBytes + logBytes, ratio: (stateBytes + logBytes) / encodedStateBytes, settled: compacted.settled, waitMs },
      appendedBytes: sampler.appended,
      appendedPerKeystroke: sampler.appended / keystrokes,
      midRunCompactions: sampler.compactions,
      journaledBytes: sampler.journaled,
      diskWrittenBytes: diskBefore !== null && diskAfter !== null ? diskAfter - diskBefore : null,
      diskWrittenPerKeystroke: diskBefore !== null && diskAfter !== null ? (diskAfter - diskBefore) / keystrokes : null,
    };
    log(
      `replay/storage: encoded state ${encodedStateBytes} B; on disk after replay ${total} B (${storage.afterReplay.ratio.toFixed(2)}×), after compaction ${storage.afterCompaction.total} B (${storage.afterCompaction.ratio.toFixed(2)}×); ` +
        `${storage.appendedPerKeystroke.toFixed(1)} B appended per keystroke, ${storage.diskWrittenPerKeystroke?.toFixed(0) ?? '?'} B/keystroke reached the disk`,
    );
  }, {
    before: async () => {
      await sampler.start();
      diskBefore = writtenBytes(minga.pid);
      await hooks.before?.();
    },
    after: hooks.after,
  });
  return { ...run, storage };
}


const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;

/** Markdown lines of the storage figures. */
export function storageNotes(storage: StorageFigures): string[] {
  const met = storage.afterCompaction.ratio <= REPLAY_TARGETS.storageRatio;
  return [
    `**Storage (target 3)**, Minga plan after replaying ${storage.keystrokes} keystrokes:`,
    '',
    '| | .ystate | .ylog | journal (*.wal) | total | × encoded state |',
    '|---|---:|---:|---:|---:|---:|',
    `| Y.encodeStateAsUpdate(final doc) | | | | ${storage.encodedStateBytes} B (${kib(storage.encodedStateBytes)}) | 1.00 |`,
    `| on disk right after the replay | ${storage.afterReplay.stateBytes} B | ${storage.afterReplay.logBytes} B | ${storage.afterReplay.journalBytes} B | ${storage.afterReplay.total} B (${kib(storage.afterReplay.total)}) | ${storage.afterReplay.ratio.toFixed(2)} |`,
    `| after compaction (room unloaded) | ${storage.afterCompaction.stateBytes} B | ${storage.afterCompaction.logBytes} B | (${storage.afterCompaction.journalBytes} B) | ${storage.afterCompaction.total} B (${kib(storage.afterCompaction.total)}) | ${storage.afterCompaction.ratio.toFixed(2)} |`,
    '',
    'Right after the replay the saves are in the shared journal and in memory, not yet in the plan’s log (they reach it when the journal file retires, at 8 MiB or 30 s); the journal counts in that row. After compaction the state holds everything and what the journal still holds is a copy, deleted when its file retires: shown in brackets, not in the total.',
    '',
    `Target ≤ ${REPLAY_TARGETS.storageRatio}× after compaction: **${met ? 'met' : 'missed'}**` +
      (storage.afterCompaction.settled ? ` (files settled ${storage.afterCompaction.waitMs.toFixed(0)} ms after the last client left)` : ' (the files had not settled within 60 s)') + '.',
    `Bytes written per keystroke during the replay: ${storage.appendedPerKeystroke.toFixed(1)} B appended to the plan's files (${storage.appendedBytes} B: log frames incl. 8-byte headers, sampled every 20 ms, + ${storage.midRunCompactions} mid-run state rewrites), and ${(storage.journaledBytes / storage.keystrokes).toFixed(1)} B to the shared journal that makes them durable (${storage.journaledBytes} B); ` +
      (storage.diskWrittenPerKeystroke === null ? 'write_bytes of /proc/<pid>/io unreadable.' : `${storage.diskWrittenPerKeystroke.toFixed(0)} B per keystroke reached the block layer (server child's write_bytes, ${storage.diskWrittenBytes} B: every fdatasync'ed append rounds up to whole pages, and the metadata store writes too).`),
  ];
}

async function run(params: BenchParams): Promise<ReplayScenarioResult> {
  const started = performance.now();
  const chosen = replayTrace(params);
  if (typeof chosen === 'string') {
    params.log(`replay: ${chosen}`);
    return { name: 'replay', description: chosen, cases: [], durationMs: performance.now() - started, figures: null, skipped: chosen, notes: [chosen] };
  }
  const { trace, source } = chosen;
  params.log(`replay: ${source}; bare in-process floor…`);
  const bare = Math.min(bareDocMs(trace), bareDocMs(trace));
  const floorMs = (1 + READERS) * bare;
  // One full replay takes over a minute per server on 2 cores: one round (reference, then Minga) by default,
  // MINGA_REPLAY_ROUNDS=2 alternates the order (ref, ours, ours, ref); smoke runs use --rounds.
  const rounds = Math.max(1, Number(process.env.MINGA_REPLAY_ROUNDS) || (params.keystrokes < 100 ? Math.min(params.rounds, 2) : 1));
  const windows: Record<ServerName, ProfileWindow[]> = { minga: [], reference: [] };
  let reference: ServerProcess | null = null;
  let minga: MingaProcess | null = null;
  const runs: ReplayRun[] = [];
  try {
    reference = await startReference({ profileDir: params.profileDir });
    minga = await startMinga({ profileDir: params.profileDir });
    const seed = blankSeed();
    const order: ServerName[] = [];
    for (let r = 0; r < rounds; r++) order.push(...((r % 2 === 0 ? ['reference', 'minga'] : ['minga', 'reference']) as ServerName[]));
    let round = 0;
    for (const [i, name] of order.entries()) {
      round = Math.floor(i / 2) + 1;
      let from = 0n;
      const hooks = { before: async () => void (from = process.hrtime.bigint()), after: async () => void windows[name].push({ from, to: process.hrtime.bigint() }) };
      params.log(`replay: round ${round}, ${name}: ${trace.txns.length} keystrokes → ${READERS} readers…`);
      const result =
        name === 'minga'
          ? await mingaReplay(minga, trace, params.log, hooks)
          : await replayOnce('reference', { wsBase: reference.wsBase, room: `replay-${round}-${Date.now()}`, params: {} }, seed, trace, null, hooks);
      runs.push({ ...result, round });
      if (result.disconnects > 0 && name === 'minga') {
        params.log(`replay: minga closed connections; its last lines:\n${minga.tail().split('\n').filter((line) => /slow_reader|connection\.dead|refus|rate/.test(line)).join('\n')}`);
      }
      params.log(`replay: ${name}: all readers converged ${result.converged} in ${result.totalMs.toFixed(0)} ms (writer done after ${result.sendMs.toFixed(0)} ms), disconnects ${result.disconnects}`);
    }
  } finally {
    await Promise.all([reference?.stop(), minga?.stop()]);
  }
  const medianMs = {
    minga: median(runs.filter((r) => r.server === 'minga').map((r) => r.totalMs)),
    reference: median(runs.filter((r) => r.server === 'reference').map((r) => r.totalMs)),
  };
  const storage = runs.find((r) => r.storage)?.storage ?? null;
  lastStorage = storage;
  const figures: ReplayFigures = {
    keystrokes: trace.txns.length,
    readers: READERS,
    source,
    bareDocMs: bare,
    floorMs,
    runs,
    medianMs,
    ratio: medianMs.minga / medianMs.reference,
    floorRatio: { minga: medianMs.minga / floorMs, reference: medianMs.reference / floorMs },
    storage,
  };
  const allConverged = runs.every((r) => r.converged);
  const notes = [
    `**Replay (target 2)**: ${source} (${trace.txns.length} keystrokes, each its own transaction), one writer → ${READERS} readers, stock WebsocketProvider clients in one process; ${rounds} round(s), order alternating.`,
    '',
    '| round | server | writer done | all readers have endContent | converged | disconnects |',
    '|---:|---|---:|---:|---|---:|',
    ...runs.map((r) => `| ${r.round} | ${r.server} | ${r.sendMs.toFixed(0)} ms | ${r.totalMs.toFixed(0)} ms | ${r.converged ? 'yes' : '**no**'} | ${r.disconnects} |`),
    '',
    `Bare in-process Y.Doc applying the same edits: ${bare.toFixed(0)} ms; floor (1 + ${READERS}) × that = ${floorMs.toFixed(0)} ms.`,
    `Median: Minga ${medianMs.minga.toFixed(0)} ms, reference ${medianMs.reference.toFixed(0)} ms → ratio ours/ref **${figures.ratio.toFixed(2)}** (target ≤ ${REPLAY_TARGETS.timeRatio}: ${figures.ratio <= REPLAY_TARGETS.timeRatio ? 'met' : 'missed'}); ` +
      `against the floor: Minga ${figures.floorRatio.minga.toFixed(2)}×, reference ${figures.floorRatio.reference.toFixed(2)}×. All converged to endContent: ${allConverged ? 'yes' : '**no**'}.`,
    '',
    ...(storage ? storageNotes(storage) : []),
  ];
  const result: ReplayScenarioResult = {
    name: 'replay',
    description: 'the editing trace typed through the server, one writer → four readers (targets 2 and 3)',
    cases: [],
    durationMs: performance.now() - started,
    figures,
    notes,
  };
  if (params.profileDir) {
    const dir = params.profileDir;
    result.profiles = (await Promise.all((['minga', 'reference'] as const).map((name) => summarizeProfile(dir, name, windows[name])))).flat();
  }
  return result;
}

export const replayScenario: Scenario = {
  name: 'replay',
  description: 'real typing: the editing trace through the server to four readers, against the reference and the in-process floor; storage after it',
  run,
};
