/**
 * Small helpers of the trace, storage, joiners and memory scenarios: blank plans through
 * Minga's admin API (the door `npm run cli` uses), a server child's RSS, and waiting for files.
 */
import { promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import { readLock } from '../../server/store/lock.ts';
import { encodePlanContent } from '../../shared/plan-doc.ts';
import { blankTemplate } from '../../shared/template.ts';
import type { MingaProcess } from './servers.ts';
import type { RoomAddress } from './clients.ts';

/** The blank plan (a title and one empty paragraph) the reference rooms are seeded with. */
export function blankSeed(title = 'Plan de prueba'): Uint8Array {
  return encodePlanContent(blankTemplate(title));
}

/** Create `count` blank plans with an editor invite each, `concurrency` requests at a time. */
export async function createBlankPlans(minga: MingaProcess, count: number, concurrency = 16): Promise<Array<RoomAddress & { documentId: string }>> {
  const lock = await readLock(minga.dataDir);
  if (!lock?.url || !lock.adminToken) throw new Error('the Minga lock file names no running server');
  const url = lock.url;
  const adminToken = lock.adminToken;
  const post = async <T>(route: string, body: unknown): Promise<T> => {
    const response = await fetch(new URL(route, url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-minga-admin': adminToken },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`POST ${route} answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as T;
  };
  const out: Array<RoomAddress & { documentId: string }> = [];
  for (let i = 0; i < count; i += concurrency) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(concurrency, count - i) }, async (_, j) => {
        const { id } = await post<{ id: string }>('/api/admin/documents', { title: `Bench plan ${i + j + 1}`, template: 'blank' });
        const { token } = await post<{ token: string }>('/api/admin/invites', { doc: id, role: 'editor', name: 'Bench editor' });
        return { wsBase: minga.wsBase, room: id, params: { token }, documentId: id };
      }),
    );
    out.push(...batch);
  }
  return out;
}

/** Resident set size of a process, in bytes (VmRSS of /proc/<pid>/status). */
export function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  if (!match) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(match[1]) * 1024;
}

/** Bytes a process has caused to be written to storage so far (write_bytes of /proc/<pid>/io), or null. */
export function writtenBytes(pid: number): number | null {
  try {
    const match = /^write_bytes:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/io`, 'utf8'));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

/** Size of a file, 0 when it does not exist. */
export async function fileSize(file: string): Promise<number> {
  try {
    return (await fs.stat(file)).size;
  } catch {
    return 0;
  }
}

/** The two files of a Minga plan. */
export function planFiles(minga: MingaProcess, documentId: string): { state: string; log: string } {
  const dir = path.join(minga.dataDir, 'documents');
  return { state: path.join(dir, `${documentId}.ystate`), log: path.join(dir, `${documentId}.ylog`) };
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Poll `read` until it returns the same value for `stableMs` (and `accept` holds), or `timeoutMs` passes. */
export async function settle<T>(read: () => Promise<T>, accept: (value: T) => boolean, stableMs: number, timeoutMs: number): Promise<{ value: T; settled: boolean }> {
  const deadline = Date.now() + timeoutMs;
  let last = await read();
  let since = Date.now();
  while (Date.now() < deadline) {
    await sleep(50);
    const value = await read();
    if (JSON.stringify(value) !== JSON.stringify(last)) {
      last = value;
      since = Date.now();
    } else if (accept(value) && Date.now() - since >= stableMs) {
      return { value, settled: true };
    }
  }
  return { value: last, settled: false };
}
