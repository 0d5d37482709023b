/**
 * Scenario "memory" (issue 8, target 6): server RSS (VmRSS of the child's /proc/<pid>/status)
 * idle, with 1,000 small plans open (one stock client each), after everyone left, with one plan
 * and 500 clients, and after they left again. Minga unloads a plan when its last client leaves
 * (flushAndCompact, then the Y.Doc is destroyed); y-websocket 2.1.0's reference server without
 * persistence keeps a room's document after its last client left (it only destroys it when a
 * persistence is configured), so its RSS is expected to stay up: measured, not assumed. RSS
 * after leaving is read once Minga reports no open plan (/healthz), 7 s later (Minga collects
 * garbage 5 s after its last unload), and once stable (±1 MiB) for 2 s. The bench forces no GC: "back down" is what an operator sees.
 *
 * Parameters: 1,000 plans and 500 clients; with --keystrokes below 100 (the --smoke preset) 20
 * plans and 10 clients. MINGA_MEMORY_PLANS / MINGA_MEMORY_CLIENTS override.
 */
import { blankSeed, createBlankPlans, rssBytes, settle, sleep } from '../lib/admin.ts';
import { closeClients, connectClient, type BenchClient, type RoomAddress } from '../lib/clients.ts';
import * as Y from 'yjs';
import { YName } from '../../shared/protocol.ts';
import { startMinga, startReference, type MingaProcess, type ServerProcess } from '../lib/servers.ts';
import type { BenchParams, Scenario, ScenarioResult, ServerName } from '../lib/types.ts';

const CONNECT_CONCURRENCY = 50;
/** Set for smoke runs: shorter waits. */
let quick = false;

export interface MemoryFigures {
  plans: number;
  clients: number;
  /** RSS in bytes at each step, per server. */
  servers: Record<ServerName, { fresh: number; idle: number; manyPlans: number; afterManyPlans: number; onePlan: number; afterOnePlan: number; settledAfterMany: boolean; settledAfterOne: boolean; connectManyMs: number; connectOneMs: number }>;
}

async function connectAll(addresses: RoomAddress[], seed: Uint8Array | null): Promise<BenchClient[]> {
  const clients: BenchClient[] = [];
  try {
    for (let i = 0; i < addresses.length; i += CONNECT_CONCURRENCY) {
      const batch = await Promise.all(
        addresses.slice(i, i + CONNECT_CONCURRENCY).map(async (address) => {
          const client = await connectClient(address);
          // The reference starts every room empty: its first client brings the blank plan.
          if (seed && client.doc.getXmlFragment(YName.body).length === 0) Y.applyUpdate(client.doc, seed);
          return client;
        }),
      );
      clients.push(...batch);
    }
    return clients;
  } catch (error) {
    closeClients(clients);
    throw error;
  }
}

/** Plans a Minga server has open (from /healthz); null for the reference, which cannot say. */
async function openDocuments(server: ServerProcess): Promise<number | null> {
  if (server.name !== 'minga') return null;
  const response = await fetch(`http://127.0.0.1:${server.port}/healthz`);
  return ((await response.json()) as { openDocuments: number }).openDocuments;
}

/** RSS after the clients left: plans unloaded, a minimum wait, then stable for 2 s (at most 30 s in all). */
async function settledRss(server: ServerProcess): Promise<{ value: number; settled: boolean }> {
  const started = Date.now();
  const unloaded = await settle(() => openDocuments(server), (open) => open === null || open === 0, 0, quick ? 10_000 : 30_000);
  // Minga collects 5 s after its last unload; the reference has nothing to wait for but gets the same time.
  await sleep(quick ? 300 : 7000);
  const remaining = Math.max(3000, (quick ? 10_000 : 30_000) - (Date.now() - started));
  const result = await settle(async () => Math.round(rssBytes(server.pid) / (1024 * 1024)), () => true, quick ? 300 : 2000, remaining);
  return { value: rssBytes(server.pid), settled: unloaded.settled && result.settled };
}

async function measure(server: ServerProcess, fresh: number, manyAddresses: RoomAddress[], oneAddress: RoomAddress, clients: number, seed: Uint8Array | null, log: (line: string) => void): Promise<MemoryFigures['servers'][ServerName]> {
  await sleep(quick ? 100 : 1000);
  const idle = rssBytes(server.pid);
  let start = performance.now();
  const many = await connectAll(manyAddresses, seed);
  const connectManyMs = performance.now() - start;
  await sleep(quick ? 100 : 1500);
  const manyPlans = rssBytes(server.pid);
  log(`memory: ${server.name}: idle ${mib(idle)}, ${manyAddresses.length} plans open ${mib(manyPlans)} (connected in ${connectManyMs.toFixed(0)} ms)`);
  closeClients(many);
  const afterMany = await settledRss(server);
  log(`memory: ${server.name}: after they left ${mib(afterMany.value)}`);
  start = performance.now();
  const first = await connectAll([oneAddress], seed);
  const rest = await connectAll(Array.from({ length: clients - 1 }, () => oneAddress), null);
  const connectOneMs = performance.now() - start;
  await sleep(quick ? 100 : 1500);
  const onePlan = rssBytes(server.pid);
  log(`memory: ${server.name}: one plan, ${clients} clients ${mib(onePlan)} (connected in ${connectOneMs.toFixed(0)} ms)`);
  closeClients([...first, ...rest]);
  const afterOne = await settledRss(server);
  log(`memory: ${server.name}: after they left ${mib(afterOne.value)}`);
  return { fresh, idle, manyPlans, afterManyPlans: afterMany.value, onePlan, afterOnePlan: afterOne.value, settledAfterMany: afterMany.settled, settledAfterOne: afterOne.settled, connectManyMs, connectOneMs };
}

