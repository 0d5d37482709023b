/** Percentiles and summaries of latency samples. */

/**
 * The p-th percentile (0–100) of ascending-sorted samples, by nearest rank: always a value
 * that was actually observed, so a p99 is never an interpolation between two deliveries.
 */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/** Mean, p50, p95, p99 and max of unsorted samples. */
export function distribution(samples: readonly number[]): { mean: number; p50: number; p95: number; p99: number; max: number } {
  const sorted = Float64Array.from(samples).sort();
  const values = Array.from(sorted);
  const sum = values.reduce((a, b) => a + b, 0);
  return {
    mean: values.length ? sum / values.length : Number.NaN,
    p50: percentile(values, 50),
    p95: percentile(values, 95),
    p99: percentile(values, 99),
    max: values.length ? values[values.length - 1] : Number.NaN,
  };
}

/** The median of unsorted values (the mean of the middle two for an even count; NaN for none). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length === 0 ? Number.NaN : sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** A ratio that stays readable when the denominator is zero or missing. */
export function ratio(ours: number, reference: number): number {
  return reference > 0 && Number.isFinite(ours) ? ours / reference : Number.NaN;
}

/** Milliseconds with precision that suits their size (0.42, 4.2, 42). */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  if (ms < 1) return ms.toFixed(2);
  if (ms < 10) return ms.toFixed(1);
  return ms.toFixed(0);
}
