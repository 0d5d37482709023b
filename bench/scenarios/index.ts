/**
 * The scenario registry. A new scenario is a file in this folder exporting a Scenario
 * ({ name, description, run }) and one line in the list below; `--scenario NAME` picks it.
 */
import type { Scenario } from '../lib/types.ts';
import { latencyScenario } from './latency.ts';
import { versionsScenario } from './versions.ts';
import { guardScenario } from './guard.ts';
import { replayScenario } from './replay.ts';
import { storageScenario } from './storage.ts';
import { joinersScenario } from './joiners.ts';
import { memoryScenario } from './memory.ts';
import { browserScenario } from './browser.ts';

/** Every scenario, in the order a full run measures them. */
export const SCENARIOS: readonly Scenario[] = [latencyScenario, versionsScenario, guardScenario, browserScenario, replayScenario, storageScenario, joinersScenario, memoryScenario];

/** The scenarios with these names, in registry order; throws on an unknown name. */
export function selectScenarios(names: readonly string[] | undefined): Scenario[] {
  if (!names || names.length === 0) return [...SCENARIOS];
  for (const name of names) {
    if (!SCENARIOS.some((scenario) => scenario.name === name)) {
      throw new Error(`unknown scenario "${name}"; known: ${SCENARIOS.map((scenario) => scenario.name).join(', ')}`);
    }
  }
  return SCENARIOS.filter((scenario) => names.includes(scenario.name));
}
