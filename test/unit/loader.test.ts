import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError, parseEnvironment, parseScenario } from '../../src/scenario/load';
import { repoRoot } from '../helpers';

const fixture = (name: string) => join(repoRoot, 'test', 'fixtures', name);

function diagnosticsOf(file: string, text: string): string[] {
  try {
    parseScenario(file, text);
  } catch (error) {
    if (error instanceof InputError) return error.diagnostics.map((d) => `${d.line}:${d.column}: ${d.message}`);
    throw error;
  }
  return [];
}

describe('scenario loader', () => {
  it.each([
    'demo/shell-marker.yaml',
  ])('loads the valid scenario %s', (name) => {
    const file = join(repoRoot, 'scenarios', name);
    const { scenario } = parseScenario(file, readFileSync(file, 'utf8'));
    expect(scenario.steps.length).toBeGreaterThan(0);
    expect(scenario.pack).toBe('demo');
  });

  it('points at every problem in a file, with did-you-mean hints', () => {
    expect(diagnosticsOf('typos.yaml', readFileSync(fixture('invalid/typos.yaml'), 'utf8'))).toEqual([
      "4:1: unknown key 'stepps' (did you mean 'steps'?)",
      "9:15: unknown verb 'stpo' (did you mean 'stop'?)",
      '13:13: expected number, got string "lots"',
      "14:12: unknown phase 'observer' (did you mean 'observe'?); expected one of baseline, inject, observe, restore",
    ]);
  });

  it('reports YAML syntax errors at their position', () => {
    const [first] = diagnosticsOf('syntax.yaml', readFileSync(fixture('invalid/syntax.yaml'), 'utf8'));
    expect(first).toMatch(/^3:1: /);
  });

  it.each([
    ['missing hypothesis', 'id: a\ntitle: t\nsteps:\n  - {phase: inject, title: x}\n', "1:1: missing required key 'hypothesis'"],
    ['empty steps', 'id: a\ntitle: t\nhypothesis: h\nsteps: []\n', '4:8: Too small: expected array to have >=1 items'],
    ['bad id', 'id: Not OK\ntitle: t\nhypothesis: h\nsteps:\n  - {phase: inject, title: x}\n', '1:5: lowercase letters, digits and dashes'],
    ['bad duration', 'id: a\ntitle: t\nhypothesis: h\nsteps:\n  - phase: inject\n    title: x\n    wait: {duration: 5 seconds}\n', '7:22: a duration such as 500ms, 5s, 2m or 1h'],
    ['unknown key in a verb', 'id: a\ntitle: t\nhypothesis: h\nsteps:\n  - phase: inject\n    title: x\n    run:\n      - {verb: latency, target: api, ms: 5, jiter: 2}\n', "8:45: unknown key 'jiter' (did you mean 'jitter'?)"],
    ['missing verb', 'id: a\ntitle: t\nhypothesis: h\nsteps:\n  - phase: inject\n    title: x\n    run:\n      - {target: api}\n', "8:9: missing 'verb'"],
  ])('%s', (_, text, expected) => {
    const [first] = diagnosticsOf('x.yaml', text);
    // The missing-verb message goes on to list every verb; the rest match exactly.
    if (expected.endsWith("'verb'")) expect(first).toMatch(new RegExp(`^${expected} \\(one of stop, start,`));
    else expect(first).toBe(expected);
  });

  it('checks environment profiles the same way', () => {
    expect(() => parseEnvironment('env.yaml', 'name: x\ntargts: {}\n')).toThrowError(/env\.yaml:2:1: unknown key 'targts' \(did you mean 'targets'\?\)/);
  });
});
