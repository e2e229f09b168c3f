/** Latency summary of one phase, in milliseconds. */
export interface LatencySummary {
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

/**
 * Summarizes latencies with nearest-rank percentiles: p99 is the smallest sample that at least
 * 99 % of the samples do not exceed. An empty list gives NaN everywhere, so a phase that
 * completed nothing cannot pass for a fast one.
 */
export function summarizeLatencies(samples: readonly number[]): LatencySummary {
  if (samples.length === 0) return { p50: NaN, p90: NaN, p99: NaN, max: NaN, mean: NaN };
  const sorted = Float64Array.from(samples).sort();
  let sum = 0;
  for (const sample of sorted) sum += sample;
  return {
    p50: nearestRank(sorted, 0.5),
    p90: nearestRank(sorted, 0.9),
    p99: nearestRank(sorted, 0.99),
    max: sorted[sorted.length - 1] ?? NaN,
    mean: sum / sorted.length,
  };
}

function nearestRank(sorted: Float64Array, quantile: number): number {
  const rank = Math.max(1, Math.ceil(quantile * sorted.length));
  return sorted[rank - 1] ?? NaN;
}

/** CPU time from `process.cpuUsage` deltas as a share of one core over `elapsedMs`. */
export function cpuShare(usage: NodeJS.CpuUsage, elapsedMs: number): number {
  if (elapsedMs <= 0) return NaN;
  return (usage.user + usage.system) / 1000 / elapsedMs;
}
