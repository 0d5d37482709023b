/**
 * Scenario "joiners" (issue 8, target 5): 50 clients opening the large plan at once. The large
 * plan is the editing trace replayed keystroke by keystroke into a plan body, one paragraph per
 * line (~50 pages), with the same code as the versions scenario (ParagraphReplay), on top of a
 * blank plan made through Minga's admin API. One seeding client sends it to each server (for
 * Minga as an editor's update through auth and the update guard; for the reference into a fresh
 * room) and stays connected, so the room is open ("warm"); then N stock WebsocketProvider
 * clients connect at the same moment. Figure: time from the connects until every one of them has
 * finished its first sync (and holds every paragraph). Rounds alternate the server order.
 * Minga is also measured "cold": the seeder leaves, the room unloads (compacted to disk), and the
 * N joiners' first connection loads it from disk. No target number was set in the issue.
 *
 * Parameters: 50 joiners and the whole trace; with --keystrokes below 100 (the --smoke preset)
 * 5 joiners and the first keystrokes × 25 edits (a synthetic trace when the real one is absent).
 */
import * as Y from 'yjs';
import { YName } from '../../shared/protocol.ts';
import { createBlankPlans, fileSize, planFiles, settle } from '../lib/admin.ts';
import { closeClients, connectClient, waitFor, type BenchClient, type RoomAddress } from '../lib/clients.ts';
import { summarizeProfile, type ProfileWindow } from '../lib/profile.ts';
import { startMinga, startReference, type MingaProcess, type ServerProcess } from '../lib/servers.ts';
import type { Trace } from '../lib/trace.ts';
import type { BenchParams, Scenario, ScenarioResult, ServerName } from '../lib/types.ts';
import { replayTrace } from './replay.ts';
import { ParagraphReplay } from './versions.ts';

export interface JoinRun {
  server: ServerName | 'minga (cold)';
  round: number;
  joiners: number;
  /** Connect of all until the last one finished its first sync. */
  allSyncedMs: number;
  medianMs: number;
  firstMs: number;
  complete: boolean;
}

export interface JoinersFigures {
  joiners: number;
  paragraphs: number;
  characters: number;
  stateBytes: number;
  buildMs: number;
  runs: JoinRun[];
  ratio: number;
}

/** Build the large plan on top of a blank plan's state: its empty paragraph replaced by the trace, one paragraph per line. */
export function buildLargePlan(blankState: Uint8Array, trace: Trace): { doc: Y.Doc; paragraphs: number } {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, blankState);
  const body = doc.getXmlFragment(YName.body);
  // ParagraphReplay expects the title and nothing after it.
  if (body.length > 1) body.delete(1, body.length - 1);
  const replay = new ParagraphReplay(doc);
  replay.applyTrace(trace);
  return { doc, paragraphs: body.length - 1 };
}

const bodyLength = (client: BenchClient): number => client.doc.getXmlFragment(YName.body).length;

async function joinAtOnce(address: RoomAddress, count: number, expectedBody: number): Promise<{ times: number[]; total: number; complete: boolean }> {
  const start = performance.now();
  const times: number[] = [];
  const clients = await Promise.all(
    Array.from({ length: count }, async () => {
      const client = await connectClient(address);
      times.push(performance.now() - start);
      return client;
    }),
  );
  const total = performance.now() - start;
  const complete = clients.every((client) => bodyLength(client) === expectedBody);
  closeClients(clients);
  return { times: times.sort((a, b) => a - b), total, complete };
}

