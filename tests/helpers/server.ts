/** Start real Minga servers for tests: in-process on port 0, or as a child process. */
import { serverNodeFlags } from '../../server/start-flags.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { configFromEnv, type Config } from '../../server/config.ts';
import { startServer, type RunningServer } from '../../server/server.ts';
import { createLogger } from '../../server/logger.ts';
import type { Role } from '../../shared/roles.ts';
import { adminInvite } from '../../server/workspace/admin-commands.ts';
import type { ReclaimOptions } from '../../server/memory-reclaimer.ts';

export const ROOT = path.resolve(import.meta.dirname, '../..');

/** A fresh temporary data directory. */
export function tempDataDir(prefix = 'minga-test-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

/** Remove a temporary directory. */
export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** A test server plus helpers to make participants. */
export interface TestServer extends RunningServer {
  dataDir: string;
  wsUrl: string;
  documentId: string;
  /** Add a participant with a role to a plan and return a token for them. */
  invite(role: Role, options?: { name?: string; delegation?: string; documentId?: string }): Promise<{ token: string; url: string; userId: string }>;
  /** Stop without removing the data directory (for restarts). */
  stop(): Promise<void>;
}

/** Start an in-process server on port 0 with a temp (or given) data directory. */
export async function startTestServer(
  options: { dataDir?: string; config?: Partial<Config>; logs?: string[]; /** Clock of the milestone schedule. */ now?: () => number; milestoneCheckMs?: number; reclaim?: ReclaimOptions } = {},
): Promise<TestServer> {
  const dataDir = options.dataDir ?? tempDataDir();
  const config: Config = { ...configFromEnv({ PORT: '0', DATA_DIR: dataDir }), ...options.config, dataDir };
  const logs = options.logs;
  const logger = createLogger({ quiet: !logs, write: (line) => (logs ? logs.push(line) : undefined) });
  const server = await startServer(config, { logger, now: options.now, milestoneCheckMs: options.milestoneCheckMs, reclaim: options.reclaim });
  const documentId = server.sample?.documentId ?? server.workspace.meta.data.documents[0]?.id;
  return {
    ...server,
    dataDir,
    wsUrl: server.url.replace(/^http/, 'ws') + '/collab',
    documentId,
    invite: async (role, o = {}) =>
      adminInvite(server.workspace, server.url, {
        doc: o.documentId ?? documentId,
        role,
        name: o.name ?? `Test ${role}`,
        delegation: o.delegation ?? 'Perú · MTPE',
        reusable: true,
        expiresInHours: 24,
      }),
    stop: () => server.close(),
  };
}

/** A server in a child process (for kill -9 and second-process tests). */
export interface ChildServer {
  process: ChildProcess;
  url: string;
  output: string[];
  invites: Map<string, string>;
  documentId: string | null;
  exited: Promise<number | null>;
}

/**
 * Spawn `server/main.ts` with an environment (or, with `compiled`, dist/server/main.mjs as
 * `npm start` runs it, which must have been built); resolves when it prints its URL.
 */
export function spawnServer(env: Record<string, string>, options: { compiled?: boolean } = {}): Promise<ChildServer> {
  const entry = options.compiled ? [...serverNodeFlags(), 'dist/server/main.mjs'] : ['--import', 'tsx', 'server/main.ts'];
  const child = spawn(process.execPath, entry, {
    cwd: ROOT,
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const invites = new Map<string, string>();
  let documentId: string | null = null;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    let buffer = '';
    const onData = (chunk: Buffer): void => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        output.push(line);
        const invite = /^\s+(owner|editor|suggester|commenter|viewer)\s+.*#(\S+)$/.exec(line);
        if (invite) invites.set(invite[1], invite[2]);
        const sample = /"event":"sample.created","documentId":"([^"]+)"/.exec(line);
        if (sample) documentId = sample[1];
        const running = /Minga is running at (\S+)/.exec(line);
        if (running) setTimeout(() => resolve({ process: child, url: running[1], output, invites, documentId, exited }), 50);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    void exited.then((code) => reject(new Error(`server exited with ${code}:\n${output.join('\n')}`)));
  });
}
