/**
 * One server per data directory. The lock file records the owner's pid, URL and the admin
 * secret the local CLI uses to reach it; a lock left by a killed process is taken over.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';

/** What the lock file says. */
export interface LockInfo {
  pid: number;
  url: string | null;
  adminToken: string | null;
  startedAt: string;
  kind: 'server' | 'cli';
}

/** Thrown when another live process holds the data directory. */
export class DataDirLockedError extends Error {
  constructor(readonly holder: LockInfo, dataDir: string) {
    super(`Another Minga ${holder.kind} (pid ${holder.pid}${holder.url ? `, ${holder.url}` : ''}) is using the data directory ${dataDir}. Stop it, or set DATA_DIR to another directory.`);
    this.name = 'DataDirLockedError';
  }
}

function lockPath(dataDir: string): string {
  return path.join(dataDir, 'minga.lock');
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The current holder of a data directory, if a live process holds it. */
export async function readLock(dataDir: string): Promise<LockInfo | null> {
  try {
    const info = JSON.parse(await fs.readFile(lockPath(dataDir), 'utf8')) as LockInfo;
    return info.pid !== process.pid && alive(info.pid) ? info : null;
  } catch {
    return null;
  }
}

/** Take the data directory for this process; returns a release function. */
export async function acquireLock(dataDir: string, info: Omit<LockInfo, 'pid' | 'startedAt'>): Promise<{ release: () => Promise<void>; update: (patch: Partial<LockInfo>) => Promise<void> }> {
  await fs.mkdir(dataDir, { recursive: true });
  const file = lockPath(dataDir);
  let current: LockInfo = { ...info, pid: process.pid, startedAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await fs.writeFile(file, JSON.stringify(current), { flag: 'wx', mode: 0o600 });
      const write = async (patch: Partial<LockInfo>): Promise<void> => {
        current = { ...current, ...patch };
        await fs.writeFile(file, JSON.stringify(current), { mode: 0o600 });
      };
      return {
        update: write,
        release: async () => {
          const holder = await fs.readFile(file, 'utf8').then((t) => JSON.parse(t) as LockInfo).catch(() => null);
          if (holder?.pid === process.pid) await fs.rm(file, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = await readLock(dataDir);
      if (holder) throw new DataDirLockedError(holder, dataDir);
      await fs.rm(file, { force: true }); // stale: its process is gone
    }
  }
  throw new Error(`could not lock ${dataDir}`);
}