const mib = (bytes: number): string => `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;

async function run(params: BenchParams): Promise<ScenarioResult & { figures: MemoryFigures }> {
  const started = performance.now();
  const smoke = params.keystrokes < 100;
  quick = smoke;
  const plans = Number(process.env.MINGA_MEMORY_PLANS) || (smoke ? 20 : 1000);
  const clients = Number(process.env.MINGA_MEMORY_CLIENTS) || (smoke ? 10 : 500);
  const servers = {} as MemoryFigures['servers'];
  // One server at a time, each in a fresh process: the other's load never shares the machine with it.
  // The plans are made through the admin API by a first server, which then stops; the measured
  // server starts on those files, so its idle figure holds no garbage of the making.
  let maker: MingaProcess | null = null;
  let addresses: Array<RoomAddress & { documentId: string }>;
  try {
    maker = await startMinga({ keepData: true });
    params.log(`memory: creating ${plans + 1} blank plans through the admin API…`);
    const createStart = performance.now();
    addresses = await createBlankPlans(maker, plans + 1);
    params.log(`memory: created in ${(performance.now() - createStart).toFixed(0)} ms`);
  } finally {
    await maker?.stop();
  }
  let minga: MingaProcess | null = null;
  try {
    minga = await startMinga({ profileDir: params.profileDir, dataDir: maker.dataDir });
    await sleep(quick ? 100 : 1000);
    const fresh = rssBytes(minga.pid);
    const moved = addresses.map((address) => ({ ...address, wsBase: minga!.wsBase }));
    servers.minga = await measure(minga, fresh, moved.slice(0, plans), moved[plans], clients, null, params.log);
    for (const line of minga.memoryEvents()) params.log(`memory: minga logged ${line}`);
  } finally {
    await minga?.stop();
  }
  let reference: ServerProcess | null = null;
  try {
    reference = await startReference({ profileDir: params.profileDir });
    await sleep(quick ? 100 : 1000);
    const fresh = rssBytes(reference.pid);
    const stamp = Date.now();
    const many = Array.from({ length: plans }, (_, i) => ({ wsBase: reference!.wsBase, room: `memory-${stamp}-${i}`, params: {} }));
    servers.reference = await measure(reference, fresh, many, { wsBase: reference.wsBase, room: `memory-${stamp}-one`, params: {} }, clients, blankSeed(), params.log);
  } finally {
    await reference?.stop();
  }
  const figures: MemoryFigures = { plans, clients, servers };
  const row = (label: string, pick: (s: MemoryFigures['servers'][ServerName]) => number): string =>
    `| ${label} | ${mib(pick(servers.minga))} | ${mib(pick(servers.reference))} |`;
  const notes = [
    `**Memory (target 6)**: server RSS (VmRSS), each server in a fresh child process; ${plans} blank plans with one stock client each, then one plan with ${clients} clients. "after they left": once no plan is open (Minga), 7 s later, when RSS has been stable for 2 s; the bench forces no GC.`,
    '',
    '| step | Minga | reference |',
    '|---|---:|---:|',
    row(`just started (Minga: with ${plans + 1} plans stored)`, (s) => s.fresh),
    row('idle, a second later', (s) => s.idle),
    row(`${plans} plans open, one client each`, (s) => s.manyPlans),
    row('after those clients left', (s) => s.afterManyPlans),
    row(`one plan, ${clients} clients`, (s) => s.onePlan),
    row('after those clients left', (s) => s.afterOnePlan),
    '',
    `Per open plan (above idle): Minga ${((servers.minga.manyPlans - servers.minga.idle) / plans / 1024).toFixed(1)} KiB, reference ${((servers.reference.manyPlans - servers.reference.idle) / plans / 1024).toFixed(1)} KiB. ` +
      `Per client of one plan (above the level before): Minga ${((servers.minga.onePlan - servers.minga.afterManyPlans) / clients / 1024).toFixed(1)} KiB, reference ${((servers.reference.onePlan - servers.reference.afterManyPlans) / clients / 1024).toFixed(1)} KiB. ` +
      `Back down after the ${plans} plans: Minga gave back ${mib(servers.minga.manyPlans - servers.minga.afterManyPlans)} of the ${mib(servers.minga.manyPlans - servers.minga.idle)} it grew, the reference ${mib(servers.reference.manyPlans - servers.reference.afterManyPlans)} of ${mib(servers.reference.manyPlans - servers.reference.idle)}.` +
      ` Connect times: Minga ${servers.minga.connectManyMs.toFixed(0)} ms for the ${plans} plans, ${servers.minga.connectOneMs.toFixed(0)} ms for the ${clients} clients; reference ${servers.reference.connectManyMs.toFixed(0)} ms, ${servers.reference.connectOneMs.toFixed(0)} ms.`,
  ];
  return { name: 'memory', description: `server RSS with ${plans} plans open and with one plan and ${clients} clients`, cases: [], durationMs: performance.now() - started, figures, notes };
}

export const memoryScenario: Scenario = {
  name: 'memory',
  description: 'server RSS with 1,000 small plans open, with one plan and 500 clients, and after everyone left',
  run,
};
