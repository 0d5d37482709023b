/**
 * Who writes with which Yjs client id, per plan: what attributes text to people in compare
 * views. Kept apart from `minga.json`, in an append-only file of JSON lines beside it
 * (`DATA_DIR/client-authors.jsonl`, one line per plan and client id, the first writer wins).
 *
 * It grows with every browser session that types (each one is a new Yjs client id). In
 * `minga.json` every such session meant rewriting the whole workspace file, whose
 * `JSON.stringify` held the event loop for 4–7 ms with a few hundred plans, in the first second
 * of people's typing; here a second's new ids cost one short append.
 */
import { close, constants as fsConstants, open, promises as fs } from 'node:fs';
import path from 'node:path';
import { EarliestDeadline } from './deadline.ts';
import { DSYNC, syncDir, writeAll } from './frames.ts';

/** One line of the file. */
interface AuthorLine {
  /** Plan id. */
  d: string;
  /** Yjs client id. */
  c: number;
  /** User id. */
  u: string;
}

const APPEND_FLAGS = fsConstants.O_WRONLY | fsConstants.O_APPEND | fsConstants.O_CREAT | (DSYNC ?? 0);
/** How soon a failed append is tried again. */
const RETRY_MS = 2000;

/** The attribution of Yjs client ids to people, in memory, appended to its file in batches. */
export class ClientAuthors {
  private readonly byPlan = new Map<string, Map<number, string>>();
  /** Lines recorded in memory and not yet on disk, in order. */
  private pending: string[] = [];
  // A failure keeps the lines pending and tries again; `flush` at shutdown reports it.
  private readonly deadline = new EarliestDeadline(() => void this.flush().catch(() => this.deadline.within(RETRY_MS)));
  private writing: Promise<void> = Promise.resolve();
  /** The file may end in a partial line (a torn write): the next append starts a new line first. */
  private torn = false;
  /** Whether the file is known to exist (its creation is made durable with the first append). */
  private exists = false;
  /** The file, open for appending between writes (fs callbacks: no FileHandle on the event loop). */
  private fd: number | null = null;

  private constructor(private readonly file: string | null) {}

  /** Read the file (missing: nothing known yet). `null`: in memory only. */
  static async open(file: string | null): Promise<ClientAuthors> {
    const authors = new ClientAuthors(file);
    if (!file) return authors;
    let text = '';
    try {
      text = await fs.readFile(file, 'utf8');
      authors.exists = true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`the attribution file ${file} cannot be read: ${(error as Error).message}`);
    }
    for (const line of text.split('\n')) {
      const entry = parseLine(line);
      if (entry) authors.remember(entry.d, entry.c, entry.u);
    }
    // A crash in the middle of an append leaves a partial last line: skipped above, and ended
    // before anything else is written after it.
    authors.torn = text.length > 0 && !text.endsWith('\n');
    return authors;
  }

  /** The user id that writes with `client` in a plan, if known. */
  author(documentId: string, client: number): string | undefined {
    return this.byPlan.get(documentId)?.get(client);
  }

  /**
   * Remember that `userId` writes with `clients` (ids already known keep their author): in
   * memory at once, on disk within `withinMs` together with whatever else is new by then.
   */
  record(documentId: string, clients: readonly number[], userId: string, withinMs = 1000): void {
    let added = false;
    for (const client of clients) {
      if (this.remember(documentId, client, userId)) {
        this.pending.push(JSON.stringify({ d: documentId, c: client, u: userId } satisfies AuthorLine));
        added = true;
      }
    }
    if (added) this.deadline.within(withinMs);
  }

  /** Write what is pending now; resolves once it is on disk (rejects if it could not be written). */
  flush(): Promise<void> {
    this.deadline.cancel();
    const next = this.writing.then(() => this.append());
    this.writing = next.catch(() => {});
    return next;
  }

  /**
   * Take over attributions kept elsewhere (the `clientAuthors` field of an older `minga.json`):
   * those not already known are on disk when this resolves, so the caller may drop the old copy.
   */
  async adopt(legacy: Record<string, Record<string, string>>): Promise<void> {
    for (const [documentId, clients] of Object.entries(legacy)) {
      for (const [client, userId] of Object.entries(clients)) this.record(documentId, [Number(client)], userId);
    }
    await this.flush();
  }

  private remember(documentId: string, client: number, userId: string): boolean {
    let known = this.byPlan.get(documentId);
    if (!known) this.byPlan.set(documentId, (known = new Map()));
    if (known.has(client)) return false;
    known.set(client, userId);
    return true;
  }

  /** The pending lines as the bytes of one append. */
  private batch(): string {
    return (this.torn ? '\n' : '') + this.pending.join('\n') + '\n';
  }

  private async append(): Promise<void> {
    if (!this.file || this.pending.length === 0) {
      this.pending = [];
      return;
    }
    const lines = this.pending;
    const bytes = Buffer.from(this.batch());
    this.pending = [];
    const file = this.file;
    try {
      this.fd ??= await new Promise<number>((resolve, reject) => open(file, APPEND_FLAGS, 0o600, (error, fd) => (error ? reject(error) : resolve(fd))));
      await writeAll(this.fd, bytes, true);
      this.torn = false;
      if (!this.exists) await syncDir(path.dirname(file));
      this.exists = true;
    } catch (error) {
      // Part of the batch may be on disk: the next append starts on a new line, and writes the
      // whole batch again (a line written twice is read once: the first writer wins). The file
      // is opened again for it (it may have been removed or replaced meanwhile).
      this.torn = true;
      this.pending = [...lines, ...this.pending];
      this.closeFile();
      throw error;
    }
  }

  /** Write what is pending and close the file (at shutdown; a later `record` opens it again). */
  async close(): Promise<void> {
    try {
      await this.flush();
    } finally {
      this.closeFile();
    }
  }

  private closeFile(): void {
    if (this.fd !== null) close(this.fd, () => {});
    this.fd = null;
  }
}

/** A line of the file, or null for a blank, torn or foreign one. */
function parseLine(line: string): AuthorLine | null {
  if (!line) return null;
  try {
    const entry = JSON.parse(line) as Partial<AuthorLine>;
    if (typeof entry.d === 'string' && Number.isSafeInteger(entry.c) && typeof entry.u === 'string') return entry as AuthorLine;
  } catch {
    // A torn line.
  }
  return null;
}
