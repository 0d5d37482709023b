/**
 * Scenario "guard": what the update guard costs per update, in process, against the floor of
 * Yjs applying the same update. Three paths: an editor's keystroke (bounded inspection +
 * footprint + policy), a suggester's keystroke (the same, plus the shadow-copy content check
 * that compares the plan without their suggestions before and after), each on the sample plan
 * and on a ~50-page plan. Figures are per update, medians over the run; nothing fails on time.
 */
import * as Y from 'yjs';
import { encodePlanContent } from '../../shared/plan-doc.ts';
import { YName } from '../../shared/protocol.ts';
import { sovioTemplate } from '../../shared/template.ts';
import type { JSONContent } from '@tiptap/core';
import { inspectUpdate } from '../../server/collab/update-inspector.ts';
import { updateFootprint } from '../../server/collab/guard.ts';
import { authorizeUpdate } from '../../server/workspace/update-policy.ts';
import type { Identity } from '../../server/collab/types.ts';
import { median } from '../lib/stats.ts';
import type { BenchParams, Scenario, ScenarioResult } from '../lib/types.ts';

/** Per-update figures of one path, in microseconds. */
export interface GuardPath {
  plan: string;
  role: 'editor' | 'suggester';
  updates: number;
  applyOnlyUs: number;
  guardedUs: number;
  /** guarded / apply only. */
  ratio: number;
}

/** What the scenario returns beyond the common shape. */
export interface GuardScenarioResult extends ScenarioResult {
  paths: GuardPath[];
}

function largePlan(paragraphs: number): JSONContent {
  const line = 'La articulación con el Ministerio de Educación permite llegar a más instituciones educativas del país. ';
  return {
    type: 'doc',
    content: [
      { type: 'heading', attrs: { level: 1 }, content: [{ type: 'text', text: 'Plan grande' }] },
      ...Array.from({ length: paragraphs }, (_, i) => ({ type: 'paragraph', content: [{ type: 'text', text: `${i}. ${line}` }] })),
    ],
  };
}


/** Record `count` single-keystroke updates typed into paragraph 1 of a copy of `state`. */
function keystrokes(state: Uint8Array, count: number, attributes: Record<string, unknown>): Uint8Array[] {
  const writer = new Y.Doc();
  Y.applyUpdate(writer, state);
  const updates: Uint8Array[] = [];
  writer.on('update', (u: Uint8Array) => updates.push(u));
  const text = (writer.getXmlFragment(YName.body).get(1) as Y.XmlElement).get(0) as Y.XmlText;
  for (let i = 0; i < count; i++) text.insert(i, 'abcdefghij'[i % 10], attributes);
  writer.destroy();
  return updates;
}

function measurePath(plan: string, state: Uint8Array, role: 'editor' | 'suggester', count: number): GuardPath {
  const identity: Identity = { userId: 'bench-user', name: 'Bench', delegation: 'OEA', color: '#2e7d32', role };
  const attrs = role === 'suggester' ? { insertion: { suggestionId: 'sbench', authorId: identity.userId, authorName: 'Bench', color: '#2e7d32', createdAt: '2026-01-01T00:00:00.000Z' } } : {};
  const updates = keystrokes(state, count, attrs);
  const times = (guarded: boolean): number[] => {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, state);
    const out: number[] = [];
    for (const update of updates) {
      const t0 = performance.now();
      if (guarded) {
        const footprint = updateFootprint(doc, inspectUpdate(update));
        const decision = authorizeUpdate({ identity, footprint, update, doc });
        if (!decision.allowed) throw new Error(`bench update refused: ${decision.reason}`);
      }
      Y.applyUpdate(doc, update);
      out.push((performance.now() - t0) * 1000);
    }
    doc.destroy();
    return out;
  };
  times(true); // warm up both paths
  times(false);
  const applyOnlyUs = median(times(false));
  const guardedUs = median(times(true));
  return { plan, role, updates: updates.length, applyOnlyUs, guardedUs, ratio: guardedUs / applyOnlyUs };
}

/** The guard-cost scenario. */
export const guardScenario: Scenario = {
  name: 'guard',
  description: 'Cost of the update guard per update (inspection, footprint, policy; the suggestion content check for suggesters) against Y.applyUpdate alone',
  async run(params: BenchParams): Promise<GuardScenarioResult> {
    const started = performance.now();
    const smoke = params.keystrokes < 100;
    const count = smoke ? 50 : 1000;
    const plans: Array<[string, Uint8Array]> = [
      ['sample plan (~3 pages)', encodePlanContent(sovioTemplate())],
      [smoke ? 'large plan (100 paragraphs)' : 'large plan (1,200 paragraphs, ~50 pages)', encodePlanContent(largePlan(smoke ? 100 : 1200))],
    ];
    const paths: GuardPath[] = [];
    for (const [plan, state] of plans) {
      for (const role of ['editor', 'suggester'] as const) {
        params.log(`guard: ${plan}, ${role}…`);
        paths.push(measurePath(plan, state, role, role === 'suggester' && !smoke ? 200 : count));
      }
    }
    const notes = [
      '| plan | keystroke by | updates | Y.applyUpdate alone (µs) | guard + apply (µs) | ratio |',
      '|---|---|--:|--:|--:|--:|',
      ...paths.map((p) => `| ${p.plan} | ${p.role} | ${p.updates} | ${p.applyOnlyUs.toFixed(1)} | ${p.guardedUs.toFixed(1)} | ${p.ratio.toFixed(2)} |`),
    ];
    return { name: 'guard', description: guardScenario.description, cases: [], durationMs: performance.now() - started, notes, paths };
  },
};
