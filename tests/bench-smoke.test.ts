import { expect, it } from 'vitest';
import { runBench } from '../bench/run.ts';

/** Every figure a scenario returns, flattened: all must be finite numbers. */
function numbers(value: unknown, out: number[] = []): number[] {
  if (typeof value === 'number') out.push(value);
  else if (Array.isArray(value)) value.forEach((v) => numbers(v, out));
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => numbers(v, out));
  return out;
}

it('every benchmark scenario completes at smoke size with sane figures', async () => {
  const result = await runBench({ smoke: true, log: () => {} });
  const names = result.scenarios.map((s) => s.name);
  expect(names).toEqual(expect.arrayContaining(['latency', 'versions', 'guard', 'replay', 'storage', 'joiners', 'memory', 'browser']));
  for (const scenario of result.scenarios) {
    expect(numbers(scenario).every((n) => Number.isFinite(n)), `${scenario.name} returned a non-finite figure`).toBe(true);
  }
  const latency = result.scenarios.find((s) => s.name === 'latency')!;
  expect(latency.cases.length).toBeGreaterThan(0);
  for (const c of latency.cases) {
    for (const s of Object.values(c.servers)) {
      expect(s.lost).toBe(0);
      expect(s.converged).toBe(true);
      expect(s.samples).toBe(s.expected);
      expect(s.p50).toBeGreaterThan(0);
      expect(s.p50).toBeLessThanOrEqual(s.p99);
      expect(s.p99).toBeLessThanOrEqual(s.max);
    }
  }
}, 300_000);
