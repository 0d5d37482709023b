/**
 * The export worker: runs exports and import conversions off the server's event loop, so a
 * large plan being written out never delays anyone's keystrokes. Loaded by worker-boot.mjs.
 */
import { parentPort } from 'node:worker_threads';
import { exportPlan } from './export-plan.ts';
import { importPlanFile } from '../import/import-file.ts';
import { TaskError } from './task-error.ts';
import type { WorkerReply, WorkerTask } from './worker-pool.ts';

const port = parentPort!;

/** Copy into a buffer of its own, so it can be transferred (pooled Node buffers cannot). */
function own(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
}

port.on('message', async (task: WorkerTask) => {
  const reply = (message: WorkerReply, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);
  try {
    if (task.kind === 'export') {
      const result = await exportPlan(task.request, (fraction, stage) => reply({ id: task.id, type: 'progress', fraction, stage }));
      const bytes = own(result.bytes);
      reply({ id: task.id, type: 'done', result: { ...result, bytes } }, [bytes.buffer as ArrayBuffer]);
    } else {
      const result = await importPlanFile(task.request);
      reply({ id: task.id, type: 'done', result });
    }
  } catch (error) {
    const failure = error instanceof TaskError ? error.toJSON() : { status: 500, code: task.kind === 'export' ? 'export_failed' : 'import_failed', message: 'The file could not be processed; nothing was changed.', detail: (error as Error)?.stack ?? String(error) };
    reply({ id: task.id, type: 'failed', error: failure });
  }
});
