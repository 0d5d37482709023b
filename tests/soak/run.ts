/**
 * `npm run test:soak`: a long run of many people working at once (not part of `npm test`).
 * 50 clients across 10 plans type, comment and suggest for SOAK_MINUTES (default 30) against a
 * server in its own process. Every 10 s it samples the server's RSS, a probe keystroke's
 * latency and the error count, and at the end writes test-results/soak.json and prints the
 * curves. It fails (exit 1) if an error occurred, a keystroke was lost, or memory kept growing.
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import * as Y from 'yjs';
import { YName } from '../../shared/protocol.ts';
import { commandMessage, connectClient, prng, relativeAt, synced, type TestClient } from '../helpers/clients.ts';
import { removeDir, ROOT, spawnServer, tempDataDir } from '../helpers/server.ts';

const MINUTES = Number(process.env.SOAK_MINUTES ?? 30);
const PLANS = Number(process.env.SOAK_PLANS ?? 10);
const CLIENTS_PER_PLAN = Number(process.env.SOAK_CLIENTS_PER_PLAN ?? 5);
const SAMPLE_MS = 10_000;

interface Sample {
  minute: number;
  rssMb: number;
  probeMs: number;
  errors: number;
  keystrokes: number;
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

/** Call the running server's admin API with the secret from its lock file (what the CLI does). */
async function admin(dataDir: string, route: string, body: Record<string, unknown>): Promise<Record<string, string>> {
  const lock = JSON.parse(readFileSync(path.join(dataDir, 'minga.lock'), 'utf8')) as { url: string; adminToken: string };
  const response = await fetch(new URL(route, lock.url), { method: 'POST', headers: { 'content-type': 'application/json', 'x-minga-admin': lock.adminToken }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`${route}: ${response.status} ${await response.text()}`);
  return (await response.json()) as Record<string, string>;
}

const firstText = (doc: Y.Doc): Y.XmlText | null => {
  const p = doc.getXmlFragment(YName.body).get(1);
  return p instanceof Y.XmlElement && p.get(0) instanceof Y.XmlText ? (p.get(0) as Y.XmlText) : null;
};

async function main(): Promise<void> {
  const dataDir = tempDataDir('minga-soak-');
  const server = await spawnServer({ DATA_DIR: dataDir, MESSAGES_PER_SECOND: '1000' });
  const wsUrl = server.url.replace('http', 'ws') + '/collab';
  const random = prng(Number(process.env.SEED ?? 7));
  let errors = 0;
  let keystrokes = 0;
  server.process.stdout!.on('data', (chunk: Buffer) => {
    errors += (chunk.toString().match(/"level":"error"/g) ?? []).length;
  });

  const clients: Array<{ client: TestClient; role: string; userId: string }> = [];
  for (let p = 0; p < PLANS; p++) {
    const { id } = await admin(dataDir, '/api/admin/documents', { title: `Plan ${p}`, template: 'sovio' });
    for (let c = 0; c < CLIENTS_PER_PLAN; c++) {
      const role = c === 0 ? 'suggester' : c === 1 ? 'commenter' : 'editor';
      const { token } = await admin(dataDir, '/api/admin/invites', { doc: id, role, name: `P${p}C${c}` });
      const client = connectClient(wsUrl, id, token);
      clients.push({ client, role, userId: `P${p}C${c}` });
    }
  }
  await Promise.all(clients.map((c) => synced(c.client, 30_000)));
  const probeWriter = clients.find((c) => c.role === 'editor')!.client;
  const probeReader = clients.filter((c) => c.role === 'editor' && c.client.provider.roomname === probeWriter.provider.roomname)[1].client;

  const work = setInterval(() => {
    for (const { client, role } of clients) {
      if (random() > 0.3 || !client.provider.synced) continue; // ~3 actions per second per person
      const text = firstText(client.doc);
      if (!text) continue;
      const at = Math.floor(random() * (text.length + 1));
      if (role === 'editor') {
        if (random() < 0.8 || text.length < 50) text.insert(at, 'abcdefghij'[Math.floor(random() * 10)], {});
        else text.delete(Math.min(at, text.length - 2), 1);
      } else if (role === 'suggester') {
        text.insert(at, '+', { insertion: { suggestionId: 'sug-soak', authorId: 'soak', authorName: 'soak', color: '#1f5fbf', createdAt: '2026-01-01T00:00:00.000Z' } });
      } else if (random() < 0.05 && text.length > 5) {
        const id = `t${Date.now().toString(36)}${Math.floor(random() * 1e6)}`;
        client.provider.ws?.send(commandMessage({ op: 'thread.create', requestId: id, threadId: id, messageId: `m${id}`, anchor: { start: relativeAt(text, 0, 0), end: relativeAt(text, 4, -1) }, quote: text.toString().slice(0, 4), body: 'nota', mentions: [] }));
      }
      keystrokes++;
    }
  }, 100);

  const samples: Sample[] = [];
  const started = Date.now();
  const probe = async (): Promise<number> => {
    const text = firstText(probeWriter.doc)!;
    const marker = `probe${Date.now()}`;
    const t0 = performance.now();
    await new Promise<void>((resolve) => {
      const check = (): void => {
        if (!firstText(probeReader.doc)?.toString().includes(marker)) return;
        probeReader.doc.off('update', check);
        resolve();
      };
      probeReader.doc.on('update', check);
      text.insert(0, marker, {});
    });
    const ms = performance.now() - t0;
    text.delete(0, marker.length);
    return ms;
  };
  while (Date.now() - started < MINUTES * 60_000) {
    await new Promise((r) => setTimeout(r, SAMPLE_MS));
    const sample = { minute: (Date.now() - started) / 60_000, rssMb: rssMb(server.process.pid!), probeMs: await probe(), errors, keystrokes };
    samples.push(sample);
    console.log(`${sample.minute.toFixed(1)} min  rss ${sample.rssMb.toFixed(0)} MB  probe ${sample.probeMs.toFixed(1)} ms  errors ${errors}  actions ${keystrokes}`);
  }
  clearInterval(work);
  clients.forEach((c) => c.client.destroy());
  server.process.kill('SIGTERM');
  await server.exited;
  removeDir(dataDir);

  // Flat memory: the last third's average within 25 % of the second third's.
  const third = Math.max(1, Math.floor(samples.length / 3));
  const avg = (xs: Sample[]) => xs.reduce((n, s) => n + s.rssMb, 0) / Math.max(1, xs.length);
  const middle = avg(samples.slice(third, 2 * third));
  const last = avg(samples.slice(2 * third));
  const probes = samples.map((s) => s.probeMs).sort((a, b) => a - b);
  const summary = {
    minutes: MINUTES,
    plans: PLANS,
    clients: clients.length,
    actions: keystrokes,
    errors,
    rssMiddleThirdMb: Math.round(middle),
    rssLastThirdMb: Math.round(last),
    probeP50Ms: probes[Math.floor(probes.length / 2)],
    probeMaxMs: probes[probes.length - 1],
    samples,
  };
  mkdirSync(path.join(ROOT, 'test-results'), { recursive: true });
  writeFileSync(path.join(ROOT, 'test-results', 'soak.json'), JSON.stringify(summary, null, 2));
  console.log(JSON.stringify({ ...summary, samples: samples.length }, null, 2));
  const ok = errors === 0 && last <= middle * 1.25;
  if (!ok) console.error('SOAK FAILED: errors or growing memory');
  process.exit(ok ? 0 : 1);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
