import { BenchmarkIndex } from '../src';
import { editsToContain } from '../src/edit-distance-in';

const rules = { ngram: 13, wordsPerEdit: 10, minEditedWords: 6 };
const index = new BenchmarkIndex(
  [
    { benchmark: 'vicuna-bench', text: 'How can I improve my time management skills?' },
    { benchmark: 'mt-bench', text: 'Compose an engaging travel blog post about a recent trip to Hawaii, highlighting cultural experiences and must-see attractions.' },
    { benchmark: 'tiny', text: 'Define entropy.' },
    { benchmark: 'zh', text: '请写一首关于秋天的诗，描写落叶和丰收的景象。' },
  ],
  rules,
);

describe('edit distance of a pattern inside a text', () => {
  const ids = (s: string) => Int32Array.from(s.split(' ').map((w) => w.charCodeAt(0)));
  test('exact containment is 0, one substitution 1, limit caps', () => {
    expect(editsToContain(ids('b c d'), ids('a b c d e'), 2)).toBe(0);
    expect(editsToContain(ids('b c d'), ids('a b x d e'), 2)).toBe(1);
    expect(editsToContain(ids('b c d'), ids('a b c x d e'), 2)).toBe(1);
    expect(editsToContain(ids('b c d e f g'), ids('z z z z'), 2)).toBe(3);
  });
});

describe('decontamination rules', () => {
  test('a one-line question is caught with case, punctuation, an added or a swapped word', () => {
    for (const text of [
      'how can i improve my time management skills',
      'HOW CAN I IMPROVE MY TIME MANAGEMENT SKILLS!!!',
      'How can I really improve my time management skills?',
      'How can I improve my time organisation skills?',
      'Please answer: How can I improve my time management skills? Be brief.',
    ]) {
      const drop = index.check(text);
      expect(drop?.reason).toBe('contaminated');
      expect(drop?.evidence.benchmark).toBe('vicuna-bench');
      expect(drop?.evidence.rule).toBe('edited-copy');
      expect(drop?.evidence.benchmarkQuestion).toBe('How can I improve my time management skills?');
    }
  });

  test('two edits in an eight-word question, or a different topic, are not a copy', () => {
    expect(index.check('How can I improve my cooking and baking skills?')).toBeNull();
    expect(index.check('How can you improve your time management skills?')).toBeNull();
    expect(index.check('What are the most effective ways to deal with stress?')).toBeNull();
  });

  test('a long question shares a 13-gram even when quoted in part', () => {
    const drop = index.check('Write this for me: compose an engaging travel blog post about a recent trip to Hawaii, highlighting its food.');
    expect(drop?.evidence.rule).toBe('ngram-overlap');
    expect(drop?.evidence.benchmark).toBe('mt-bench');
    expect(drop?.evidence.detail).toMatch(/13-gram/);
  });

  test('a word swapped in the middle of a long question is still found', () => {
    // No 13-word run is left (9 words either side of the swap): the edited-copy rule finds it.
    const drop = index.check('Compose an engaging travel blog post about a recent holiday to Hawaii, highlighting cultural experiences and must-see attractions.');
    expect(drop?.evidence.benchmark).toBe('mt-bench');
  });

  test('a question under six words must be the whole row, exactly', () => {
    expect(index.check('Define entropy.')?.evidence.benchmark).toBe('tiny');
    expect(index.check('define ENTROPY')?.evidence.benchmark).toBe('tiny');
    expect(index.check('In thermodynamics, define entropy precisely.')).toBeNull();
    expect(index.check('Define enthalpy.')).toBeNull();
  });

  test('Chinese text is compared character by character', () => {
    expect(index.check('请写一首关于秋天的诗，描写落叶和丰收的景象')?.evidence.benchmark).toBe('zh');
    expect(index.check('请写一首关于秋天的诗，描写落叶与丰收的景象。')?.evidence.benchmark).toBe('zh');
    expect(index.check('请介绍一下北京的历史和文化。')).toBeNull();
  });

  test('an empty index finds nothing', () => {
    expect(new BenchmarkIndex([], rules).check('How can I improve my time management skills?')).toBeNull();
  });
});
