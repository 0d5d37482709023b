/**
 * Named versions of plans: capture, list, open, compare, restore and verify. Framework-free:
 * it is given the version store, the milestone book, a way to read and change plans, a
 * logger and a clock, so the server, the command-line admin and tests run the same code.
 */
import { randomUUID } from 'node:crypto';
import * as Y from 'yjs';
import type { JSONContent } from '@tiptap/core';
import { initProseMirrorDoc, updateYFragment } from '@tiptap/y-tiptap';
import { readPlanContent } from '../../shared/plan-doc.ts';
import { YName } from '../../shared/protocol.ts';
import { planSchema } from '../../shared/schema.ts';
import { readThreads, type Thread } from '../../shared/threads.ts';
import { CURRENT_PLAN, type ChainReport, type ChangeAuthor, type CompareResult, type DiffElement, type MilestoneView, type VersionCapturer, type VersionSummary } from '../../shared/versions.ts';
import { SERVER_ORIGIN } from '../collab/room.ts';
import type { Logger } from '../collab/types.ts';
import { comparePlanStates, decodePlan, documentTree, type StateSide } from './comparison.ts';
import { verifyVersionChain, versionContentHash } from './hash-chain.ts';
import type { MilestoneBook } from './milestones.ts';
import type { PlanSource } from './plan-source.ts';
import { VersionError, type Clock, type StoredVersion } from './types.ts';
import type { VersionStore } from './version-store.ts';

/** Comparisons of two versions kept in memory. */
const CACHED_COMPARISONS = 20;

/** What the versions service is built from. */
export interface VersionServiceOptions {
  store: VersionStore;
  milestones: MilestoneBook;
  source: PlanSource;
  /** Whether a plan exists (milestones of removed plans are skipped). */
  documentExists(documentId: string): boolean;
  /** The person who wrote with a Yjs client id in a plan, if known. */
  authorOfClient(documentId: string, client: number): ChangeAuthor | undefined;
  /** Remember that a Yjs client id writes for a person (a restore is attributed to who restored). */
  recordClientAuthor(documentId: string, client: number, userId: string): void;
  logger: Logger;
  now: Clock;
}

/** A version opened read-only: its record, its body as ProseMirror JSON and its threads. */
export interface OpenedVersion {
  version: VersionSummary;
  content: JSONContent;
  threads: Thread[];
}

/** What a capture needs besides the plan. */
export interface CaptureRequest {
  name: string;
  milestoneId: string | null;
  capturedBy: VersionCapturer;
  restoredFrom?: string | null;
}

/** The record without its state. */
export function summaryOf(version: StoredVersion): VersionSummary {
  const { state: _state, ...summary } = version;
  return summary;
}

/** Capture, list, open, compare, restore and verify versions of plans. */
export class VersionService {
  /** Per plan, the tail of the work that must not interleave (captures extend the chain). */
  private readonly queues = new Map<string, Promise<unknown>>();
  /** Comparisons of two versions (immutable, so never stale), most recent last. */
  private readonly comparisons = new Map<string, CompareResult>();

  constructor(private readonly options: VersionServiceOptions) {}

  private serial<T>(documentId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(documentId) ?? Promise.resolve();
    const next = previous.then(work, work);
    const tail = next.catch(() => {});
    this.queues.set(documentId, tail);
    void tail.then(() => {
      if (this.queues.get(documentId) === tail) this.queues.delete(documentId);
    });
    return next;
  }

  private iso(): string {
    return new Date(this.options.now()).toISOString();
  }

  private requirePlan(documentId: string): void {
    if (!this.options.documentExists(documentId)) throw new VersionError(404, 'document_not_found', 'This plan does not exist.');
  }

  /** Every version of a plan, oldest first, without states. */
  async list(documentId: string): Promise<VersionSummary[]> {
    this.requirePlan(documentId);
    return (await this.options.store.list(documentId)).map(summaryOf);
  }

  /** One stored version, or a 404. */
  async find(documentId: string, versionId: string): Promise<StoredVersion> {
    this.requirePlan(documentId);
    const version = (await this.options.store.list(documentId)).find((v) => v.id === versionId);
    if (!version) throw new VersionError(404, 'version_not_found', 'This version does not exist in this plan.');
    return version;
  }

  /** A plan's milestones, each with the version captured for it (if any). */
  async milestoneViews(documentId: string): Promise<MilestoneView[]> {
    this.requirePlan(documentId);
    const versions = await this.options.store.list(documentId);
    const now = this.options.now();
    return this.options.milestones.list(documentId).map((m) => ({ ...m, versionId: versions.find((v) => v.milestoneId === m.id)?.id ?? null, due: Date.parse(m.dueAt) <= now }));
  }

  /** Capture the plan's whole current state (text, threads and their states) as a new immutable version. */
  captureVersion(documentId: string, request: CaptureRequest): Promise<VersionSummary> {
    this.requirePlan(documentId);
    if (request.milestoneId) this.options.milestones.get(documentId, request.milestoneId);
    return this.serial(documentId, async () => {
      const state = await this.options.source.readState(documentId);
      if (!state) throw new VersionError(404, 'document_not_found', 'This plan has no stored content.');
      const versions = await this.options.store.list(documentId);
      const content: Omit<StoredVersion, 'contentHash'> = {
        id: randomUUID(),
        documentId,
        name: request.name,
        milestoneId: request.milestoneId,
        capturedBy: request.capturedBy,
        capturedAt: this.iso(),
        size: state.length,
        prevHash: versions.at(-1)?.contentHash ?? null,
        restoredFrom: request.restoredFrom ?? null,
        state: Buffer.from(state).toString('base64'),
      };
      const version: StoredVersion = { ...content, contentHash: versionContentHash(content) };
      await this.options.store.append(documentId, version);
      this.options.logger.info('version.captured', { documentId, versionId: version.id, milestoneId: version.milestoneId, size: version.size, by: request.capturedBy.kind === 'person' ? request.capturedBy.id : request.capturedBy.source });
      return summaryOf(version);
    });
  }

