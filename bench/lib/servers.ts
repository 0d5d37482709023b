/**
 * The servers under test, each in its own child process so that it has an event loop (and,
 * on a 2-core machine, a core) of its own, and the load-generating clients never share one
 * with it. Children are killed when the bench process exits, however it exits.
 */
import { serverNodeFlags } from '../../server/start-flags.ts';
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, promises as fs, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { readLock } from '../../server/store/lock.ts';
import type { ServerName } from './types.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const REFERENCE_BIN = path.join(ROOT, 'node_modules/y-websocket-ref/bin/server.cjs');
const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;

/** Children still running and their data: killed and removed on exit, so a failed run leaves nothing behind. */
const live = new Set<ChildProcess>();
const scratch = new Set<string>();
/** The files MINGA_BENCH_SERVER_LOG names, one per server child started. */
const logFiles = new Set<string>();

/**
 * Write a line of the bench's own into every server log (MINGA_BENCH_SERVER_LOG), so that what
 * a server printed (a `--trace-gc` line, say) can be placed in a round.
 */
export function markServerLogs(line: string): void {
  for (const file of logFiles) appendFileSync(file, `## bench ${performance.now().toFixed(1)} ms ${new Date().toISOString()}: ${line}\n`);
}
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

/** A running server child. */
export interface ServerProcess {
  name: ServerName;
  pid: number;
  port: number;
  /** Base URL for WebsocketProvider (the room name is appended to it). */
  wsBase: string;
  /** The child's last lines of output, for error messages. */
  tail(): string;
  /** SIGTERM, then SIGKILL if it does not exit in time; removes its temporary data. */
  stop(): Promise<void>;
}

/** A running Minga server with the handles the load needs. */
export interface MingaProcess extends ServerProcess {
  dataDir: string;
  /** Every memory.* line the server logged (memory.reclaimed: a collection after unloads). */
  memoryEvents(): string[];
  /** The sample plan created on first start. */
  sampleDocumentId: string;
  /** An editor's invite token for the sample plan (sent as ?token=). */
  editorToken: string;
  /** Create a SOVIO plan and an editor invite for it, as `npm run cli -- doc create / invite` do. */
  createPlan(title: string): Promise<{ documentId: string; token: string }>;
}

let compiling: Promise<void> | null = null;

/** Build dist/server as `npm start` does (server/build.ts), once per bench process. */
function compiledServer(): Promise<void> {
  compiling ??= new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/build.ts'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`server/build.ts exited with ${code}`))));
  });
  return compiling;
}

/** A free TCP port on the loopback interface. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

interface Child {
  child: ChildProcess;
  /** Resolves with the accumulated stdout once `ready` accepts it. */
  ready: Promise<string>;
  tail(): string;
  memoryEvents(): string[];
  stop(): Promise<void>;
}

