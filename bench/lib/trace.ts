/**
 * The editing trace shared by the trace-driven scenarios (versions, replay, joiners): the
 * keystrokes that wrote a 105 000-character paper (../shared/data/automerge-paper.json.gz;
 * CC BY 4.0, Martin Kleppmann / automerge-perf via Joseph Gentle's editing-traces). It is read
 * at run time from MINGA_TRACE (default ../shared/data/automerge-paper.json.gz, relative to the
 * repository) and never copied into the project.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';

/** Where the trace is unless MINGA_TRACE says otherwise (relative to the repository). */
export const DEFAULT_TRACE = '../shared/data/automerge-paper.json.gz';

/** The trace's shape: apply every patch, in order, to startContent and you get endContent. */
export interface Trace {
  startContent: string;
  endContent: string;
  txns: Array<{ patches: Array<[number, number, string]> }>;
}

/** The trace, or a sentence saying why it cannot be read and how to provide it. */
export function loadTrace(): Trace | string {
  const root = path.resolve(import.meta.dirname, '../..');
  const file = path.resolve(root, process.env.MINGA_TRACE ?? DEFAULT_TRACE);
  let raw: Buffer;
  try {
    raw = readFileSync(file);
  } catch {
    return `the editing trace is not at ${file}: set MINGA_TRACE to a copy of automerge-paper.json.gz (from Joseph Gentle's editing-traces, sequential_traces/)`;
  }
  return JSON.parse(gunzipSync(raw).toString('utf8')) as Trace;
}

/**
 * The first `edits` patches of the trace as a trace of their own (endContent recomputed), for
 * smoke runs; the whole trace when `edits` is at least its length.
 */
export function truncateTrace(trace: Trace, edits: number): Trace {
  if (edits >= trace.txns.length) return trace;
  const txns = trace.txns.slice(0, edits);
  let text = trace.startContent;
  for (const txn of txns) {
    for (const [pos, del, ins] of txn.patches) text = text.slice(0, pos) + ins + text.slice(pos + del);
  }
  return { startContent: trace.startContent, endContent: text, txns };
}

/** A small synthetic trace (typing, some deletions) for smoke runs without the real one. */
export function syntheticTrace(edits: number): Trace {
  const txns: Trace['txns'] = [];
  let text = '';
  const words = 'plan de trabajo para la mejora del sovio con la OEA y el ministerio\n'.split('');
  for (let i = 0; i < edits; i++) {
    if (i % 7 === 6 && text.length > 0) {
      const pos = text.length - 1;
      txns.push({ patches: [[pos, 1, '']] });
      text = text.slice(0, pos);
    } else {
      const ch = words[i % words.length];
      const pos = Math.floor((text.length * (i % 5)) / 4);
      txns.push({ patches: [[pos, 0, ch]] });
      text = text.slice(0, pos) + ch + text.slice(pos);
    }
  }
  return { startContent: '', endContent: text, txns };
}
