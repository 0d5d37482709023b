/**
 * Scenario "versions": capture and compare on a large plan. A real editing trace (the keystrokes
 * that wrote a 105 000-character paper, ../shared/data/automerge-paper.json.gz; CC BY 4.0,
 * Martin Kleppmann / automerge-perf via Joseph Gentle's editing-traces) is replayed keystroke by
 * keystroke into a plan body, one paragraph per line (about 50 pages). Versions are captured at
 * 50 %, 90 % and 100 % of the trace with the real versions service and store, then compared.
 * Targets: capture < 100 ms, compare < 500 ms. Nothing fails on a time.
 *
 * The trace is read at run time from MINGA_TRACE (default ../shared/data/automerge-paper.json.gz,
 * relative to the repository); it is never copied into the project.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as Y from 'yjs';
import { encodePlanContent } from '../../shared/plan-doc.ts';
import { YName } from '../../shared/protocol.ts';
import { CURRENT_PLAN } from '../../shared/versions.ts';
import { MetaStore } from '../../server/store/meta-store.ts';
import { MilestoneBook } from '../../server/versions/milestones.ts';
import type { PlanSource } from '../../server/versions/plan-source.ts';
import { VersionService } from '../../server/versions/version-service.ts';
import { VersionStore } from '../../server/versions/version-store.ts';
import { median } from '../lib/stats.ts';
import type { BenchParams, Scenario, ScenarioResult } from '../lib/types.ts';
import { loadTrace, type Trace } from '../lib/trace.ts';

/** Repetitions of each measurement; the median is reported. */
const REPEAT = 7;
/** The figures this scenario aims at, in milliseconds. */
export const VERSION_TARGETS = { captureMs: 100, compareMs: 500 } as const;

/** Figures of the versions scenario, in milliseconds and bytes. */
export interface VersionFigures {
  characters: number;
  paragraphs: number;
  pagesApprox: number;
  edits: number;
  replayMs: number;
  stateBytes: number;
  captureMs: { first: number; median: number; max: number };
  /** Compare 90 % → 100 % of the trace (the last ~26 000 edits). */
  compareRecentMs: { median: number; max: number; insertions: number; deletions: number };
  /** Compare 50 % → 100 % (half the paper rewritten). */
  compareHalfMs: { median: number; max: number; insertions: number; deletions: number };
  /** Compare the last version with the live plan (unchanged: the cost of reading both sides). */
  compareCurrentMs: { median: number };
  targets: typeof VERSION_TARGETS;
}

/** What the scenario returns: the suite's common shape plus its own figures. */
export interface VersionsScenarioResult extends ScenarioResult {
  /** Null when the trace is not available (then `skipped` says how to provide it). */
  figures: VersionFigures | null;
  skipped?: string;
}

/**
 * A plan body fed by a flat-text trace: one paragraph per line. Positions in the flat text are
 * mapped to (paragraph, offset); a newline typed splits a paragraph, a newline deleted joins two.
 */
export class ParagraphReplay {
  private readonly body: Y.XmlFragment;
  /** Characters per line, in order (the body holds one title heading before them). */
  private readonly lengths: number[] = [0];

  constructor(readonly doc: Y.Doc) {
    this.body = doc.getXmlFragment(YName.body);
    this.body.insert(this.body.length, [this.paragraph('')]);
  }

  private paragraph(text: string): Y.XmlElement {
    const p = new Y.XmlElement('paragraph');
    const t = new Y.XmlText();
    p.insert(0, [t]);
    if (text) t.insert(0, text);
    return p;
  }

  private text(line: number): Y.XmlText {
    return (this.body.get(line + 1) as Y.XmlElement).get(0) as Y.XmlText;
  }

  private locate(pos: number): { line: number; offset: number } {
    let line = 0;
    while (line < this.lengths.length - 1 && pos > this.lengths[line]) pos -= this.lengths[line++] + 1;
    return { line, offset: pos };
  }

