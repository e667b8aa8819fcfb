import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { defaultStepRegistry } from '../src/steps/registry';
import { StepRegistry } from '../src/steps/step-registry';
import type { StepDefinition } from '../src/steps/step-definition';

const STEPS_DIR = join(__dirname, '../src/steps');
const isDefinition = (v: unknown): v is StepDefinition =>
  typeof v === 'object' && v !== null && 'name' in v && 'unit' in v && 'enqueueDue' in v;

describe('the step registry', () => {
  test('every step module loads on its own and exports complete definitions (no import cycle leaves one half-made)', () => {
    const found: string[] = [];
    for (const file of readdirSync(STEPS_DIR).filter((f) => f.endsWith('.ts'))) {
      jest.isolateModules(() => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const exports = require(join(STEPS_DIR, file)) as Record<string, unknown>;
        for (const value of Object.values(exports)) {
          if (!isDefinition(value)) continue;
          found.push(value.name);
          expect(value.schema).toBeDefined();
          expect(value.retry.attempts).toBeGreaterThan(0);
          if (value.unit === 'item') expect(typeof value.processItem).toBe('function');
          else expect(typeof value.process).toBe('function');
        }
      });
    }
    // The registry module exports none itself; each step is found in its own file.
    for (const name of defaultStepRegistry.names) expect(found).toContain(name);
  });

  test("tapir's steps, in the order the CLI shows them", () => {
    expect(defaultStepRegistry.names).toEqual(['clean', 'classify', 'answer-teacher', 'answer-student', 'judge', 'score-ifd', 'synthesize', 'expand', 'plan', 'refine']);
    expect(defaultStepRegistry.perRoundNames).toEqual(['answer-student', 'judge', 'score-ifd']);
    expect(defaultStepRegistry.inPhase('refine').map((s) => s.name)).toEqual(['refine']);
  });

  test('a new item is queued for clean only; a kept one for classify and the teacher always, the student only when MFD is used', () => {
    const starts = (mfd: boolean, ifd: boolean) =>
      defaultStepRegistry.steps.filter((s) => s.unit === 'item' && s.startsItem?.({ mfd, ifd })).map((s) => s.name);
    const startsWhenKept = (mfd: boolean, ifd: boolean) =>
      defaultStepRegistry.steps.filter((s) => s.unit === 'item' && s.startsWhenKept?.({ mfd, ifd })).map((s) => s.name);
    expect(starts(true, false)).toEqual(['clean']);
    expect(starts(false, true)).toEqual(['clean']);
    expect(startsWhenKept(true, false)).toEqual(['classify', 'answer-teacher', 'answer-student']);
    expect(startsWhenKept(false, true)).toEqual(['classify', 'answer-teacher']);
  });

  test("the plan barrier holds each step's condition once, negated", () => {
    const { text, name } = defaultStepRegistry.planBarrier;
    const conditions = [...new Set(defaultStepRegistry.steps.map((s) => s.blocksPlan).filter((c): c is string => !!c))];
    expect(conditions).toHaveLength(5); // clean, classify, the answers and judge (one condition), synthesize, expand
    for (const c of conditions) expect(text.split(`not ${c}`)).toHaveLength(2);
    expect(name).toMatch(/^tapir_plan_barrier_[0-9a-f]{8}$/);
    // Another registry makes another statement, under another name.
    const fewer = new StepRegistry(defaultStepRegistry.steps.filter((s) => s.name !== 'expand'));
    expect(fewer.planBarrier.name).not.toBe(name);
    expect(fewer.planBarrier.text).not.toMatch(/expansions/);
  });

  test('refuses two steps of one name, a name that is no queue name, and a label too long for the bars', () => {
    const [first] = defaultStepRegistry.steps;
    expect(() => new StepRegistry([first!, first!])).toThrow(/two steps are named clean/);
    expect(() => new StepRegistry([{ ...first!, name: 'Bad Name' } as StepDefinition])).toThrow(/must be lower-case/);
    expect(() => new StepRegistry([{ ...first!, label: 'much too long' } as StepDefinition])).toThrow(/longer than 8/);
    expect(() => defaultStepRegistry.get('nope')).toThrow(/no step named nope/);
  });
});
