/**
 * The large plan the browser scenario opens: ~50 pages written into a real Minga plan through
 * the server, the way a client would write it. The body comes from the editing trace at
 * MINGA_TRACE (default ../shared/data/automerge-paper.json.gz, never copied into the project),
 * either replayed keystroke by keystroke (one paragraph per line, as the versions scenario
 * does) or as its final text; without the trace, from a synthetic 50-page text.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import * as Y from 'yjs';
import { encodePlanContent } from '../../shared/plan-doc.ts';
import { YName } from '../../shared/protocol.ts';
import { ParagraphReplay } from '../scenarios/versions.ts';
import { closeClients, connectClient } from './clients.ts';
import type { MingaProcess } from './servers.ts';

const DEFAULT_TRACE = '../shared/data/automerge-paper.json.gz';
/** Time for the server to append and fdatasync the update log (it saves within 800 ms). */
const SAVE_WAIT_MS = 1_500;

interface Trace {
  startContent: string;
  endContent: string;
  txns: Array<{ patches: Array<[number, number, string]> }>;
}

/** How the body was written. */
export type PlanSource = 'trace-replay' | 'trace-final-text' | 'synthetic';

/** A large plan on the server, with what the browser needs to open it and check it. */
export interface LargePlan {
  documentId: string;
  /** An editor's invite token for it. */
  token: string;
  source: PlanSource;
  /** Why the trace was not used, when it was not. */
  skipped?: string;
  characters: number;
  paragraphs: number;
  pagesApprox: number;
  /** Size of the body's Yjs state (Y.encodeStateAsUpdate), bytes. */
  stateBytes: number;
  /** The end of the last non-empty paragraph: when the page shows it, the whole plan is there. */
  lastText: string;
  /** Index (in the body) of that paragraph. */
  lastIndex: number;
  /** Index (in the body) of a non-empty paragraph in the middle, for the browser to type into. */
  typingIndex: number;
  /** Index of another non-empty paragraph, for the remote client to type into. */
  remoteIndex: number;
  buildMs: number;
  /** The body's blocks' text, title first (for a static copy of the plan's DOM; not a figure). */
  blocks: string[];
}

function loadTrace(): Trace | string {
  const root = path.resolve(import.meta.dirname, '../..');
  const file = path.resolve(root, process.env.MINGA_TRACE ?? DEFAULT_TRACE);
  try {
    return JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')) as Trace;
  } catch {
    return `the editing trace is not at ${file} (set MINGA_TRACE to a copy of automerge-paper.json.gz); using a synthetic 50-page plan`;
  }
}

/** ~50 pages (about 105 000 characters) of plausible plan text, one paragraph per line. */
function syntheticText(): string {
  const line = 'La articulación con el Ministerio de Educación permite llegar a más instituciones educativas del país, con metas por región y un seguimiento trimestral de los indicadores acordados.';
  return Array.from({ length: 560 }, (_, i) => `${i + 1}. ${line}`).join('\n');
}

/** The large plan's title, its first block. */
const TITLE = 'Plan grande (traza de edición)';

/** A local Y.Doc whose body is a title and then one paragraph per line of the chosen text. */
function writeBody(mode: 'replay' | 'final'): { doc: Y.Doc; source: PlanSource; skipped?: string; text: string } {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, encodePlanContent({ type: 'doc', content: [{ type: 'heading', attrs: { level: 1 }, content: [{ type: 'text', text: TITLE }] }] }));
  const replay = new ParagraphReplay(doc);
  const trace = loadTrace();
  if (typeof trace === 'string') {
    const text = syntheticText();
    doc.transact(() => replay.insert(0, text));
    return { doc, source: 'synthetic', skipped: trace, text };
  }
  if (mode === 'final') {
    // MINGA_BROWSER_JOIN=N: N lines of the text to a paragraph (the same text in fewer, longer
    // blocks: what the number of top-level blocks costs; docs/benchmarks.md, ninth pass).
    const join = Math.max(1, Math.floor(Number(process.env.MINGA_BROWSER_JOIN ?? 1)) || 1);
    const lines = trace.endContent.split('\n');
    const text = join > 1 ? Array.from({ length: Math.ceil(lines.length / join) }, (_, i) => lines.slice(i * join, (i + 1) * join).join(' ')).join('\n') : trace.endContent;
    doc.transact(() => replay.insert(0, text));
    return { doc, source: 'trace-final-text', text };
  }
  replay.applyTrace(trace);
  return { doc, source: 'trace-replay', text: trace.endContent };
}

function bodyText(doc: Y.Doc): string {
  return doc.getXmlFragment(YName.body).toArray().slice(1).map((p) => ((p as Y.XmlElement).get(0) as Y.XmlText).toString()).join('\n');
}

/**
 * Create a plan through the admin API, replace its template body with the large one through a
 * y-websocket client (one update), check a second client reads it back from the server, and
 * give the server time to save it.
 */
export async function buildLargePlan(minga: MingaProcess, mode: 'replay' | 'final', log: (line: string) => void): Promise<LargePlan> {
  const started = performance.now();
  const { documentId, token } = await minga.createPlan('Plan grande');
  const body = writeBody(mode);
  if (body.skipped) log(`browser: ${body.skipped}`);
  const address = { wsBase: minga.wsBase, room: documentId, params: { token } };
  const writer = await connectClient(address);
  try {
    const fragment = writer.doc.getXmlFragment(YName.body);
    writer.doc.transact(() => fragment.delete(0, fragment.length));
    Y.applyUpdate(writer.doc, Y.encodeStateAsUpdate(body.doc));
    const reader = await (async () => {
      // A fresh client sees only what the server holds.
      const deadline = Date.now() + 30_000;
      for (;;) {
        const client = await connectClient(address);
        if (bodyText(client.doc) === body.text) return client;
        closeClients([client]);
        if (Date.now() > deadline) throw new Error('the server never held the large plan');
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
    })();
    closeClients([reader]);
    await new Promise((resolve) => setTimeout(resolve, SAVE_WAIT_MS));
  } finally {
    closeClients([writer]);
  }

  const lines = body.text.split('\n');
  const nonEmpty = lines.map((line, i) => ({ line, i })).filter(({ line }) => line.trim().length > 20);
  const lastLine = lines.findLastIndex((line) => line.trim().length > 0);
  const middle = nonEmpty[Math.floor(nonEmpty.length / 2)];
  const early = nonEmpty[Math.min(3, nonEmpty.length - 1)];
  const plan: LargePlan = {
    documentId,
    token,
    source: body.source,
    skipped: body.skipped,
    characters: body.text.length,
    paragraphs: lines.length,
    pagesApprox: Math.round(body.text.length / 2000),
    stateBytes: Y.encodeStateAsUpdate(body.doc).length,
    lastText: lines[lastLine].trim().slice(-40),
    lastIndex: lastLine + 1,
    // +1: the body starts with the title heading.
    typingIndex: middle.i + 1,
    remoteIndex: early.i + 1,
    buildMs: performance.now() - started,
    blocks: [TITLE, ...lines],
  };
  body.doc.destroy();
  return plan;
}
