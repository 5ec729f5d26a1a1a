import type { Criterion, Tolerance } from '../scenario/schema';
import type { CriterionResult, DeckEvent, Phase } from './events';
import { describeTolerance, withinTolerance } from './tolerance';

// Success criteria are measured from the event stream alone, so a live run, a
// replayed recording and a report agree on every figure. Windows come from the
// phases: baseline, impact (inject to the first undo), recovery (from there on).

interface Sample {
  readonly t: number;
  readonly value: number;
}

const MAX_SAMPLES = 200_000;

/** Collects what criteria and guardrails measure. Feed it every event of a run. */
export class Measurements {
  private readonly series = new Map<string, Sample[]>();
  private readonly phaseStart = new Map<Phase, number>();
  private restoreAt: number | null = null;
  private endAt = 0;
  private readonly restarts = new Map<string, { first: number; last: number }>();
  private expectations = { met: 0, total: 0 };
  private readonly checkStatus = new Map<string, string>();

  observe(event: DeckEvent): void {
    this.endAt = Math.max(this.endAt, event.t);
    switch (event.type) {
      case 'step.entered':
        if (!this.phaseStart.has(event.phase)) this.phaseStart.set(event.phase, event.t);
        if (event.phase === 'restore' && this.restoreAt === null) this.restoreAt = event.t;
        break;
      case 'rollback.started':
        if (this.restoreAt === null) this.restoreAt = event.t;
        break;
      case 'latency':
        for (const name of ['p50', 'p95', 'p99', 'rps', 'errorRate'] as const) this.add(name, event.t, event[name]);
        break;
      case 'metric':
        this.add(event.name, event.t, event.value);
        if (event.labels) this.add(`${event.name}${labelKey(event.labels)}`, event.t, event.value);
        break;
      case 'status':
        for (const target of event.targets) {
          const key = `${event.source}/${target.name}`;
          const seen = this.restarts.get(key);
          this.restarts.set(key, { first: seen?.first ?? target.restarts, last: target.restarts });
        }
        break;
      case 'check':
        if (event.kind === 'expect' && event.status !== 'pending') this.checkStatus.set(event.checkId, event.status);
        break;
      default:
        break;
    }
    this.expectations = [...this.checkStatus.values()].reduce(
      (acc, s) => ({ met: acc.met + (s === 'met' ? 1 : 0), total: acc.total + (s === 'skipped' ? 0 : 1) }),
      { met: 0, total: 0 },
    );
  }

  private add(name: string, t: number, value: number): void {
    let list = this.series.get(name);
    if (!list) this.series.set(name, (list = []));
    list.push({ t, value });
    if (list.length > MAX_SAMPLES) list.splice(0, list.length - MAX_SAMPLES);
  }

  /** The [from, to) range of a window in run time. */
  window(name: Criterion['window']): [number, number] {
    const start = (p: Phase) => this.phaseStart.get(p);
    const end = this.endAt + 1;
    const firstAfter = (...phases: Phase[]) => phases.map(start).find((t) => t !== undefined) ?? end;
    switch (name) {
      case 'baseline': return [start('baseline') ?? 0, firstAfter('inject', 'observe', 'restore')];
      case 'inject': return [start('inject') ?? end, firstAfter('observe', 'restore')];
      case 'observe': return [start('observe') ?? end, firstAfter('restore')];
      case 'restore': return [start('restore') ?? end, end];
      case 'impact': return [start('inject') ?? start('observe') ?? end, this.restoreAt ?? end];
      case 'recovery': return [this.restoreAt ?? end, end];
      case 'run': return [0, end];
    }
  }

  /** Values of a series inside a window. */
  values(name: string, window: Criterion['window'], labels?: Record<string, string>): number[] {
    const [from, to] = this.window(window);
    const key = labels ? `${name}${labelKey(labels)}` : name;
    return (this.series.get(key) ?? []).filter((s) => s.t >= from && s.t < to).map((s) => s.value);
  }

