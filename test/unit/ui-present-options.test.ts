import { describe, expect, it } from 'vitest';
import { presentOptions } from '../../src/cli/commands/present';
import { runOptions } from '../../src/cli/commands/run';

// present.ts writes `run`'s option table out instead of importing run.ts (which
// would load the engine and every driver before the deck's first frame); this
// keeps the copy in step.
describe('present options', () => {
  it('accept every option of run, defined the same way', () => {
    for (const [name, option] of Object.entries(runOptions)) expect({ name, option: presentOptions[name as keyof typeof presentOptions] }).toEqual({ name, option });
  });

  it('add only the deck\'s own', () => {
    const extra = Object.keys(presentOptions).filter((name) => !(name in runOptions));
    expect(extra.sort()).toEqual(['audience', 'theme']);
  });
});
