/**
 * Scenario "storage" (issue 8, target 3): bytes on disk for a plan after replaying the editing
 * trace through Minga, before and after compaction, against Y.encodeStateAsUpdate of the final
 * document (target ≤ 1.2× after compaction), and bytes written per keystroke. The figures are
 * measured by the `replay` scenario's Minga runs (see replay.ts for the method); when `replay`
 * already ran in this process they are reused, otherwise this runs the replay itself.
 */
import { lastStorage, replayScenario, storageNotes } from './replay.ts';
import type { BenchParams, Scenario, ScenarioResult } from '../lib/types.ts';

async function run(params: BenchParams): Promise<ScenarioResult> {
  const started = performance.now();
  let storage = lastStorage;
  let skipped: string | undefined;
  if (!storage) {
    params.log('storage: running the replay (both servers) to measure the plan’s files…');
    const replay = (await replayScenario.run({ ...params, rounds: 1 })) as ScenarioResult & { skipped?: string };
    storage = lastStorage;
    skipped = replay.skipped;
  } else {
    params.log('storage: figures of the replay scenario in this run');
  }
  const notes = storage ? storageNotes(storage) : [skipped ?? 'no storage figures'];
  return { name: 'storage', description: 'bytes on disk after the replay, before and after compaction (target ≤ 1.2×)', cases: [], durationMs: performance.now() - started, notes, ...{ figures: storage, skipped } };
}

export const storageScenario: Scenario = {
  name: 'storage',
  description: 'bytes on disk for the replayed plan against its encoded Yjs state (≤ 1.2× after compaction), bytes written per keystroke',
  run,
};