  /** Seconds from the first undo until latency and errors are back near the baseline, or Infinity. */
  recoverySeconds(): number {
    if (this.restoreAt === null) return Infinity;
    const baseP95 = average(this.values('p95', 'baseline'));
    const baseErr = average(this.values('errorRate', 'baseline'));
    const p95 = (this.series.get('p95') ?? []).filter((s) => s.t >= this.restoreAt!);
    const err = (this.series.get('errorRate') ?? []).filter((s) => s.t >= this.restoreAt!);
    if (p95.length === 0) return Infinity;
    const p95Limit = Number.isFinite(baseP95) ? baseP95 * 2 + 10 : Infinity;
    const errLimit = Number.isFinite(baseErr) ? baseErr + 0.02 : 0.05;
    // Recovered at the first sample from which two in a row are healthy.
    for (let i = 0; i < p95.length; i++) {
      const healthy = (j: number) => p95[j] !== undefined && p95[j]!.value <= p95Limit && (err[j]?.value ?? 0) <= errLimit;
      if (healthy(i) && (i + 1 >= p95.length || healthy(i + 1))) return Math.max(0, (p95[i]!.t - this.restoreAt) / 1_000);
    }
    return Infinity;
  }

  /** The value of a criterion's measure, or undefined when nothing was measured. */
  measure(criterion: Pick<Criterion, 'measure' | 'window' | 'aggregate' | 'labels'>): number | undefined {
    switch (criterion.measure) {
      case 'recovery': {
        const seconds = this.recoverySeconds();
        return Number.isFinite(seconds) ? seconds : undefined;
      }
      case 'latencyIncrease': {
        const base = average(this.values('p95', 'baseline'));
        const impact = aggregate(this.values('p95', criterion.window === 'run' ? 'impact' : criterion.window), criterion.aggregate);
        return base > 0 && impact !== undefined ? impact / base : undefined;
      }
      case 'restarts':
        return [...this.restarts.values()].reduce((sum, r) => sum + Math.max(0, r.last - r.first), 0);
      case 'checks':
        return this.expectations.total === 0 ? undefined : this.expectations.met / this.expectations.total;
      default:
        return aggregate(this.values(criterion.measure, criterion.window, criterion.labels), criterion.aggregate);
    }
  }
}

function labelKey(labels: Record<string, string>): string {
  return `{${Object.entries(labels).sort().map(([k, v]) => `${k}=${v}`).join(',')}}`;
}

function average(values: number[]): number {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : NaN;
}

/** Aggregates a window's values; undefined for none. */
export function aggregate(values: number[], how: Criterion['aggregate']): number | undefined {
  if (values.length === 0) return undefined;
  switch (how) {
    case 'max': return Math.max(...values);
    case 'min': return Math.min(...values);
    case 'avg': return average(values);
    case 'last': return values[values.length - 1];
    case 'p95': {
      const sorted = [...values].sort((a, b) => a - b);
      return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)];
    }
  }
}

const UNITS: Record<string, string> = { p50: ' ms', p95: ' ms', p99: ' ms', recovery: ' s', latencyIncrease: '×' };

/** Formats a measured value for a verdict table. */
export function formatMeasure(measure: string, value: number | undefined): string {
  if (value === undefined) return measure === 'recovery' ? 'not recovered' : 'no data';
  if (measure === 'errorRate' || measure === 'checks' || /rate$/i.test(measure)) return `${(value * 100).toFixed(1)} %`;
  const rounded = Math.abs(value) >= 100 ? value.toFixed(0) : value.toFixed(value % 1 === 0 ? 0 : 2);
  return `${rounded}${UNITS[measure] ?? ''}`;
}

function describeThreshold(measure: string, tolerance: Tolerance): string {
  if (measure === 'errorRate' || measure === 'checks' || /rate$/i.test(measure)) {
    const pct = (n: number) => Number((n * 100).toFixed(2));
    const scaled: Tolerance = {
      ...tolerance,
      ...(tolerance.lt !== undefined ? { lt: pct(tolerance.lt) } : {}),
      ...(tolerance.lte !== undefined ? { lte: pct(tolerance.lte) } : {}),
      ...(tolerance.gt !== undefined ? { gt: pct(tolerance.gt) } : {}),
      ...(tolerance.gte !== undefined ? { gte: pct(tolerance.gte) } : {}),
    };
    return describeTolerance(scaled, ' %');
  }
  return describeTolerance(tolerance, UNITS[measure] ?? '');
}

/** Evaluates every criterion; a criterion with no data fails (nothing proves it held). */
export function evaluateCriteria(criteria: readonly Criterion[], measurements: Measurements): CriterionResult[] {
  return criteria.map((criterion) => {
    const value = measurements.measure(criterion);
    return {
      name: criterion.name,
      threshold: describeThreshold(criterion.measure, criterion.tolerance),
      observed: formatMeasure(criterion.measure, value),
      isOk: value !== undefined && withinTolerance(criterion.tolerance, value),
    };
  });
}