  insert(pos: number, value: string): void {
    const { line, offset } = this.locate(pos);
    const pieces = value.split('\n');
    const text = this.text(line);
    if (pieces.length === 1) {
      text.insert(offset, value);
      this.lengths[line] += value.length;
      return;
    }
    // Split: the line keeps its head plus the first piece; new lines follow; the tail moves to the last.
    const tail = text.toString().slice(offset);
    if (tail) text.delete(offset, tail.length);
    if (pieces[0]) text.insert(offset, pieces[0]);
    this.lengths[line] = offset + pieces[0].length;
    const added = pieces.slice(1).map((piece, i, all) => (i === all.length - 1 ? piece + tail : piece));
    this.body.insert(line + 2, added.map((piece) => this.paragraph(piece)));
    this.lengths.splice(line + 1, 0, ...added.map((piece) => piece.length));
  }

  /** One transaction of the trace, as one Yjs transaction; returns the number of edits in it. */
  applyTransaction(patches: Trace['txns'][number]['patches']): number {
    this.doc.transact(() => {
      for (const [pos, del, ins] of patches) {
        if (del > 0) this.delete(pos, del);
        if (ins) this.insert(pos, ins);
      }
    });
    return patches.length;
  }

  /** The whole trace: its start content, then every transaction. */
  applyTrace(trace: Trace): void {
    if (trace.startContent) this.insert(0, trace.startContent);
    for (const txn of trace.txns) this.applyTransaction(txn.patches);
  }

  delete(pos: number, count: number): void {
    let remaining = count;
    const { line, offset } = this.locate(pos);
    while (remaining > 0) {
      const inLine = Math.min(remaining, this.lengths[line] - offset);
      if (inLine > 0) {
        this.text(line).delete(offset, inLine);
        this.lengths[line] -= inLine;
        remaining -= inLine;
      }
      if (remaining > 0) {
        // The newline at the end of this line: join the next line into it.
        const next = this.text(line + 1).toString();
        this.body.delete(line + 2, 1);
        this.lengths.splice(line + 1, 1);
        if (next) this.text(line).insert(offset, next);
        this.lengths[line] += next.length;
        remaining -= 1;
      }
    }
  }
}


async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await work();
  return { ms: performance.now() - start, value };
}

