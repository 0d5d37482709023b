/**
 * The journal: one write-ahead log shared by every plan's saves, committed in groups.
 *
 * A save records its frames here and is durable when its record is on disk. Records that
 * arrive while a journal write is on its way to the disk go together in the next one (group
 * commit): a hundred plans saving in the same tick cost a few durable writes, not a hundred.
 *
 * Files are `<time>-<pid>-<n>.wal` in the documents directory, each a run of frames
 * `[u32 length][u32 crc32][payload]` (the plan logs' framing, frames.ts) whose payload is
 * `[u8 id length][id][the plan log's frames]`. A file is retired once it is large or old
 * enough; then `flushDocument` is called for every plan it names (the storage writes the plan's
 * frames to its own log, durably), and only then is the file deleted. After a crash,
 * `recoverJournals` hands what the remaining files hold to the storage before anything is
 * loaded: a record already in a log comes in twice, which Yjs ignores.
 */
import { close, ftruncate, open, promises as fs, constants as fsConstants } from 'node:fs';
import path from 'node:path';
import { DSYNC, encodeFrames, parseFrames, syncDir, writeAll } from './frames.ts';

const JOURNAL_SUFFIX = '.wal';
/** Journal writes are durable when they return (O_DSYNC; see frames.ts). */
const JOURNAL_FLAGS = fsConstants.O_WRONLY | fsConstants.O_APPEND | fsConstants.O_CREAT | fsConstants.O_EXCL | (DSYNC ?? 0);

export interface JournalOptions {
  /** A file is retired once it holds this many bytes... */
  retireBytes: number;
  /** ...or is this old (ms) when a record is written to it. */
  retireMs: number;
  /** Write the plan's journaled frames to its own log, durably (nothing to do for those a compaction folded into its state). */
  flushDocument(documentId: string): Promise<void>;
  /** Told when retired files cannot be checkpointed yet (they stay and are retried). */
  onCheckpointError?(error: Error): void;
}

interface JournalFile {
  path: string;
  fd: number;
  /** Bytes of whole records in the file. */
  size: number;
  openedAt: number;
  /** Plans with a record in the file. */
  documents: Set<string>;
}

interface Waiter {
  resolve(): void;
  reject(error: Error): void;
}

export class Journal {
  private current: JournalFile | null = null;
  /** Retired files not yet deleted, oldest first. */
  private readonly retired: JournalFile[] = [];
  private queued: Buffer[] = [];
  private queuedDocuments = new Set<string>();
  private waiters: Waiter[] = [];
  private writing: Promise<void> | null = null;
  private checkpointing: Promise<void> | null = null;
  private sequence = 0;
  private idleTimer: NodeJS.Timeout | null = null;
  /** Durable writes made (a figure for tests and benchmarks). */
  commits = 0;

  constructor(
    private readonly dir: string,
    private readonly options: JournalOptions,
  ) {}

  /** Durably record `frames` (one append's frames, as the plan's log holds them); resolves once on disk. */
  record(documentId: string, frames: Uint8Array): Promise<void> {
    const id = Buffer.from(documentId, 'latin1');
    const record = encodeFrames([Buffer.concat([Buffer.of(id.length), id, frames])]);
    return new Promise<void>((resolve, reject) => {
      this.queued.push(record);
      this.queuedDocuments.add(documentId);
      this.waiters.push({ resolve, reject });
      this.writing ??= this.writeQueued();
    });
  }

  /** Write what is queued, one durable write per round, until nothing is left. */
  private async writeQueued(): Promise<void> {
    try {
      while (this.queued.length > 0) {
        const bytes = this.queued.length === 1 ? this.queued[0] : Buffer.concat(this.queued);
        const documents = this.queuedDocuments;
        const waiters = this.waiters;
        this.queued = [];
        this.queuedDocuments = new Set();
        this.waiters = [];
        try {
          const file = await this.openCurrent();
          await this.append(file, bytes);
          for (const documentId of documents) file.documents.add(documentId);
          this.commits++;
          for (const waiter of waiters) waiter.resolve();
          if (file.size >= this.options.retireBytes || Date.now() - file.openedAt >= this.options.retireMs) this.retireCurrent();
          else this.retireWhenIdle(file);
        } catch (error) {
          for (const waiter of waiters) waiter.reject(error as Error);
        }
      }
    } finally {
      this.writing = null;
    }
  }

  /** Append `bytes` to `file`; on failure cut off whatever part reached it (and retire the file if that fails too). */
  private async append(file: JournalFile, bytes: Buffer): Promise<void> {
    try {
      await writeAll(file.fd, bytes, true);
      file.size += bytes.length;
    } catch (error) {
      // A partial record would hide every later one from recovery: remove it, or stop using the file.
      const cut = await new Promise<boolean>((resolve) => ftruncate(file.fd, file.size, (truncateError) => resolve(!truncateError)));
      if (!cut) this.retireCurrent();
      throw error;
    }
  }

