/**
 * The shapes shared by the benchmark suite: the parameters every scenario receives, the
 * figures it returns, and the scenario contract the registry holds.
 */
import type { ProfileReport } from './profile.ts';

/** The two servers every scenario measures side by side. */
export type ServerName = 'reference' | 'minga';

/** Parameters of one suite run; each scenario reads the ones it needs. */
export interface BenchParams {
  /** Room sizes of the single-room latency cases. */
  clients: number[];
  /** Measured keystrokes per server and case (split evenly over the rounds). */
  keystrokes: number;
  /** Keystrokes typed before measuring in every round, so connections and JIT are warm. */
  warmup: number;
  /** Time between keystrokes in a single room. */
  intervalMs: number;
  /** Rooms of the many-rooms case (0 skips it). */
  rooms: number;
  /** Clients in each room of the many-rooms case. */
  roomSize: number;
  /** Measured keystrokes per room in the many-rooms case, per server. */
  roomKeystrokes: number;
  /** Time between keystrokes inside each room of the many-rooms case. */
  roomIntervalMs: number;
  /** Rounds per case; the server order flips every round (ref, ours, ours, ref, …). */
  rounds: number;
  /** How long after the last keystroke a delivery may still arrive before it counts as lost. */
  deliveryTimeoutMs: number;
  /** When set, the Minga server child writes a V8 CPU profile into this directory. */
  profileDir: string | null;
  /**
   * A control run of the latency scenario: the "Minga" side is a second reference server, so
   * the ratios show what the machine's noise alone does to them (an A/A comparison).
   */
  control: boolean;
  /** Progress lines (stderr by default, so stdout carries only the figures). */
  log: (line: string) => void;
}

/** Latency figures of one server in one case, in milliseconds. */
export interface LatencySummary {
  /** Keystrokes measured (warm-up excluded). */
  keystrokes: number;
  /** Deliveries expected: measured keystrokes × (room size − 1). */
  expected: number;
  /** Deliveries observed in time. */
  samples: number;
  /** Expected deliveries never observed within the delivery timeout. */
  lost: number;
  /** Times a client's connection closed during measurement. */
  disconnects: number;
  /** Whether every client of every room ended with the same text. */
  converged: boolean;
  /** Keystrokes per second actually sent (below target when the load process fell behind). */
  sendRate: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** Per keystroke, until the first other client had it: mostly the server's own delay. */
  first: { p50: number; p99: number };
  /** Per keystroke, until the last other client had it: when the whole room sees it. */
  all: { p50: number; p99: number };
  /**
   * CPU time of the server's main thread (its event loop, where every message waits its turn)
   * per keystroke typed, warm-up included, in µs; null where /proc cannot say (not Linux).
   */
  serverCpuUsPerKeystroke: number | null;
  /**
   * Times the server's main thread was woken (after waiting for a socket, a timer or the thread
   * pool) per keystroke typed: a reply to every message costs one; timers and file writes add
   * theirs. Null where /proc cannot say.
   */
  serverWakeupsPerKeystroke: number | null;
}

/** One labelled case of a scenario, with both servers' figures. */
export interface CaseResult {
  label: string;
  /** The numbers that define the case (room size, rooms, interval…). */
  params: Record<string, number>;
  servers: Record<ServerName, LatencySummary>;
  /** Minga divided by the reference: above 1.0 means Minga is slower. */
  ratio: { p50: number; p99: number };
  /**
   * The p99 ratio of each round: Minga's round against the reference's round next to it in
   * time (ABBA), so that both saw the same machine. Their spread shows how much of a ratio is
   * the machine's noise; the pooled ratio above can swing with one noisy round.
   */
  roundP99Ratios: number[];
}

/** What a scenario returns. */
export interface ScenarioResult {
  name: string;
  description: string;
  cases: CaseResult[];
  durationMs: number;
  /** Lines of the scenario's own (Markdown-friendly) text, printed under its cases. */
  notes?: string[];
  /** Where the profiled server spent its time, when profiling was asked for. */
  profiles?: ProfileReport[];
}

/** A benchmark scenario: registered in bench/scenarios/index.ts, selected with --scenario. */
export interface Scenario {
  name: string;
  description: string;
  run(params: BenchParams): Promise<ScenarioResult>;
}
