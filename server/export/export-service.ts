/**
 * Exports and imports as the server offers them: reads a plan's state (live room first) or a
 * captured version's, runs the conversion in the worker pool, and keeps export jobs with their
 * progress for the browser to poll. Framework-free: routes and the CLI call it.
 */
import { randomBytes } from 'node:crypto';
import { CURRENT_PLAN } from '../../shared/versions.ts';
import type { ExportJob, ExportOptions } from '../../shared/export.ts';
import type { ExportResult } from './export-plan.ts';
import type { ImportRequest, ImportResult } from '../import/import-file.ts';
import type { PlanSnapshot } from './plan-model.ts';
import { TaskError } from './task-error.ts';
import { WorkerPool } from './worker-pool.ts';

/** A captured version's state and the words of its title page. */
export interface VersionState {
  name: string;
  capturedAt: string;
  state: Uint8Array;
}

/** Where exports read plans from. */
export interface ExportSources {
  /** The whole current state of a plan as one Yjs update, or null for an unknown plan. */
  readState(documentId: string): Promise<Uint8Array | null>;
  /** A captured version of a plan, or null if the plan has no such version. */
  readVersion(documentId: string, versionId: string): Promise<VersionState | null>;
}

/** The state of a plan, or of one of its versions, with the words of its title page. */
export async function planSnapshot(sources: ExportSources, documentId: string, title: string, versionId?: string): Promise<PlanSnapshot> {
  if (versionId && versionId !== CURRENT_PLAN) {
    const version = await sources.readVersion(documentId, versionId);
    if (!version) throw new TaskError(404, 'version_not_found', 'This plan has no version with that id.');
    return { state: version.state, title, versionName: version.name, date: version.capturedAt };
  }
  const state = await sources.readState(documentId);
  if (!state) throw new TaskError(404, 'document_not_found', 'This plan does not exist.');
  return { state, title, versionName: null, date: new Date().toISOString() };
}

/** An export job kept for its owner to poll and download. */
export interface ExportJobRecord {
  id: string;
  userId: string;
  documentId: string;
  options: ExportOptions;
  status: ExportJob['status'];
  progress: number;
  stage: string;
  result: ExportResult | null;
  error: TaskError | null;
  finishedAt: number | null;
}

/** How long a finished job (and its file) is kept. */
export const EXPORT_JOB_TTL_MS = 10 * 60_000;
/** Most unfinished exports one person may have at once. */
export const MAX_JOBS_PER_PERSON = 3;

/** The export and import service of one server (or CLI) process. */
export class ExportService {
  readonly pool: WorkerPool;
  private readonly jobs = new Map<string, ExportJobRecord>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly sources: ExportSources,
    options: { pool?: WorkerPool; onFailure?: (detail: string) => void } = {},
  ) {
    this.pool = options.pool ?? new WorkerPool({ onFailure: options.onFailure });
    this.sweeper = setInterval(() => this.sweep(), 60_000);
    this.sweeper.unref();
  }

  /** The state of a plan, or of one of its versions, with the words of its title page. */
  snapshot(documentId: string, title: string, versionId?: string): Promise<PlanSnapshot> {
    return planSnapshot(this.sources, documentId, title, versionId);
  }

  /** Export at once and wait for the file (scripts, the CLI). */
  async exportNow(documentId: string, title: string, options: ExportOptions): Promise<ExportResult> {
    const snapshot = await this.snapshot(documentId, title, options.version);
    return this.pool.runExport({ snapshot, options });
  }

  /** Start an export job for a person; poll it with `job()`. */
  startJob(owner: { userId: string; documentId: string; title: string }, options: ExportOptions): ExportJobRecord {
    this.sweep();
    const unfinished = [...this.jobs.values()].filter((job) => job.userId === owner.userId && job.finishedAt === null);
    if (unfinished.length >= MAX_JOBS_PER_PERSON) {
      throw new TaskError(429, 'too_many_exports', 'You already have several exports in progress; wait for them to finish.');
    }
    const job: ExportJobRecord = {
      id: randomBytes(12).toString('base64url'),
      userId: owner.userId,
      documentId: owner.documentId,
      options,
      status: 'queued',
      progress: 0,
      stage: 'queued',
      result: null,
      error: null,
      finishedAt: null,
    };
    this.jobs.set(job.id, job);
    void (async () => {
      try {
        const snapshot = await this.snapshot(owner.documentId, owner.title, options.version);
        job.status = 'running';
        job.result = await this.pool.runExport({ snapshot, options }, (fraction, stage) => {
          job.progress = Math.max(job.progress, Math.min(1, fraction));
          job.stage = stage;
        });
        job.status = 'done';
        job.progress = 1;
        job.stage = 'done';
      } catch (error) {
        job.status = 'failed';
        job.stage = 'failed';
        job.error = error instanceof TaskError ? error : new TaskError(500, 'export_failed', 'The file could not be produced; nothing was changed. Try again.');
      } finally {
        job.finishedAt = Date.now();
      }
    })();
    return job;
  }

  /** A job of this person on this plan, if it exists. */
  job(jobId: string, userId: string, documentId: string): ExportJobRecord | undefined {
    const job = this.jobs.get(jobId);
    return job && job.userId === userId && job.documentId === documentId ? job : undefined;
  }

  /** A job as the API describes it. */
  describe(job: ExportJobRecord): ExportJob {
    return {
      id: job.id,
      format: job.options.format,
      status: job.status,
      progress: Math.round(job.progress * 100) / 100,
      stage: job.stage,
      fileName: job.result?.fileName ?? null,
      bytes: job.result?.bytes.byteLength ?? null,
      error: job.error ? { code: job.error.code, message: job.error.message } : null,
      downloadUrl: job.status === 'done' ? `/api/documents/${encodeURIComponent(job.documentId)}/exports/${job.id}/file` : null,
    };
  }

  /** Convert an upload in a worker. */
  importFile(request: ImportRequest): Promise<ImportResult> {
    return this.pool.runImport(request);
  }

  private sweep(): void {
    const now = Date.now();
    for (const [id, job] of this.jobs) if (job.finishedAt !== null && now - job.finishedAt > EXPORT_JOB_TTL_MS) this.jobs.delete(id);
  }

  /** Stop the workers (server shutdown). */
  async close(): Promise<void> {
    clearInterval(this.sweeper);
    await this.pool.close();
  }
}