  /** A version's body and threads, read-only. */
  async openVersion(documentId: string, versionId: string): Promise<OpenedVersion> {
    const version = await this.find(documentId, versionId);
    const ydoc = new Y.Doc();
    try {
      Y.applyUpdate(ydoc, Buffer.from(version.state, 'base64'));
      return { version: summaryOf(version), content: readPlanContent(ydoc), threads: readThreads(ydoc) };
    } finally {
      ydoc.destroy();
    }
  }

  /** A version's body as a tree for rendering (the standalone HTML page). */
  async versionTree(documentId: string, versionId: string): Promise<{ version: VersionSummary; doc: DiffElement }> {
    const version = await this.find(documentId, versionId);
    const plan = decodePlan(Buffer.from(version.state, 'base64'));
    try {
      return { version: summaryOf(version), doc: documentTree(plan.doc) };
    } finally {
      plan.ydoc.destroy();
    }
  }

  private async side(documentId: string, id: string): Promise<StateSide> {
    if (id === CURRENT_PLAN) {
      const state = await this.options.source.readState(documentId);
      if (!state) throw new VersionError(404, 'document_not_found', 'This plan has no stored content.');
      return { id, name: 'Plan actual', at: this.iso(), state };
    }
    const version = await this.find(documentId, id);
    return { id, name: version.name, at: version.capturedAt, state: Buffer.from(version.state, 'base64') };
  }

  /** Compare two versions (or a version with the current plan, CURRENT_PLAN); the earlier side is always "from". */
  async compareVersions(documentId: string, fromId: string, toId: string): Promise<CompareResult> {
    this.requirePlan(documentId);
    let older = await this.side(documentId, fromId);
    let newer = await this.side(documentId, toId);
    if (older.id === CURRENT_PLAN || (newer.id !== CURRENT_PLAN && older.at > newer.at)) [older, newer] = [newer, older];
    // Two versions never change: a reviewer going back and forth (or the HTML page after the view) costs nothing.
    const key = newer.id === CURRENT_PLAN ? null : `${documentId}/${older.id}/${newer.id}`;
    const cached = key ? this.comparisons.get(key) : undefined;
    if (cached) return cached;
    const result = comparePlanStates({ documentId, older, newer, authorOfClient: (client) => this.options.authorOfClient(documentId, client) });
    if (key) {
      this.comparisons.set(key, result);
      if (this.comparisons.size > CACHED_COMPARISONS) this.comparisons.delete(this.comparisons.keys().next().value!);
    }
    return result;
  }

  /**
   * Bring an old version's text back as one new change to the live plan (history is never
   * rewritten), then record a version of the result named after the restored one.
   */
  async restoreVersion(documentId: string, versionId: string, by: Extract<VersionCapturer, { kind: 'person' }>): Promise<{ version: VersionSummary }> {
    const source = await this.find(documentId, versionId);
    const old = decodePlan(Buffer.from(source.state, 'base64'));
    const target = old.doc;
    old.ydoc.destroy();
    let writer = 0;
    const found = await this.options.source.change(documentId, (live) => {
      // Work on a copy with its own client id, so the restored text is attributed to who restored it.
      const scratch = new Y.Doc();
      Y.applyUpdate(scratch, Y.encodeStateAsUpdate(live));
      const before = Y.encodeStateVector(scratch);
      const fragment = scratch.getXmlFragment(YName.body);
      const { meta } = initProseMirrorDoc(fragment, planSchema);
      scratch.transact(() => updateYFragment(scratch, fragment, target, meta));
      writer = scratch.clientID;
      Y.applyUpdate(live, Y.encodeStateAsUpdate(scratch, before), SERVER_ORIGIN);
      scratch.destroy();
    });
    if (!found) throw new VersionError(404, 'document_not_found', 'This plan does not exist.');
    this.options.recordClientAuthor(documentId, writer, by.id);
    const version = await this.captureVersion(documentId, { name: `Restaurado desde «${source.name}»`.slice(0, 200), milestoneId: null, capturedBy: by, restoredFrom: source.id });
    this.options.logger.info('version.restored', { documentId, versionId: source.id, userId: by.id, newVersionId: version.id });
    return { version };
  }

  /** Verify the stored chain of a plan: every hash recomputed, every link checked, every state decoded. */
  verifyVersionChain(documentId: string): Promise<ChainReport> {
    this.requirePlan(documentId);
    return this.serial(documentId, async () => {
      const versions = await this.options.store.reload(documentId);
      return verifyVersionChain(versions, { checkStates: true, damage: this.options.store.damaged(documentId) });
    });
  }

  /** The chain's state as listed with the versions (hashes and links, without decoding states). */
  async chainStatus(documentId: string): Promise<ChainReport> {
    this.requirePlan(documentId);
    const versions = await this.options.store.list(documentId);
    return verifyVersionChain(versions, { damage: this.options.store.damaged(documentId) });
  }
}
