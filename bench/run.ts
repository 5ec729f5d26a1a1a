import { readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { judge, type Benchmark, type BenchResult } from './harness';

// `npm run bench [name…] [--json FILE]`: runs every benchmark in bench/*.ts
// (or those whose name or file contains one of the given words), one at a time,
// and prints each figure with its budget, baseline and ratio.

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const jsonAt = args.indexOf('--json');
const jsonFile = jsonAt >= 0 ? args[jsonAt + 1] : undefined;
const filters = args.filter((_, i) => jsonAt < 0 || (i !== jsonAt && i !== jsonAt + 1));

const files = readdirSync(here).filter((f) => f.endsWith('.ts') && !['run.ts', 'harness.ts'].includes(f)).sort();
const results: BenchResult[] = [];
const format = (n: number) => (Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 1 ? n.toFixed(2) : n.toPrecision(3));

for (const file of files) {
  const module = (await import(pathToFileURL(join(here, file)).href)) as { benchmarks?: Benchmark[] };
  for (const benchmark of module.benchmarks ?? []) {
    if (filters.length > 0 && !filters.some((f) => benchmark.name.includes(f) || file.includes(f))) continue;
    process.stdout.write(`${benchmark.name} … `);
    let result: BenchResult;
    try {
      result = judge(benchmark, await benchmark.run());
    } catch (error) {
      result = { name: benchmark.name, value: NaN, unit: benchmark.unit, budget: benchmark.budget, ok: false, note: `failed: ${error instanceof Error ? error.message : String(error)}` };
    }
    results.push(result);
    const budget = benchmark.budgetIsRatio ? `ratio budget ${benchmark.lowerIsBetter === false ? '≥' : '≤'} ${benchmark.budget}×` : `budget ${benchmark.lowerIsBetter === false ? '≥' : '≤'} ${format(benchmark.budget)} ${benchmark.unit}`;
    const baseline = result.baseline !== undefined ? ` · baseline ${format(result.baseline)} ${result.unit} · ratio ${format(result.ratio ?? NaN)}×` : '';
    process.stdout.write(`${format(result.value)} ${result.unit} (${budget}${baseline}) ${result.ok ? 'ok' : 'OVER BUDGET'}${result.note ? ` — ${result.note}` : ''}\n`);
  }
}
if (jsonFile) writeFileSync(jsonFile, `${JSON.stringify(results, null, 2)}\n`);
const over = results.filter((r) => !r.ok).length;
process.stdout.write(`\n${results.length - over} within budget, ${over} over\n`);
process.exitCode = over > 0 ? 1 : 0;
