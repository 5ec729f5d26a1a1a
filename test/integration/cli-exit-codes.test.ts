import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, spawnCli, tempDir } from '../helpers';

// Exit codes are the CLI's contract with pipelines: 0 held, 1 failed or
// deviated, 2 bad input or usage, 3 aborted or interrupted, 4 restore incomplete.

const fixtures = join(repoRoot, 'test', 'fixtures');

describe('exit codes', () => {
  it.each<[string, string[], number, RegExp]>([
    ['0 when the hypothesis holds', ['run', 'demo/shell-marker', '--auto'], 0, /verdict: PASS/],
    ['1 when it does not', ['run', join(fixtures, 'scenarios', 'failing-criteria.yaml'), '--auto', '--expect-timeout', '1s'], 1, /verdict: FAIL/],
    ['2 for a broken scenario, with file:line:column', ['run', join(fixtures, 'invalid', 'typos.yaml'), '--auto'], 2, /typos\.yaml:9:15: unknown verb 'stpo' \(did you mean 'stop'\?\)/],
    ['2 for a YAML syntax error', ['validate', join(fixtures, 'invalid', 'syntax.yaml')], 2, /syntax\.yaml:3:1: /],
    ['2 when validate finds an unbound target and an unsupported verb', ['validate', join(fixtures, 'invalid', 'unbound.yaml')], 2, /unbound\.yaml:11:17: error: unknown target 'flga' \(did you mean 'flag'\?\)[\s\S]*unbound\.yaml:13:15: error: the shell driver \(bound to 'flag'\) cannot 'stop'/],
    ['2 for an unknown option', ['run', 'demo/shell-marker', '--frobnicate'], 2, /Unknown option '--frobnicate'/],
    ['2 for an unknown command', ['frobnicate'], 2, /unknown command 'frobnicate'/],
    ['2 for a missing scenario', ['run', 'no-such-scenario', '--auto'], 2, /no scenario 'no-such-scenario'/],
    ['0 for validate on the shipped packs', ['validate', 'scenarios/demo'], 0, /✓/],
  ])('%s', async (_, args, code, output) => {
    const cli = spawnCli(args, { env: { XDG_STATE_HOME: tempDir() } });
    expect(await cli.exited).toBe(code);
    expect(cli.stdout() + cli.stderr()).toMatch(output);
    expect(cli.stderr()).not.toMatch(/\n\s+at .+:\d+:\d+/);
  });

  it('--help and --version work on every command', async () => {
    for (const args of [['--help'], ['--version'], ['run', '--help'], ['validate', '--help'], ['restore', '--version'], ['list', '--help']]) {
      const cli = spawnCli(args);
      expect(await cli.exited, args.join(' ')).toBe(0);
      expect(cli.stdout().length).toBeGreaterThan(3);
    }
  });
});