async function run(params: BenchParams): Promise<ScenarioResult & { figures: JoinersFigures | null; skipped?: string }> {
  const started = performance.now();
  const smoke = params.keystrokes < 100;
  const joiners = Number(process.env.MINGA_JOINERS) || (smoke ? 5 : 50);
  const chosen = replayTrace(params);
  if (typeof chosen === 'string') {
    params.log(`joiners: ${chosen}`);
    return { name: 'joiners', description: chosen, cases: [], durationMs: performance.now() - started, figures: null, skipped: chosen, notes: [chosen] };
  }
  const { trace, source } = chosen;
  const rounds = Math.max(1, Math.min(params.rounds, 2));
  const windows: Record<ServerName, ProfileWindow[]> = { minga: [], reference: [] };
  let reference: ServerProcess | null = null;
  let minga: MingaProcess | null = null;
  const seeders: BenchClient[] = [];
  const runs: JoinRun[] = [];
  let figures: JoinersFigures | null = null;
  try {
    reference = await startReference({ profileDir: params.profileDir });
    minga = await startMinga({ profileDir: params.profileDir });
    const [mingaAddress] = await createBlankPlans(minga, 1);
    const refAddress: RoomAddress = { wsBase: reference.wsBase, room: `joiners-${Date.now()}`, params: {} };

    params.log(`joiners: building the large plan (${source})…`);
    const mingaSeeder = await connectClient(mingaAddress);
    seeders.push(mingaSeeder);
    const buildStart = performance.now();
    const { doc: large, paragraphs } = buildLargePlan(Y.encodeStateAsUpdate(mingaSeeder.doc), trace);
    const buildMs = performance.now() - buildStart;
    const expectedBody = large.getXmlFragment(YName.body).length;
    const stateBytes = Y.encodeStateAsUpdate(large).length;
    Y.applyUpdate(mingaSeeder.doc, Y.encodeStateAsUpdate(large, Y.encodeStateVector(mingaSeeder.doc)));
    const refSeeder = await connectClient(refAddress);
    seeders.push(refSeeder);
    Y.applyUpdate(refSeeder.doc, Y.encodeStateAsUpdate(large));
    // Both servers must hold the whole plan before anyone joins: a probe client checks.
    for (const address of [mingaAddress, refAddress]) {
      const probe = await connectClient(address);
      try {
        await waitFor(() => bodyLength(probe) === expectedBody, 20_000, `the large plan to reach ${address.wsBase} (the server may have refused it)`);
      } finally {
        closeClients([probe]);
      }
    }
    params.log(`joiners: ${paragraphs} paragraphs, ${trace.endContent.length} characters, state ${(stateBytes / 1024).toFixed(0)} KiB (built in ${buildMs.toFixed(0)} ms); ${joiners} joiners at once, ${rounds} round(s)…`);

    const addressOf = { minga: mingaAddress, reference: refAddress };
    for (let r = 0; r < rounds; r++) {
      for (const name of (r % 2 === 0 ? ['reference', 'minga'] : ['minga', 'reference']) as ServerName[]) {
        const from = process.hrtime.bigint();
        const result = await joinAtOnce(addressOf[name], joiners, expectedBody);
        windows[name].push({ from, to: process.hrtime.bigint() });
        runs.push({ server: name, round: r + 1, joiners, allSyncedMs: result.total, medianMs: result.times[Math.floor((result.times.length - 1) / 2)], firstMs: result.times[0], complete: result.complete });
        params.log(`joiners: ${name}: all ${joiners} synced in ${result.total.toFixed(0)} ms (first ${result.times[0].toFixed(0)} ms), complete ${result.complete}`);
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
    }

    // Cold: the seeder leaves, the room unloads to disk, the joiners load it again.
    closeClients([mingaSeeder]);
    seeders.splice(seeders.indexOf(mingaSeeder), 1);
    const files = planFiles(minga, mingaAddress.documentId);
    await settle(async () => [await fileSize(files.log), await fileSize(files.state)], ([log]) => log === 0, 500, 30_000);
    const cold = await joinAtOnce(mingaAddress, joiners, expectedBody);
    runs.push({ server: 'minga (cold)', round: 1, joiners, allSyncedMs: cold.total, medianMs: cold.times[Math.floor((cold.times.length - 1) / 2)], firstMs: cold.times[0], complete: cold.complete });
    params.log(`joiners: minga cold (loaded from disk): all ${joiners} synced in ${cold.total.toFixed(0)} ms, complete ${cold.complete}`);

    const med = (name: ServerName): number => {
      const values = runs.filter((run) => run.server === name).map((run) => run.allSyncedMs).sort((a, b) => a - b);
      const mid = Math.floor(values.length / 2);
      return values.length % 2 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    };
    figures = { joiners, paragraphs, characters: trace.endContent.length, stateBytes, buildMs, runs, ratio: med('minga') / med('reference') };
    large.destroy();
  } finally {
    closeClients(seeders);
    await Promise.all([reference?.stop(), minga?.stop()]);
  }
  if (!figures) throw new Error('joiners: no figures');
  const notes = [
    `**Late joiners (target 5)**: the large plan (${figures.paragraphs} paragraphs, ${figures.characters} characters, ~${Math.round(figures.characters / 2000)} pages; Yjs state ${figures.stateBytes} B, ${source}); ${figures.joiners} stock clients connect at the same moment to an open room (a seeding client stays in it).`,
    '',
    '| round | server | first synced | median | all synced | every joiner has every paragraph |',
    '|---:|---|---:|---:|---:|---|',
    ...figures.runs.map((r) => `| ${r.round} | ${r.server} | ${r.firstMs.toFixed(0)} ms | ${r.medianMs.toFixed(0)} ms | ${r.allSyncedMs.toFixed(0)} ms | ${r.complete ? 'yes' : '**no**'} |`),
    '',
    `Median "all synced", Minga / reference (warm rooms): **${figures.ratio.toFixed(2)}**. "minga (cold)": nobody in the room, so the first joiner's connection loads the plan from disk.`,
  ];
  const result: ScenarioResult & { figures: JoinersFigures | null } = { name: 'joiners', description: `${joiners} clients opening the large plan at once`, cases: [], durationMs: performance.now() - started, figures, notes };
  if (params.profileDir) {
    const dir = params.profileDir;
    result.profiles = (await Promise.all((['minga', 'reference'] as const).map((name) => summarizeProfile(dir, name, windows[name])))).flat();
  }
  return result;
}

export const joinersScenario: Scenario = {
  name: 'joiners',
  description: 'late joiners: 50 clients opening the ~50-page plan at once, both servers',
  run,
};
