// Latency summaries the way a load tool reports them: nearest-rank percentiles
// over the requests completed in a window.

/** The nearest-rank percentile `p` (0–100) of `sorted` (ascending); 0 for an empty list. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

/** p50/p95/p99 of a list of durations. */
export function summarize(durations: readonly number[]): { p50: number; p95: number; p99: number } {
  const sorted = [...durations].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99) };
}
