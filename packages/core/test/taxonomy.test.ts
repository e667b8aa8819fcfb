import { DEFAULT_TAXONOMY, OTHERS, categoryKey, matchCategory } from '@tapir/core';

const NAMES = DEFAULT_TAXONOMY.map((c) => c.name);

describe('DEFAULT_TAXONOMY', () => {
  test('has the 32 categories of docs/method.md (step 7) in order', () => {
    expect(NAMES).toEqual([
      'Math', 'Reasoning', 'Code Generation', 'Code Debug', 'Others', 'Writing', 'Computer Science',
      'Complex Format', 'Common-Sense', 'Counterfactual', 'Multilingual', 'Roleplay', 'Biology',
      'Technology', 'Ethics', 'Sport', 'Law', 'Medicine', 'Literature', 'Entertainment', 'Art', 'Music',
      'Toxicity', 'Economy', 'Physics', 'History', 'Chemistry', 'Philosophy', 'Health', 'Ecology',
      'Grammar', 'Paraphrase',
    ]);
  });

  test('has the published weights, summing to about 1', () => {
    const w = Object.fromEntries(DEFAULT_TAXONOMY.map((c) => [c.name, c.weight]));
    expect(w.Math).toBe(0.167);
    expect(w.Reasoning).toBe(0.167);
    expect(w['Code Generation']).toBe(0.083);
    expect(w['Code Debug']).toBe(0.083);
    expect(w.Others).toBe(0.041);
    for (const name of NAMES.slice(5)) expect(w[name]).toBe(0.017);
    const sum = DEFAULT_TAXONOMY.reduce((a, c) => a + c.weight, 0);
    expect(Math.abs(sum - 1)).toBeLessThan(0.002);
  });

  test('is frozen and contains Others', () => {
    expect(Object.isFrozen(DEFAULT_TAXONOMY)).toBe(true);
    expect(Object.isFrozen(DEFAULT_TAXONOMY[0])).toBe(true);
    expect(NAMES).toContain(OTHERS);
  });
});

describe('matchCategory', () => {
  test.each([
    ['Math', 'Math'],
    ['math', 'Math'],
    ['  MATH. ', 'Math'],
    ['Writting', 'Writing'],
    ['writing', 'Writing'],
    ['Common Sense', 'Common-Sense'],
    ['commonsense', 'Common-Sense'],
    ['common_sense', 'Common-Sense'],
    ['Code Generation', 'Code Generation'],
    ['code_generation', 'Code Generation'],
    ['code-generation', 'Code Generation'],
    ['CodeGeneration', 'Code Generation'],
    ['Computer Science', 'Computer Science'],
    ['computer_science', 'Computer Science'],
    ['Complex Format', 'Complex Format'],
    ['complex-format', 'Complex Format'],
    ['Role-play', 'Roleplay'],
    ['Role playing', 'Roleplay'],
    ['other', 'Others'],
    ['Sports', 'Sport'],
    ['Mathematics', 'Math'],
    ['Code Debugging', 'Code Debug'],
    ['Economics', 'Economy'],
    ['"Reasoning"', 'Reasoning'],
    ['Chemestry', 'Chemistry'],
    ['Philosphy', 'Philosophy'],
    ['Paraphrse', 'Paraphrase'],
    ['Counterfactal', 'Counterfactual'],
  ])('%j -> %s', (label, expected) => {
    expect(matchCategory(label, NAMES)).toBe(expected);
  });

  test.each(['', '   ', '!!!', 'Astrology', 'Mth', 'Cooking', 'Lawn', 'Arts and crafts'])('%j -> null', (label) => {
    expect(matchCategory(label, NAMES)).toBeNull();
  });

  test('short names get no typo allowance', () => {
    expect(matchCategory('Lav', NAMES)).toBeNull();
    expect(matchCategory('Mat', NAMES)).toBeNull();
  });

  test('aliases only resolve to categories that exist', () => {
    expect(matchCategory('Writting', ['Math', 'Others'])).toBeNull();
    expect(matchCategory('other', ['Math', 'Others'])).toBe('Others');
  });

  test('ambiguous typos are not guessed', () => {
    expect(matchCategory('abcdefx', ['abcdefg', 'abcdefh'])).toBeNull();
    expect(matchCategory('abcdefx', ['abcdefg', 'zzz'])).toBe('abcdefg');
  });

  test('returns the canonical spelling from the given list', () => {
    expect(matchCategory('CODE DEBUG', ['code debug', 'Others'])).toBe('code debug');
  });

  test('categoryKey drops case, spaces and punctuation', () => {
    expect(categoryKey('Common-Sense')).toBe('commonsense');
    expect(categoryKey(' Code_Generation ')).toBe('codegeneration');
    expect(categoryKey('Café')).toBe('cafe');
  });
});
