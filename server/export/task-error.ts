/**
 * A refusal from export or import work, with the HTTP status and machine code routes answer
 * with. It crosses the worker boundary as plain data and is rebuilt on the other side.
 */

/** A typed refusal: status, code and a sentence a person can act on. */
export class TaskError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'TaskError';
  }

  /** As plain data, for postMessage. */
  toJSON(): { status: number; code: string; message: string } {
    return { status: this.status, code: this.code, message: this.message };
  }
}

/** Rebuild a TaskError from anything a worker reported (unknown failures become a 500). */
export function taskErrorFrom(value: unknown): TaskError {
  if (value instanceof TaskError) return value;
  const data = value as { status?: unknown; code?: unknown; message?: unknown } | null;
  if (data && typeof data.status === 'number' && typeof data.code === 'string' && typeof data.message === 'string') {
    return new TaskError(data.status, data.code, data.message);
  }
  return new TaskError(500, 'export_failed', 'The file could not be produced; nothing was changed. Try again.');
}
