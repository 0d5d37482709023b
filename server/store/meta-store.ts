/**
 * The embedded metadata store: plans, people, participations, invites and sessions, in one
 * lowdb JSON file (`DATA_DIR/minga.json`). Document bodies are not here: they live in the
 * per-document files of FileDocumentStorage, so saving a plan never rewrites this file; nor is
 * the attribution of Yjs client ids to people, which grows with every session that types
 * (`client-authors.jsonl`, see client-authors.ts).
 */
import path from 'node:path';
import { Low, Memory } from 'lowdb';
import { DataFile } from 'lowdb/node';
import { ClientAuthors } from './client-authors.ts';
import { EarliestDeadline } from './deadline.ts';
import type { Role } from '../../shared/roles.ts';
import type { TemplateName } from '../../shared/template.ts';
import type { Milestone } from '../../shared/versions.ts';

/** A plan. */
export interface DocumentRecord {
  id: string;
  title: string;
  template: TemplateName;
  createdAt: string;
  updatedAt: string;
  createdBy: string | null;
}

/** A person known to this server. Each invite for a new person creates one. */
export interface UserRecord {
  id: string;
  name: string;
  delegation: string;
  createdAt: string;
}

/** A person's access to one plan. */
export interface ParticipantRecord {
  documentId: string;
  userId: string;
  role: Role;
  invitedAt: string;
  invitedBy: string | null;
  joinedAt: string | null;
  revokedAt: string | null;
}

/** A link that signs a participant in; only the SHA-256 of its token is kept. */
export interface InviteRecord {
  id: string;
  documentId: string;
  userId: string;
  tokenHash: string;
  reusable: boolean;
  createdAt: string;
  createdBy: string | null;
  expiresAt: string;
  revokedAt: string | null;
  /** When the link was exchanged for a session (a single-use link has at most one). */
  redemptions: string[];
}

/** A signed-in browser; only the SHA-256 of its cookie value is kept. */
export interface SessionRecord {
  idHash: string;
  userId: string;
  createdAt: string;
  expiresAt: string;
}

/** The whole metadata file. */
export interface MetaData {
  version: 1;
  documents: DocumentRecord[];
  users: UserRecord[];
  participants: ParticipantRecord[];
  invites: InviteRecord[];
  sessions: SessionRecord[];
  /** Milestones of the cooperation calendar, per plan (versions live in DATA_DIR/versions/). */
  milestones: Milestone[];
}

/** An empty store. */
export function emptyMeta(): MetaData {
  return { version: 1, documents: [], users: [], participants: [], invites: [], sessions: [], milestones: [] };
}

/** The lowdb database of metadata; writes are serialised and atomic (temp file + rename). */
export class MetaStore {
  private writing: Promise<void> = Promise.resolve();

  private constructor(
    private readonly db: Low<MetaData>,
    /** Who writes with which Yjs client id, per plan (its own append-only file). */
    readonly authors: ClientAuthors,
  ) {}

  /** Open (or create) the store in a data directory. */
  static async open(dataDir: string): Promise<MetaStore> {
    // Compact JSON: the file is rewritten whole, so every byte counts on every write.
    const db = new Low<MetaData>(new DataFile(path.join(dataDir, 'minga.json'), { parse: JSON.parse, stringify: (data) => JSON.stringify(data) }), emptyMeta());
    try {
      await db.read();
    } catch (error) {
      throw new Error(`the metadata file ${path.join(dataDir, 'minga.json')} cannot be read: ${(error as Error).message}`);
    }
    const authors = await ClientAuthors.open(path.join(dataDir, 'client-authors.jsonl'));
    // Before 2026-12-07 the attribution was a field of minga.json: moved to its own file (on
    // disk there first, so a crash in between loses nothing), then dropped from this one.
    const { clientAuthors: legacy, ...data } = db.data as MetaData & { clientAuthors?: Record<string, Record<string, string>> };
    db.data = { ...emptyMeta(), ...data };
    if (legacy) {
      await authors.adopt(legacy);
      await db.write();
    }
    return new MetaStore(db, authors);
  }

  /** A store that lives in memory only (for tests of the store contract). */
  static async memory(): Promise<MetaStore> {
    const db = new Low<MetaData>(new Memory<MetaData>(), emptyMeta());
    await db.read();
    return new MetaStore(db, await ClientAuthors.open(null));
  }

  /** Counts `update` calls, so that readers can keep indexes of the records and know when to rebuild them. */
  revision = 0;

  /** Read access to the data. */
  get data(): MetaData {
    return this.db.data;
  }

  /** A write that has been asked for but not started: later changes ride along with it. */
  private queued: Promise<void> | null = null;
  /** The bookkeeping write (`updateSoon`). */
  private readonly soon = new EarliestDeadline(() => void this.persist().catch(() => {}));

  /** Change the data and persist it; resolves once a write that includes the change is done. */
  async update<T>(change: (data: MetaData) => T): Promise<T> {
    let result: T;
    try {
      result = change(this.db.data);
    } finally {
      this.revision++;
    }
    await this.persist();
    return result;
  }

  /**
   * Change bookkeeping that may lag (last-edited times):
   * applied in memory now, written with the next write or within `withinMs`. Keeps whole-file
   * metadata rewrites off the path of every keystroke: a write serializes the whole workspace
   * (2 ms with 800 plans on the benchmark machine), a pause every reader of every plan feels.
   */
  updateSoon(change: (data: MetaData) => void, withinMs = 1000): void {
    // Bookkeeping changes fields of existing records and never adds or removes a user, plan,
    // participant, invite or session: indexes of those stay valid, so `revision` stays.
    change(this.db.data);
    this.soon.within(withinMs);
  }

  /** Resolves once the writes begun so far have ended (for tests). */
  flushed(): Promise<void> {
    return this.writing;
  }

  /** Write whatever is pending (at shutdown; the attribution file is closed, and reopened if needed). */
  async flush(): Promise<void> {
    this.soon.cancel();
    await Promise.all([this.persist(), this.authors.close()]);
  }

  /** One write at a time; a burst of changes shares the write queued behind the current one. */
  private persist(): Promise<void> {
    if (this.queued) return this.queued;
    const next = this.writing.then(() => {
      this.queued = null;
      return this.db.write();
    });
    this.queued = next;
    this.writing = next.catch(() => {});
    return next;
  }

  /** Re-read the file (the CLI's view of a stopped server's data). */
  async reload(): Promise<void> {
    await this.db.read();
  }
}
