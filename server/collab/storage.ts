/**
 * The storage seam of the collaboration core. The core never touches files or databases:
 * it gets one of these, and the same contract suite runs against every implementation.
 */

/** Where a document's Yjs data lives. Every method is per document and must be durable when it resolves. */
export interface DocumentStorage {
  /** Every stored update of a document (state first, then later ones), or null if unknown. */
  load(documentId: string): Promise<Uint8Array[] | null>;
  /** Create a document with its first state; refuses an id that exists. */
  create(documentId: string, state: Uint8Array): Promise<void>;
  /**
   * Durably add updates, in order, in one write; resolves with the bytes stored since the last
   * compaction. A crash during the write may keep a prefix of them, never a later one alone.
   */
  append(documentId: string, updates: readonly Uint8Array[]): Promise<{ pendingBytes: number }>;
  /** Replace everything stored for the document with one state that contains it all. */
  compact(documentId: string, state: Uint8Array): Promise<void>;
  /** Bytes the document occupies in storage. */
  size(documentId: string): Promise<number>;
}

/** Storage that keeps everything in memory: for tests of the core and for the contract suite. */
export class MemoryDocumentStorage implements DocumentStorage {
  private readonly docs = new Map<string, { state: Uint8Array; log: Uint8Array[] }>();

  async load(documentId: string): Promise<Uint8Array[] | null> {
    const entry = this.docs.get(documentId);
    return entry ? [entry.state, ...entry.log] : null;
  }

  async create(documentId: string, state: Uint8Array): Promise<void> {
    if (this.docs.has(documentId)) throw new Error(`document ${documentId} already exists`);
    this.docs.set(documentId, { state: state.slice(), log: [] });
  }

  async append(documentId: string, updates: readonly Uint8Array[]): Promise<{ pendingBytes: number }> {
    const entry = this.docs.get(documentId);
    if (!entry) throw new Error(`document ${documentId} does not exist`);
    for (const update of updates) entry.log.push(update.slice());
    return { pendingBytes: entry.log.reduce((n, u) => n + u.length, 0) };
  }

  async compact(documentId: string, state: Uint8Array): Promise<void> {
    const entry = this.docs.get(documentId);
    if (!entry) throw new Error(`document ${documentId} does not exist`);
    entry.state = state.slice();
    entry.log = [];
  }

  async size(documentId: string): Promise<number> {
    const entry = this.docs.get(documentId);
    return entry ? entry.state.length + entry.log.reduce((n, u) => n + u.length, 0) : 0;
  }
}
