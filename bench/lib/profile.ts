/**
 * Read a V8 CPU profile (`node --cpu-prof`) of a server child and say where its time went
 * while it was being measured. Start-up (tsx compiling the server, the sample plan) is left
 * out by keeping only samples inside the measured windows: V8's profile timestamps and
 * process.hrtime() read the same monotonic clock, in every process of the machine.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';

/** A measured stretch, in process.hrtime.bigint() nanoseconds. */
export interface ProfileWindow {
  from: bigint;
  to: bigint;
}

/** Self time of one function or one source file. */
export interface ProfileEntry {
  name: string;
  ms: number;
  /** Share of the server's busy (non-idle) time. */
  pct: number;
}

/** Where a server's CPU time went during the measured windows. */
export interface ProfileReport {
  server: string;
  file: string;
  /** Length of the measured windows together. */
  windowMs: number;
  /** Time the server was running JavaScript, GC or native code (not idle) in them. */
  busyMs: number;
  functions: ProfileEntry[];
  files: ProfileEntry[];
  /**
   * Time by the innermost project function (server/, shared/) on the stack, with the package
   * and Node code it called: "which of our functions is this time spent for". Adds up to 100%.
   */
  responsible: ProfileEntry[];
  /** The longest stretches of uninterrupted work: every message waited for them. */
  stalls: ProfileStall[];
}

/** One long busy stretch and the project functions responsible for most of it. */
export interface ProfileStall {
  ms: number;
  /** When it began, in ms since the start of its measured window. */
  at: number;
  /** Which measured window (round) it was in, from 1. */
  window: number;
  parts: ProfileEntry[];
}

interface CpuProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: CpuProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

const ROOT = path.resolve(import.meta.dirname, '../..');

/** A short name for where code lives: a package, a project file, or a V8 pseudo-frame. */
function place(url: string, functionName: string): string {
  if (!url) return functionName || '(native)';
  const clean = url.replace(/^file:\/\//, '');
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(clean);
  if (pkg) return pkg[1];
  if (clean.startsWith('node:')) return clean.split('/').slice(0, 2).join('/');
  return path.relative(ROOT, clean.split('?')[0]);
}

function top(map: Map<string, number>, busy: number, limit: number): ProfileEntry[] {
  return [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([name, us]) => ({ name, ms: us / 1000, pct: busy > 0 ? (us / busy) * 100 : 0 }));
}

/** The main thread's profile in a folder: Node names them CPU.<date>.<time>.<pid>.<thread>.<seq>, the main thread being 0. */
async function mainThreadProfile(folder: string): Promise<{ file: string; profile: CpuProfile } | null> {
  const names = await fs.readdir(folder).catch(() => [] as string[]);
  const name = names.filter((n) => /\.\d+\.0\.\d+\.cpuprofile$/.test(n)).sort().at(-1);
  if (!name) return null;
  const file = path.join(folder, name);
  return { file, profile: JSON.parse(await fs.readFile(file, 'utf8')) as CpuProfile };
}

/** Whether a frame is the project's own code (server/, shared/), not a package or Node. */
function ours(url: string): boolean {
  return url.startsWith(`file://${ROOT}/`) && !url.includes('/node_modules/');
}

/** "name file" for a frame; line numbers only for packages (tsx compiles the project's files onto one line). */
function frameName(frame: CpuProfileNode['callFrame']): string {
  const where = place(frame.url, frame.functionName);
  if (!frame.url) return frame.functionName || '(native)';
  return `${frame.functionName || '(anonymous)'} ${ours(frame.url) ? where : `${where}:${frame.lineNumber + 1}`}`;
}

/** Summarise the profile a server child wrote into `dir/server`, counting only samples inside `windows`. */
export async function summarizeProfile(dir: string, server: string, windows: ProfileWindow[], limit = 20): Promise<ProfileReport[]> {
  const found = await mainThreadProfile(path.join(dir, server));
  if (!found) return [];
  const { file, profile } = found;
  const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const parents = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  const ranges = windows.map((w) => [Number(w.from / 1000n), Number(w.to / 1000n)] as const);
  const windowOf = (t: number): number => ranges.findIndex(([from, to]) => t >= from && t <= to);

  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  const responsible = new Map<string, number>();
  const stalls: ProfileStall[] = [];
  // A stall: consecutive busy samples, i.e. time the event loop could not answer anyone.
  let stall = { us: 0, at: 0, window: 0, parts: new Map<string, number>() };
  const endStall = (): void => {
    if (stall.us > 0) stalls.push({ ms: stall.us / 1000, at: stall.at / 1000, window: stall.window + 1, parts: top(stall.parts, stall.us, 3) });
    stall = { us: 0, at: 0, window: 0, parts: new Map() };
  };
  let busy = 0;
  let time = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    time += profile.timeDeltas[i];
    // A sample's delta is the time since the previous one: attribute it to this sample's frame.
    const delta = profile.timeDeltas[i];
    const frame = frames.get(profile.samples[i]);
    const window = windowOf(time);
    if (window < 0 || !frame || frame.functionName === '(idle)') {
      endStall();
      continue;
    }
    busy += delta;
    if (stall.us === 0) {
      stall.at = time - delta - ranges[window][0];
      stall.window = window;
    }
    stall.us += delta;
    const fn = frameName(frame);
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + delta);
    const where = place(frame.url, frame.functionName);
    byFile.set(where, (byFile.get(where) ?? 0) + delta);
    let owner = '(no project code on the stack: sockets, timers, GC)';
    for (let id: number | undefined = profile.samples[i]; id !== undefined; id = parents.get(id)) {
      const callFrame = frames.get(id)!;
      if (ours(callFrame.url)) {
        owner = frameName(callFrame);
        break;
      }
    }
    responsible.set(owner, (responsible.get(owner) ?? 0) + delta);
    stall.parts.set(owner, (stall.parts.get(owner) ?? 0) + delta);
  }
  endStall();
  const windowMs = ranges.reduce((sum, [from, to]) => sum + (to - from), 0) / 1000;
  return [{
    server,
    file,
    windowMs,
    busyMs: busy / 1000,
    functions: top(byFunction, busy, limit),
    files: top(byFile, busy, limit),
    responsible: top(responsible, busy, limit),
    stalls: stalls.sort((a, b) => b.ms - a.ms).slice(0, 8),
  }];
}
