/**
 * Scenario "latency": how long a keystroke takes to reach everyone else in the room, on
 * Minga and on y-websocket's reference server, with the same clients and the same typing.
 */
import { readFileSync } from 'node:fs';
import { encodePlanContent } from '../../shared/plan-doc.ts';
import { templateContent } from '../../shared/template.ts';
import { closeClients, connectRooms, type RoomAddress } from '../lib/clients.ts';
import { typeAndMeasure, type TypingOutcome, type TypingPlan } from '../lib/keystrokes.ts';
import { summarizeProfile, type ProfileWindow } from '../lib/profile.ts';
import { markServerLogs, startMinga, startReference, type MingaProcess, type ServerProcess } from '../lib/servers.ts';
import { distribution, ratio } from '../lib/stats.ts';
import type { BenchParams, CaseResult, LatencySummary, Scenario, ScenarioResult, ServerName } from '../lib/types.ts';

/** Pause between rounds so that a server finishes what the last round left (Minga saves and compacts). */
const SETTLE_MS = 1000;
/**
 * Longest wait for Minga's memory reclaimer after its round (it collects 5 s after the last
 * unload, at most every 10 s, once its clients have been quiet for 2 s).
 */
const RECLAIM_WAIT_MS = 20_000;

/** When each server was being measured, for the CPU profiles. */
type Windows = Record<ServerName, ProfileWindow[]>;

interface LatencyCase {
  label: string;
  rooms: number;
  roomSize: number;
  keystrokes: number;
  intervalMs: number;
}

/** The cases a run measures: one room per --clients size, then the many-rooms case. */
function casesOf(params: BenchParams): LatencyCase[] {
  const cases: LatencyCase[] = params.clients.map((n) => ({ label: `1 room × ${n} clients`, rooms: 1, roomSize: n, keystrokes: params.keystrokes, intervalMs: params.intervalMs }));
  if (params.rooms > 0) {
    cases.push({ label: `${params.rooms} rooms × ${params.roomSize} clients`, rooms: params.rooms, roomSize: params.roomSize, keystrokes: params.roomKeystrokes, intervalMs: params.roomIntervalMs });
  }
  return cases;
}

/** Split `total` over `rounds` as evenly as whole keystrokes allow. */
function share(total: number, rounds: number, round: number): number {
  return Math.floor(total / rounds) + (round < total % rounds ? 1 : 0);
}

const pick = ({ p50, p99 }: { p50: number; p99: number }): { p50: number; p99: number } => ({ p50, p99 });

/**
 * CPU time the main thread of process `pid` has used, in ms (Linux's schedstat: nanoseconds on
 * the CPU). The main thread is the event loop every message waits for; the thread pool's work
 * (file writes) is not in it. Null where /proc is not there.
 */