  private async openCurrent(): Promise<JournalFile> {
    if (this.current) return this.current;
    const file = path.join(this.dir, `${Date.now()}-${process.pid}-${this.sequence++}${JOURNAL_SUFFIX}`);
    const fd = await new Promise<number>((resolve, reject) => open(file, JOURNAL_FLAGS, 0o600, (error, fd) => (error ? reject(error) : resolve(fd))));
    // The new file's name must survive a crash of the machine with the records written to it.
    await syncDir(this.dir);
    this.current = { path: file, fd, size: 0, openedAt: Date.now(), documents: new Set() };
    return this.current;
  }

  /** Retire `file` once it is old enough even if nothing more is written to it (a quiet server keeps no stale journal). */
  private retireWhenIdle(file: JournalFile): void {
    if (this.idleTimer) return;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      // A write in flight checks the file's age itself when it returns.
      if (this.current === file && !this.writing) this.retireCurrent();
    }, Math.max(0, file.openedAt + this.options.retireMs - Date.now()));
    this.idleTimer.unref();
  }

  /** Stop writing to the current file and checkpoint it in the background. */
  private retireCurrent(): void {
    const file = this.current;
    if (!file) return;
    this.current = null;
    close(file.fd, () => {});
    this.retired.push(file);
    this.checkpointing ??= this.checkpoint().finally(() => (this.checkpointing = null));
  }

  /** Flush the logs of the plans each retired file names, then delete the file. Stops at the first failure. */
  private async checkpoint(): Promise<void> {
    try {
      while (this.retired.length > 0) {
        const file = this.retired[0];
        // One plan at a time: the thread pool stays free for the saves and reads of the moment.
        for (const documentId of file.documents) await this.options.flushDocument(documentId);
        // A log the flushes created must be in its directory before the journal file goes.
        await syncDir(this.dir);
        await fs.rm(file.path, { force: true });
        this.retired.shift();
      }
    } catch (error) {
      this.options.onCheckpointError?.(error as Error);
    }
  }

  /** Write what is queued, then checkpoint every file (at shutdown). A file that cannot be checkpointed stays for recovery. */
  async close(): Promise<void> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    while (this.writing) await this.writing;
    this.retireCurrent();
    while (this.checkpointing) await this.checkpointing;
  }
}

/** The journal files in a directory, oldest first. */
async function journalFiles(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return names.filter((name) => name.endsWith(JOURNAL_SUFFIX)).sort().map((name) => path.join(dir, name));
}

/** Every record of the journal files, per plan: the plan log's frames, in order. */
export async function readJournals(files: readonly string[]): Promise<Map<string, Uint8Array[]>> {
  const byDocument = new Map<string, Uint8Array[]>();
  for (const file of files) {
    let bytes: Buffer;
    try {
      bytes = await fs.readFile(file);
    } catch (error) {
      // Deleted since it was listed (a running server's checkpoint): its records are in the logs.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    const { frames: records } = parseFrames(bytes);
    for (const record of records) {
      const idLength = record[0];
      const documentId = Buffer.from(record.subarray(1, 1 + idLength)).toString('latin1');
      const frames = record.subarray(1 + idLength);
      const list = byDocument.get(documentId);
      if (list) list.push(frames);
      else byDocument.set(documentId, [frames]);
    }
  }
  return byDocument;
}

/**
 * After a crash: hand each plan's journaled frames to `restore` (which makes them durable in
 * the plan's own log), then delete the journal files. Only the directory's owner (holding the
 * data directory's lock) may call this. Resolves with the plans restored.
 */
export async function recoverJournals(dir: string, restore: (documentId: string, frames: Uint8Array) => Promise<void>): Promise<string[]> {
  const files = await journalFiles(dir);
  if (files.length === 0) return [];
  const byDocument = await readJournals(files);
  for (const [documentId, frames] of byDocument) await restore(documentId, Buffer.concat(frames));
  // Logs the restore created must be in the directory before the journal files go.
  await syncDir(dir);
  for (const file of files) await fs.rm(file, { force: true });
  return [...byDocument.keys()];
}

/** A plan's journaled frames, read without writing anything (for readers of a directory they do not own). */
export async function journaledFrames(dir: string, documentId: string): Promise<Uint8Array[]> {
  const frames = (await readJournals(await journalFiles(dir))).get(documentId) ?? [];
  return frames.flatMap((bytes) => parseFrames(bytes).frames);
}