async function run(params: BenchParams): Promise<VersionsScenarioResult> {
  const started = performance.now();
  const trace = loadTrace();
  if (typeof trace === 'string') {
    // A clone without ../shared/ still runs the other scenarios.
    params.log(`versions: skipped, ${trace}`);
    return { name: 'versions', description: 'skipped: no editing trace', cases: [], durationMs: performance.now() - started, figures: null, skipped: trace };
  }
  params.log('versions: replaying the editing trace into a plan…');

  const doc = new Y.Doc();
  Y.applyUpdate(doc, encodePlanContent({ type: 'doc', content: [{ type: 'heading', attrs: { level: 1 }, content: [{ type: 'text', text: 'Plan de prueba (traza de edición)' }] }] }));
  const replay = new ParagraphReplay(doc);
  if (trace.startContent) replay.insert(0, trace.startContent);
  const checkpoints = new Map<number, string>([
    [Math.floor(trace.txns.length * 0.5), '50 %'],
    [Math.floor(trace.txns.length * 0.9), '90 %'],
  ]);
  const snapshots = new Map<string, Uint8Array>();
  let edits = 0;
  const replayStart = performance.now();
  trace.txns.forEach((txn, i) => {
    if (checkpoints.has(i)) snapshots.set(checkpoints.get(i)!, Y.encodeStateAsUpdate(doc));
    edits += replay.applyTransaction(txn.patches);
  });
  const replayMs = performance.now() - replayStart;
  const finalText = doc.getXmlFragment(YName.body).toArray().slice(1).map((p) => ((p as Y.XmlElement).get(0) as Y.XmlText).toString()).join('\n');
  if (finalText !== trace.endContent) throw new Error('the replayed plan does not match the trace’s final text');

  const dataDir = mkdtempSync(path.join(tmpdir(), 'minga-bench-versions-'));
  try {
    const meta = await MetaStore.memory();
    meta.data.documents.push({ id: 'bench', title: 'Plan de prueba', template: 'blank', createdAt: '', updatedAt: '', createdBy: null });
    let live: Uint8Array = snapshots.get('50 %')!;
    const source: PlanSource = {
      readState: async () => live,
      change: async () => false,
    };
    const quiet = { info: () => {}, warn: () => {}, error: () => {} };
    const options: ConstructorParameters<typeof VersionService>[0] = {
      store: new VersionStore(path.join(dataDir, 'versions')),
      milestones: new MilestoneBook(meta, Date.now),
      source,
      documentExists: () => true,
      authorOfClient: (_doc, client) => ({ id: String(client), name: `Autor ${client}`, delegation: 'Perú · MTPE', color: '#c8102e' }),
      recordClientAuthor: async () => {},
      logger: quiet,
      now: Date.now,
    };
    const versions = new VersionService(options);

    params.log('versions: capturing…');
    const half = await timed(() => versions.captureVersion('bench', { name: '50 %', milestoneId: null, capturedBy: { kind: 'system', source: 'admin' } }));
    live = snapshots.get('90 %')!;
    const recent = await versions.captureVersion('bench', { name: '90 %', milestoneId: null, capturedBy: { kind: 'system', source: 'admin' } });
    live = Y.encodeStateAsUpdate(doc);
    const captureTimes: number[] = [];
    let last = recent;
    for (let i = 0; i < REPEAT; i++) {
      const capture = await timed(() => versions.captureVersion('bench', { name: `100 % (${i + 1})`, milestoneId: null, capturedBy: { kind: 'system', source: 'admin' } }));
      captureTimes.push(capture.ms);
      last = capture.value;
    }

    const compare = async (from: string, to: string): Promise<{ median: number; max: number; insertions: number; deletions: number }> => {
      const times: number[] = [];
      let totals = { insertions: 0, deletions: 0 };
      for (let i = 0; i < REPEAT; i++) {
        // A fresh service each time: the service keeps comparisons of two versions, and the figure is the work itself.
        const result = await timed(() => new VersionService(options).compareVersions('bench', from, to));
        times.push(result.ms);
        totals = result.value.totals;
      }
      return { median: median(times), max: Math.max(...times), insertions: totals.insertions, deletions: totals.deletions };
    };
    params.log('versions: comparing…');
    const compareRecentMs = await compare(recent.id, last.id);
    const compareHalfMs = await compare(half.value.id, last.id);
    const compareCurrentMs = { median: (await compare(last.id, CURRENT_PLAN)).median };

    const stateBytes = Y.encodeStateAsUpdate(doc).length;
    const figures: VersionFigures = {
      characters: trace.endContent.length,
      paragraphs: doc.getXmlFragment(YName.body).length - 1,
      pagesApprox: Math.round(trace.endContent.length / 2000),
      edits,
      replayMs: Math.round(replayMs),
      stateBytes,
      captureMs: { first: half.ms, median: median(captureTimes), max: Math.max(...captureTimes) },
      compareRecentMs,
      compareHalfMs,
      compareCurrentMs,
      targets: VERSION_TARGETS,
    };
    const summary =
      `${figures.characters} characters, ${figures.paragraphs} paragraphs (~${figures.pagesApprox} pages), state ${(stateBytes / 1024).toFixed(0)} KiB; ` +
      `capture median ${figures.captureMs.median.toFixed(1)} ms, max ${figures.captureMs.max.toFixed(1)} ms (target < ${VERSION_TARGETS.captureMs}: ${figures.captureMs.max < VERSION_TARGETS.captureMs ? 'met' : 'missed'}); ` +
      `compare 90→100 % median ${compareRecentMs.median.toFixed(1)} ms, 50→100 % median ${compareHalfMs.median.toFixed(1)} ms, version→current ${compareCurrentMs.median.toFixed(1)} ms ` +
      `(target < ${VERSION_TARGETS.compareMs}: ${Math.max(compareRecentMs.median, compareHalfMs.median, compareCurrentMs.median) < VERSION_TARGETS.compareMs ? 'met' : 'missed'}).`;
    params.log(`versions: ${summary}`);
    return {
      name: 'versions',
      description: 'capture and compare of named versions on a ~50-page plan replayed from a real editing trace',
      cases: [],
      durationMs: performance.now() - started,
      figures,
      notes: [`**Versions (target 7)**, ${edits} edits of the trace replayed into a plan: ${summary}`],
    };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
    doc.destroy();
  }
}

/** The scenario as the registry holds it. */
export const versionsScenario: Scenario = {
  name: 'versions',
  description: 'capture (< 100 ms) and compare (< 500 ms) of named versions on a ~50-page plan',
  run,
};