function mainThreadCpuMs(pid: number): number | null {
  try {
    return Number(readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
  } catch {
    return null;
  }
}

/**
 * How many times the main thread of process `pid` has gone to sleep and been woken (Linux's
 * voluntary context switches): each is a turn of the event loop after waiting for a socket, a
 * timer or the thread pool. Null where /proc is not there.
 */
function mainThreadWakeups(pid: number): number | null {
  try {
    const match = /^voluntary_ctxt_switches:\s+(\d+)$/m.exec(readFileSync(`/proc/${pid}/task/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

/** One round's outcome with the server's main-thread CPU time and wake-ups while it ran. */
type RoundOutcome = TypingOutcome & { serverCpuMs: number | null; serverWakeups: number | null; typed: number };

/** A per-round server figure summed over the rounds, per keystroke typed (× `scale`); null if any round lacks it. */
function perKeystroke(outcomes: RoundOutcome[], figure: (o: RoundOutcome) => number | null, scale: number): number | null {
  if (outcomes.some((o) => figure(o) === null)) return null;
  return (outcomes.reduce((t, o) => t + figure(o)!, 0) * scale) / outcomes.reduce((t, o) => t + o.typed, 0);
}

/** Fold the rounds of one server in one case into its figures. */
function summarize(outcomes: RoundOutcome[]): LatencySummary {
  const latencies = outcomes.flatMap((outcome) => outcome.latencies);
  const sum = (key: 'keystrokes' | 'expected' | 'lost' | 'disconnects'): number => outcomes.reduce((total, outcome) => total + outcome[key], 0);
  return {
    keystrokes: sum('keystrokes'),
    expected: sum('expected'),
    samples: latencies.length,
    lost: sum('lost'),
    disconnects: sum('disconnects'),
    converged: outcomes.every((outcome) => outcome.converged),
    sendRate: outcomes.reduce((total, outcome) => total + outcome.sendRate, 0) / outcomes.length,
    ...distribution(latencies),
    first: pick(distribution(outcomes.flatMap((outcome) => outcome.firstLatencies))),
    all: pick(distribution(outcomes.flatMap((outcome) => outcome.allLatencies))),
    serverCpuUsPerKeystroke: perKeystroke(outcomes, (o) => o.serverCpuMs, 1000),
    serverWakeupsPerKeystroke: perKeystroke(outcomes, (o) => o.serverWakeups, 1),
  };
}

const isMinga = (server: MingaProcess | ServerProcess): server is MingaProcess => 'createPlan' in server;

/** Both servers and the rooms each offers, so a case can ask either for N rooms the same way. */
class Servers {
  private referenceRooms = 0;
  private readonly runId = Date.now().toString(36);
  private readonly seed = encodePlanContent(templateContent('sovio', ''));

  /** `minga` is a second reference server in a control run (`--control`). */
  constructor(readonly reference: ServerProcess, readonly minga: MingaProcess | ServerProcess) {}

  /**
   * Fresh rooms for one round, holding the same SOVIO plan on both servers, so that no round
   * inherits the text (and the hundreds of client ids) typed by the rounds before it.
   * Minga: new plans from its sample template, through its admin API, each with an editor
   * invite. Reference: new rooms, which the first client seeds with the same plan.
   */
  async rooms(name: ServerName, count: number): Promise<{ addresses: RoomAddress[]; seed: Uint8Array | null }> {
    const server = name === 'reference' ? this.reference : this.minga;
    if (!isMinga(server)) {
      const addresses = Array.from({ length: count }, () => ({ wsBase: server.wsBase, room: `bench-${this.runId}-${++this.referenceRooms}`, params: {} }));
      return { addresses, seed: this.seed };
    }
    const addresses: RoomAddress[] = [];
    for (let i = 0; i < count; i++) {
      const { documentId, token } = await server.createPlan(`Bench plan ${i + 1}`);
      addresses.push({ wsBase: this.minga.wsBase, room: documentId, params: { token } });
    }
    return { addresses, seed: null };
  }
}

/** One round on one server: connect, type, disconnect, let the server settle. */
async function measureRound(servers: Servers, name: ServerName, spec: LatencyCase, keystrokes: number, params: BenchParams, windows: Windows): Promise<RoundOutcome> {
  const { addresses, seed } = await servers.rooms(name, spec.rooms);
  const rooms = await connectRooms(addresses, spec.roomSize, seed);
  const plan: TypingPlan = { warmup: params.warmup, keystrokes, intervalMs: spec.intervalMs, stagger: spec.rooms > 1, deliveryTimeoutMs: params.deliveryTimeoutMs };
  try {
    const pid = name === 'minga' ? servers.minga.pid : servers.reference.pid;
    const cpuBefore = mainThreadCpuMs(pid);
    const wakeupsBefore = mainThreadWakeups(pid);
    markServerLogs(`${spec.label}: ${name} starts typing`);
    const from = process.hrtime.bigint();
    const outcome = await typeAndMeasure(rooms, plan);
    windows[name].push({ from, to: process.hrtime.bigint() });
    markServerLogs(`${spec.label}: ${name} done (p99 ${distribution(outcome.latencies).p99.toFixed(2)} ms)`);
    const cpuAfter = mainThreadCpuMs(pid);
    const wakeupsAfter = mainThreadWakeups(pid);
    const serverCpuMs = cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore;
    const serverWakeups = wakeupsBefore === null || wakeupsAfter === null ? null : wakeupsAfter - wakeupsBefore;
    return { ...outcome, serverCpuMs, serverWakeups, typed: (keystrokes + params.warmup) * spec.rooms };
  } finally {
    for (const room of rooms) closeClients(room);
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  }
}

const reclaims = (minga: MingaProcess): number => minga.memoryEvents().filter((line) => line.includes('"event":"memory.reclaimed"')).length;

/**
 * Wait until Minga's memory reclaimer has run after its last round. Its full collections
 * (~100 ms of a core, and V8's helper threads) run when Minga's clients have gone quiet, which
 * in this bench is while the reference is measured: on two cores, a pause of the load process
 * and of the reference that the reference's figures would carry and Minga's would not. On a
 * real server, nothing else is measured while it collects.
 */
async function awaitReclaim(minga: MingaProcess, seenBefore: number, log: (line: string) => void): Promise<void> {
  const deadline = performance.now() + RECLAIM_WAIT_MS;
  while (reclaims(minga) <= seenBefore) {
    if (performance.now() > deadline) {
      log(`latency · Minga's memory reclaimer did not run within ${RECLAIM_WAIT_MS} ms of its round; going on`);
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await new Promise((resolve) => setTimeout(resolve, 200));
}

/** Run every case, flipping which server goes first each round (ABBA), so drift cancels out. */
async function runCases(servers: Servers, params: BenchParams, windows: Windows): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  const cases = casesOf(params);
  /** Minga's count of reclaims after its round, when that was the last round measured. */
  let reclaimsAfterMingaRound: number | null = null;
  for (const [index, spec] of cases.entries()) {
    const outcomes: Record<ServerName, RoundOutcome[]> = { reference: [], minga: [] };
    for (let round = 0; round < params.rounds; round++) {
      const order: ServerName[] = (index + round) % 2 === 0 ? ['reference', 'minga'] : ['minga', 'reference'];
      const keystrokes = share(spec.keystrokes, params.rounds, round);
      for (const name of order) {
        if (name === 'reference' && reclaimsAfterMingaRound !== null && isMinga(servers.minga)) {
          await awaitReclaim(servers.minga, reclaimsAfterMingaRound, params.log);
        }
        params.log(`latency · ${spec.label} · round ${round + 1}/${params.rounds} · ${name} · ${keystrokes} keystrokes`);
        outcomes[name].push(await measureRound(servers, name, spec, keystrokes, params, windows));
        // Counted once the round's plans have unloaded: the next collection is the one they call for.
        reclaimsAfterMingaRound = name === 'minga' && isMinga(servers.minga) ? reclaims(servers.minga) : null;
      }
    }
    const reference = summarize(outcomes.reference);
    const minga = summarize(outcomes.minga);
    const roundP99Ratios = outcomes.minga.map((outcome, round) => ratio(distribution(outcome.latencies).p99, distribution(outcomes.reference[round].latencies).p99));
    results.push({
      label: params.control ? `${spec.label} (control: reference against reference)` : spec.label,
      params: { rooms: spec.rooms, roomSize: spec.roomSize, keystrokes: spec.keystrokes, intervalMs: spec.intervalMs, warmup: params.warmup, rounds: params.rounds },
      servers: { reference, minga },
      ratio: { p50: ratio(minga.p50, reference.p50), p99: ratio(minga.p99, reference.p99) },
      roundP99Ratios,
    });
  }
  return results;
}

/** The keystroke-latency scenario. */
export const latencyScenario: Scenario = {
  name: 'latency',
  description: 'Keystroke propagation latency: one client types a character, every other client of the room receives it.',
  async run(params: BenchParams): Promise<ScenarioResult> {
    const started = performance.now();
    const windows: Windows = { reference: [], minga: [] };
    let reference: ServerProcess | null = null;
    let minga: MingaProcess | ServerProcess | null = null;
    let cases: CaseResult[];
    try {
      // One after the other, so that a failed start never leaves the other one unstopped.
      reference = await startReference({ profileDir: params.profileDir });
      minga = params.control ? await startReference() : await startMinga({ profileDir: params.profileDir });
      params.log(`servers up: reference pid ${reference.pid} port ${reference.port}, minga pid ${minga.pid} port ${minga.port}`);
      cases = await runCases(new Servers(reference, minga), params, windows);
    } finally {
      // Stop both even when a case failed; the profile is written as the child exits.
      await Promise.allSettled([reference?.stop(), minga?.stop()]);
    }
    const result: ScenarioResult = { name: this.name, description: this.description, cases, durationMs: performance.now() - started };
    if (params.profileDir) {
      const dir = params.profileDir;
      result.profiles = (await Promise.all((['minga', 'reference'] as const).map((name) => summarizeProfile(dir, name, windows[name])))).flat();
    }
    return result;
  },
};
