/**
 * A small pool of worker threads for exports and import conversions. Workers start on demand
 * (up to `size`), are reused while tasks keep coming, and end after a quiet spell; a task
 * that runs too long has its worker ended. Idle workers never keep the process alive.
 */
import { Worker } from 'node:worker_threads';
import type { ExportRequest, ExportResult } from './export-plan.ts';
import type { ImportRequest, ImportResult } from '../import/import-file.ts';
import { TaskError, taskErrorFrom } from './task-error.ts';

/** A task sent to a worker. */
export type WorkerTask = { id: number; kind: 'export'; request: ExportRequest } | { id: number; kind: 'import'; request: ImportRequest };

/** A message a worker sends back. */
export type WorkerReply =
  | { id: number; type: 'progress'; fraction: number; stage: string }
  | { id: number; type: 'done'; result: ExportResult | ImportResult }
  | { id: number; type: 'failed'; error: { status: number; code: string; message: string; detail?: string } };

/** Sizes and times of a pool. */
export interface WorkerPoolOptions {
  /** Most tasks running at once (one per worker). */
  size?: number;
  /** A worker with nothing to do ends after this long. */
  idleMs?: number;
  /** A task running longer than this is stopped. */
  taskTimeoutMs?: number;
  /** Told about failures that have details worth logging. */
  onFailure?: (detail: string) => void;
}

/**
 * Run from TypeScript (tsx: tests, `npm run dev`), a worker boots tsx first; run from the
 * compiled server (dist/server, `npm start`), the compiled worker sits beside it.
 */
const COMPILED = import.meta.url.endsWith('.mjs');
const BOOT = COMPILED ? new URL('./export-worker.mjs', import.meta.url) : new URL('./worker-boot.mjs', import.meta.url);
const ENTRY = new URL('./export-worker.ts', import.meta.url).href;

/** The worker threads of one process. */
export class WorkerPool {
  private readonly idle: Array<{ worker: Worker; timer: NodeJS.Timeout }> = [];
  private readonly waiting: Array<() => void> = [];
  private readonly all = new Set<Worker>();
  private running = 0;
  private nextId = 1;
  private closed = false;
  private readonly size: number;
  private readonly idleMs: number;
  private readonly taskTimeoutMs: number;

  constructor(private readonly options: WorkerPoolOptions = {}) {
    this.size = options.size ?? 2;
    this.idleMs = options.idleMs ?? 30_000;
    this.taskTimeoutMs = options.taskTimeoutMs ?? 120_000;
  }

  /** Tasks queued behind running ones. */
  get queued(): number {
    return this.waiting.length;
  }

  /** Run an export in a worker. */
  runExport(request: ExportRequest, onProgress?: (fraction: number, stage: string) => void): Promise<ExportResult> {
    return this.run({ kind: 'export', request }, onProgress) as Promise<ExportResult>;
  }

  /** Run an import conversion in a worker. */
  runImport(request: ImportRequest): Promise<ImportResult> {
    return this.run({ kind: 'import', request }) as Promise<ImportResult>;
  }

  private async run(task: Omit<WorkerTask, 'id'>, onProgress?: (fraction: number, stage: string) => void): Promise<ExportResult | ImportResult> {
    if (this.closed) throw new TaskError(503, 'shutting_down', 'The server is shutting down; try again in a moment.');
    if (this.running >= this.size) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running++;
    const worker = this.take();
    const id = this.nextId++;
    try {
      return await new Promise<ExportResult | ImportResult>((resolve, reject) => {
        const timer = setTimeout(() => {
          cleanup();
          void worker.terminate();
          reject(new TaskError(504, 'export_timeout', 'Producing the file took too long and was stopped.'));
        }, this.taskTimeoutMs);
        const onMessage = (reply: WorkerReply) => {
          if (reply.id !== id) return;
          if (reply.type === 'progress') return onProgress?.(reply.fraction, reply.stage);
          cleanup();
          if (reply.type === 'done') {
            this.release(worker);
            resolve(reply.result);
          } else {
            this.release(worker);
            if (reply.error.detail) this.options.onFailure?.(reply.error.detail);
            reject(taskErrorFrom(reply.error));
          }
        };
        const onError = (error: Error) => {
          cleanup();
          this.options.onFailure?.(error.stack ?? error.message);
          reject(taskErrorFrom(error));
        };
        const onExit = () => {
          cleanup();
          reject(new TaskError(500, 'export_failed', 'The export worker stopped unexpectedly; nothing was changed. Try again.'));
        };
        const cleanup = () => {
          clearTimeout(timer);
          worker.off('message', onMessage);
          worker.off('error', onError);
          worker.off('exit', onExit);
        };
        worker.on('message', onMessage);
        worker.on('error', onError);
        worker.on('exit', onExit);
        worker.postMessage({ ...task, id });
      });
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }

  /** An idle worker, or a new one. */
  private take(): Worker {
    const idle = this.idle.pop();
    if (idle) {
      clearTimeout(idle.timer);
      idle.worker.ref();
      return idle.worker;
    }
    const worker = new Worker(BOOT, { workerData: { entry: ENTRY } });
    this.all.add(worker);
    worker.once('exit', () => {
      this.all.delete(worker);
      const at = this.idle.findIndex((entry) => entry.worker === worker);
      if (at >= 0) this.idle.splice(at, 1);
    });
    return worker;
  }

  /** Put a worker back to wait for the next task; it ends after a quiet spell. */
  private release(worker: Worker): void {
    if (this.closed || !this.all.has(worker)) {
      void worker.terminate();
      return;
    }
    worker.unref();
    const timer = setTimeout(() => void worker.terminate(), this.idleMs);
    timer.unref();
    this.idle.push({ worker, timer });
  }

  /** End every worker (server shutdown). */
  async close(): Promise<void> {
    this.closed = true;
    for (const { timer } of this.idle) clearTimeout(timer);
    this.idle.length = 0;
    await Promise.all([...this.all].map((worker) => worker.terminate()));
  }
}
