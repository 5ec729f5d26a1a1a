// The shape every benchmark file exports, and how a result is judged. A
// benchmark measures one figure against a budget; where it has a baseline
// (a bare Ink app, a direct connection) it measures that in the same run.

/** One benchmark. `lowerIsBetter` defaults to true (times, CPU, memory). */
export interface Benchmark {
  readonly name: string;
  readonly unit: string;
  /** The budget the figure must meet. */
  readonly budget: number;
  /** Set false for figures where more is better (throughput). */
  readonly lowerIsBetter?: boolean;
  /** When set, the budget applies to value/baseline instead of value. */
  readonly budgetIsRatio?: boolean;
  run(): Promise<{ value: number; baseline?: number; note?: string }>;
}

/** A finished measurement, as `--json` writes it. */
export interface BenchResult {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly budget: number;
  readonly baseline?: number;
  readonly ratio?: number;
  readonly ok: boolean;
  readonly note?: string;
}

/** Judges a measurement against its benchmark's budget. */
export function judge(benchmark: Benchmark, measured: { value: number; baseline?: number; note?: string }): BenchResult {
  const ratio = measured.baseline !== undefined && measured.baseline > 0 ? measured.value / measured.baseline : undefined;
  const figure = benchmark.budgetIsRatio ? ratio : measured.value;
  const isLower = benchmark.lowerIsBetter !== false;
  const ok = figure !== undefined && Number.isFinite(figure) && (isLower ? figure <= benchmark.budget : figure >= benchmark.budget);
  return {
    name: benchmark.name,
    value: measured.value,
    unit: benchmark.unit,
    budget: benchmark.budget,
    ...(measured.baseline !== undefined ? { baseline: measured.baseline } : {}),
    ...(ratio !== undefined ? { ratio } : {}),
    ok,
    ...(measured.note ? { note: measured.note } : {}),
  };
}

/** Percentile of numbers (0..100), nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
