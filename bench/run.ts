/**
 * `npm run bench [-- options]`: run the benchmark scenarios and print their figures.
 * Benchmarks are not tests: nothing here fails on a time. `runBench` is exported so that a
 * smoke test can check that the scenarios complete and give sane numbers.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { machineInfo, watchLoad } from './lib/machine.ts';
import { formatText, writeResults, type BenchResult } from './lib/report.ts';
import type { BenchParams } from './lib/types.ts';
import { SCENARIOS, selectScenarios } from './scenarios/index.ts';

const ROOT = path.resolve(import.meta.dirname, '..');

/** Parameters of a default run (docs/benchmarks.md explains each). */
export const DEFAULT_PARAMS: Omit<BenchParams, 'log'> = {
  clients: [20, 100],
  keystrokes: 600,
  warmup: 20,
  intervalMs: 20,
  rooms: 100,
  roomSize: 5,
  roomKeystrokes: 60,
  roomIntervalMs: 200,
  rounds: 4,
  deliveryTimeoutMs: 10_000,
  profileDir: null,
  control: false,
};

/** Tiny parameters for `--smoke`: every code path, in seconds. */
export const SMOKE_PARAMS: Omit<BenchParams, 'log'> = {
  ...DEFAULT_PARAMS,
  clients: [3],
  keystrokes: 20,
  warmup: 5,
  rooms: 2,
  roomSize: 2,
  roomKeystrokes: 10,
  roomIntervalMs: 20,
  rounds: 2,
  deliveryTimeoutMs: 5_000,
};

/** What `runBench` accepts: scenario names, the smoke preset, and any parameter to override. */
export interface BenchOptions extends Partial<BenchParams> {
  scenarios?: string[];
  smoke?: boolean;
  /** Recorded in the results so that they can be reproduced. */
  command?: string;
}

/**
 * The code measured: HEAD, and whether server/ or shared/ had uncommitted changes, since the
 * server runs from the working tree as it is.
 */
function revision(): string {
  const git = (...args: string[]): string => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  try {
    const dirty = git('status', '--porcelain', '--', 'server', 'shared') !== '';
    return `${git('rev-parse', '--short', 'HEAD')}${dirty ? ' + uncommitted changes in server/ or shared/' : ''}`;
  } catch {
    return 'unknown (not a git checkout)';
  }
}

/** Run the selected scenarios one after the other and return their figures. */
export async function runBench(options: BenchOptions = {}): Promise<BenchResult> {
  const { scenarios: names, smoke, command, ...overrides } = options;
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined));
  const params: BenchParams = { ...(smoke ? SMOKE_PARAMS : DEFAULT_PARAMS), log: () => {}, ...defined };
  const scenarios = selectScenarios(names);
  const load = watchLoad();
  const date = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const done: BenchResult['scenarios'] = [];
  for (const scenario of scenarios) done.push(await scenario.run(params));
  return { machine: machineInfo(), load: load(), date, revision: revision(), command: command ?? 'runBench()', scenarios: done };
}

const USAGE = `Usage: npm run bench -- [options]

  --scenario NAME[,NAME]   scenarios to run (default: all): ${SCENARIOS.map((s) => s.name).join(', ')}
  --clients 20,100         room sizes of the single-room latency cases (0: none)
  --keystrokes 600         measured keystrokes per case and server
  --warmup 20              unmeasured keystrokes at the start of every round
  --interval-ms 20         time between keystrokes in a room
  --rooms 100              rooms of the many-rooms case (0 skips it)
  --room-size 5            clients per room in the many-rooms case
  --room-keystrokes 60     measured keystrokes per room and server in the many-rooms case
  --room-interval-ms 200   time between keystrokes inside each of those rooms
  --rounds 4               rounds per case; the server going first alternates
  --profile DIR            write a CPU profile of the Minga server into DIR and summarise it
  --control                latency: a second reference server in Minga's place (A/A: the noise)
  --smoke                  tiny parameters (3 clients, 20 keystrokes, 2 rooms × 2)
  --write                  also put the results into --out
  --out docs/benchmarks.md the Markdown file --write updates`;

function numbers(value: string | undefined, flag: string): number[] | undefined {
  if (value === undefined) return undefined;
  const list = value.split(',').map((part) => Number(part.trim()));
  if (list.length === 0 || list.some((n) => !Number.isInteger(n) || n < 0)) throw new Error(`${flag} takes non-negative integers, got "${value}"`);
  return list;
}

function number(value: string | undefined, flag: string): number | undefined {
  return numbers(value, flag)?.[0];
}

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      scenario: { type: 'string' },
      clients: { type: 'string' },
      keystrokes: { type: 'string' },
      warmup: { type: 'string' },
      'interval-ms': { type: 'string' },
      rooms: { type: 'string' },
      'room-size': { type: 'string' },
      'room-keystrokes': { type: 'string' },
      'room-interval-ms': { type: 'string' },
      rounds: { type: 'string' },
      profile: { type: 'string' },
      control: { type: 'boolean', default: false },
      smoke: { type: 'boolean', default: false },
      write: { type: 'boolean', default: false },
      out: { type: 'string', default: 'docs/benchmarks.md' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  // `--clients 0` skips the single-room cases, as `--rooms 0` skips the many-rooms one.
  const clients = numbers(values.clients, '--clients')?.filter((n) => n !== 0);
  if (clients?.some((n) => n < 2)) throw new Error('--clients: a room needs at least 2 clients (one writes, the others read)');
  const roomSize = number(values['room-size'], '--room-size');
  if (roomSize !== undefined && roomSize < 2) throw new Error('--room-size must be at least 2');
  const rounds = number(values.rounds, '--rounds');
  if (rounds === 0) throw new Error('--rounds must be at least 1');
  const result = await runBench({
    scenarios: values.scenario?.split(',').map((s) => s.trim()).filter(Boolean),
    smoke: values.smoke,
    clients,
    keystrokes: number(values.keystrokes, '--keystrokes'),
    warmup: number(values.warmup, '--warmup'),
    intervalMs: number(values['interval-ms'], '--interval-ms'),
    rooms: number(values.rooms, '--rooms'),
    roomSize,
    roomKeystrokes: number(values['room-keystrokes'], '--room-keystrokes'),
    roomIntervalMs: number(values['room-interval-ms'], '--room-interval-ms'),
    rounds,
    profileDir: values.profile ? path.resolve(values.profile) : undefined,
    control: values.control,
    command: ['npm run bench', ...(argv.length ? ['--', ...argv] : [])].join(' '),
    // Progress goes to stderr so that stdout is only the figures.
    log: (line) => process.stderr.write(`[bench] ${line}\n`),
  });
  console.log(formatText(result));
  if (values.write) {
    await writeResults(path.resolve(values.out), result);
    console.log(`\nresults written to ${values.out}`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  // Ctrl-C: exit through 'exit', whose handler kills the server children.
  process.on('SIGINT', () => process.exit(130));
  main(process.argv.slice(2)).then(
    () => process.exit(0),
    (error: Error) => {
      console.error(`bench failed: ${error.stack ?? error.message}`);
      process.exit(1);
    },
  );
}