/** Spawn a server and wait until its output says it is ready. */
function spawnServer(label: string, args: string[], env: NodeJS.ProcessEnv, ready: (stdout: string) => boolean): Child {
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  // Keep reading both pipes for the whole run: a full pipe would block the server's logging.
  const lines: string[] = [];
  /** The server's memory.* log lines, all of them (the tail keeps only the last 40 lines). */
  const memoryEvents: string[] = [];
  let stdout = '';
  let isReady = false;
  // MINGA_BENCH_SERVER_LOG=PREFIX keeps every line each server prints in PREFIX.<label>.log.
  const logFile = process.env.MINGA_BENCH_SERVER_LOG ? `${process.env.MINGA_BENCH_SERVER_LOG}.${label.toLowerCase().replace(/\W+/g, '-')}.log` : null;
  if (logFile) logFiles.add(logFile);
  const remember = (chunk: Buffer): void => {
    if (logFile) appendFileSync(logFile, chunk);
    const incoming = chunk.toString('utf8').split('\n').filter(Boolean);
    memoryEvents.push(...incoming.filter((line) => line.includes('"event":"memory.')));
    lines.push(...incoming);
    if (lines.length > 40) lines.splice(0, lines.length - 40);
  };
  const tail = (): string => lines.join('\n');
  const readyPromise = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${label} did not start within ${READY_TIMEOUT_MS} ms:\n${tail()}`)), READY_TIMEOUT_MS);
    child.stdout!.on('data', (chunk: Buffer) => {
      remember(chunk);
      if (isReady) return;
      stdout += chunk.toString('utf8');
      if (ready(stdout)) {
        isReady = true;
        clearTimeout(timer);
        resolve(stdout);
      }
    });
    child.once('exit', (code, signal) => {
      live.delete(child);
      clearTimeout(timer);
      if (!isReady) reject(new Error(`${label} exited before it was ready (code ${code}, signal ${signal}):\n${tail()}`));
    });
  });
  child.stderr!.on('data', remember);
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  };
  return { child, ready: readyPromise, tail, memoryEvents: () => [...memoryEvents], stop };
}

/**
 * Node flags that make the child write CPU profiles into `dir/name` when it exits. Node
 * writes one per thread (tsx's loader has a thread of its own), hence a folder, not a name.
 */
function profileFlags(dir: string | null, name: string): string[] {
  return dir ? ['--cpu-prof', '--cpu-prof-dir', path.join(dir, name)] : [];
}

/**
 * Start a Minga server on a fresh data directory. The per-connection rate limit is raised
 * so that the load itself is never refused; auth, the update guard and persistence stay on.
 */
export async function startMinga(options: { profileDir?: string | null; /** Reuse the data of an earlier (stopped) server. */ dataDir?: string; /** stop() leaves the data directory for a later server. */ keepData?: boolean } = {}): Promise<MingaProcess> {
  const dataDir = options.dataDir ?? (await fs.mkdtemp(path.join(os.tmpdir(), 'minga-bench-')));
  scratch.add(dataDir);
  const port = await freePort();
  const env = { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, MESSAGES_PER_SECOND: '100000', MESSAGE_BURST: '100000' };
  // What `npm start` runs: the server compiled to JavaScript (built once per bench process).
  // Profiled runs use the TypeScript sources through tsx instead, so that the summary can name
  // each function's own file (V8 profiles of the bundle would name dist/server/main.mjs).
  const profiling = Boolean(options.profileDir);
  if (!profiling) await compiledServer();
  // MINGA_BENCH_NODE_FLAGS adds Node flags for a diagnosis (e.g. `--trace-gc`; its lines go to the log).
  const extra = (process.env.MINGA_BENCH_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean);
  const entry = profiling ? ['--import', 'tsx', 'server/main.ts'] : [...serverNodeFlags(), ...extra, 'dist/server/main.mjs'];
  const args = [...profileFlags(options.profileDir ?? null, 'minga'), ...entry];
  // A server on earlier data seeds no sample plan and prints no sign-in links.
  const seeds = !options.dataDir;
  const server = spawnServer('Minga', args, env, (out) => /Minga is running at/.test(out) && (!seeds || /^\s+editor\s.*\/invite#\S+$/m.test(out)));
  let stdout: string;
  try {
    stdout = await server.ready;
  } catch (error) {
    await server.stop();
    if (!options.dataDir) await fs.rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  const editorToken = /^\s+editor\s.*\/invite#(\S+)$/m.exec(stdout)?.[1] ?? '';
  // The banner names no plan; the structured log line of the seeding does.
  const sampleLine = stdout.split('\n').find((line) => line.includes('"sample.created"'));
  const sampleDocumentId = sampleLine ? (JSON.parse(sampleLine) as { documentId: string }).documentId : '';
  if (seeds && !sampleDocumentId) throw new Error(`Minga printed no sample.created line:\n${server.tail()}`);

  const admin = async <T>(route: string, body: unknown): Promise<T> => {
    // The same door the CLI uses on a running server: the lock file's URL and admin secret.
    const lock = await readLock(dataDir);
    if (!lock?.url || !lock.adminToken) throw new Error('the Minga lock file names no running server');
    const response = await fetch(new URL(route, lock.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-minga-admin': lock.adminToken },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`POST ${route} answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as T;
  };

  return {
    name: 'minga',
    pid: server.child.pid!,
    port,
    wsBase: `ws://127.0.0.1:${port}/collab`,
    dataDir,
    sampleDocumentId,
    editorToken,
    tail: server.tail,
    memoryEvents: server.memoryEvents,
    createPlan: async (title) => {
      const { id } = await admin<{ id: string }>('/api/admin/documents', { title, template: 'sovio' });
      const { token } = await admin<{ token: string }>('/api/admin/invites', { doc: id, role: 'editor', name: 'Bench editor' });
      return { documentId: id, token };
    },
    stop: async () => {
      await server.stop();
      if (options.keepData) return;
      await fs.rm(dataDir, { recursive: true, force: true });
      scratch.delete(dataDir);
    },
  };
}

/**
 * Start the reference: y-websocket 2.1.0's own server, in memory (no YPERSISTENCE). When
 * profiling, a SIGTERM handler is added so that Node gets to write the profile at exit.
 */
export async function startReference(options: { profileDir?: string | null } = {}): Promise<ServerProcess> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, HOST: '127.0.0.1', PORT: String(port) };
  delete env.YPERSISTENCE;
  // MINGA_BENCH_REFERENCE_NODE_FLAGS: the same diagnosis knob for the reference (e.g. `--trace-gc` on both).
  const extra = (process.env.MINGA_BENCH_REFERENCE_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean);
  const args = options.profileDir
    ? [...profileFlags(options.profileDir, 'reference'), ...extra, '-e', "process.on('SIGTERM', () => process.exit(0)); require(process.argv[1])", REFERENCE_BIN]
    : [...extra, REFERENCE_BIN];
  const server = spawnServer('reference y-websocket server', args, env, (out) => out.includes('running at'));
  try {
    await server.ready;
  } catch (error) {
    await server.stop();
    throw error;
  }
  return { name: 'reference', pid: server.child.pid!, port, wsBase: `ws://127.0.0.1:${port}`, tail: server.tail, stop: server.stop };
}
