import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { classifyInstruction, TASK_CATEGORIES } from '../src';

const WIZARDLM = resolve(__dirname, '../../../../shared/data/wizardlm_testset.jsonl');

describe('classifyInstruction', () => {
  test.each([
    ['Calculate the sum of 45 and 67.', 'Math'],
    ['Why does this JavaScript code throw a TypeError? ```js\nconst a = null; a.b();\n```', 'Code Debug'],
    ['Implement a binary search in Java.', 'Code Generation'],
    ['Explain the time complexity of quicksort.', 'Computer Science'],
    ['Write a cover letter for a marketing job.', 'Writing'],
    ['Correct the grammar in this sentence: "She go to school yesterday."', 'Grammar'],
    ['Present the data as a markdown table with columns name and age.', 'Complex Format'],
    ['What are the main causes of climate change?', 'Ecology'],
    ['What were the causes of World War I?', 'History'],
    ['Who won the FIFA World Cup in 2018?', 'Sport'],
    ['How does inflation affect the stock market?', 'Economy'],
    ['What is the chemical formula of table salt and how do its atoms bond?', 'Chemistry'],
    ['Explain Newton\'s second law of motion and the concept of force.', 'Physics'],
    ['Describe what free will means to Kant.', 'Philosophy'],
    ['What are the symptoms of diabetes?', 'Medicine'],
    ['Recommend a good movie for a family night.', 'Entertainment'],
    ['Who painted the Mona Lisa and what makes the painting famous?', 'Art'],
    ['Suggest some chords for a sad song on guitar.', 'Music'],
    ['Is it ethical to eat meat? Discuss the moral arguments.', 'Ethics'],
    ['What are your thoughts on this?', 'Common-Sense'],
    ['Generate five adjectives.', 'Grammar'],
    ['Blue sky random tokens', 'Others'],
  ])('%j -> %s', (instruction, expected) => {
    expect(classifyInstruction(instruction)).toBe(expected);
  });

  test('only ever returns taxonomy names', () => {
    for (const text of ['', '   ', '???', 'x'.repeat(10_000), '翻译这句话']) {
      expect(TASK_CATEGORIES).toContain(classifyInstruction(text));
    }
  });

  (existsSync(WIZARDLM) ? test : test.skip)('agrees with most human Skill labels of the WizardLM test set', () => {
    const rows = readFileSync(WIZARDLM, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { Skill: string; Instruction: string });
    const scored = rows.filter((row) => (TASK_CATEGORIES as readonly string[]).includes(row.Skill === 'Writting' ? 'Writing' : row.Skill));
    const agree = scored.filter((row) => classifyInstruction(row.Instruction) === (row.Skill === 'Writting' ? 'Writing' : row.Skill)).length;
    // A keyword heuristic, not a model: about two thirds agreement is the realistic bar (measured 0.72).
    expect(agree / scored.length).toBeGreaterThan(0.6);
  });
});
