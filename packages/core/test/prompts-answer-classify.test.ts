import {
  ANSWER_PROMPT_VERSION,
  CLASSIFY_PROMPT_VERSION,
  DEFAULT_TAXONOMY,
  OTHERS,
  buildAnswerMessages,
  buildClassifyMessages,
  parseClassification,
} from '@tapir/core';

const NAMES = DEFAULT_TAXONOMY.map((c) => c.name);

describe('buildAnswerMessages', () => {
  test('version', () => expect(ANSWER_PROMPT_VERSION).toBe('answer@1'));

  test('plain user message, no system prompt', () => {
    expect(buildAnswerMessages('Write a haiku.')).toEqual([{ role: 'user', content: 'Write a haiku.' }]);
  });

  test('input follows the instruction after a blank line', () => {
    expect(buildAnswerMessages('Translate to French.', 'Good morning')).toEqual([
      { role: 'user', content: 'Translate to French.\n\nGood morning' },
    ]);
  });

  test('empty or blank input is ignored', () => {
    expect(buildAnswerMessages('Hi', '')[0]?.content).toBe('Hi');
    expect(buildAnswerMessages('Hi', '  \n ')[0]?.content).toBe('Hi');
  });
});

describe('buildClassifyMessages', () => {
  const content = buildClassifyMessages('What is 2 + 2?', undefined, NAMES)[0]?.content ?? '';
  const lines = content.split('\n');

  test('version', () => expect(CLASSIFY_PROMPT_VERSION).toBe('classify@1'));

  test('one user message in the annotation-expert style', () => {
    const messages = buildClassifyMessages('x', undefined, NAMES);
    expect(messages).toHaveLength(1);
    expect(messages[0]?.role).toBe('user');
    expect(content).toContain('You are a data annotation expert');
  });

  test('lists every category as "- <name>" after "Categories:"', () => {
    const start = lines.indexOf('Categories:');
    expect(start).toBeGreaterThanOrEqual(0);
    expect(lines.slice(start + 1, start + 1 + NAMES.length)).toEqual(NAMES.map((n) => `- ${n}`));
    expect(lines.filter((l) => l.startsWith('- '))).toHaveLength(NAMES.length);
  });

  test('instruction alone between its tag lines', () => {
    const open = lines.indexOf('<instruction>');
    const close = lines.indexOf('</instruction>');
    expect(lines.slice(open + 1, close)).toEqual(['What is 2 + 2?']);
  });

  test('multi-line instruction and input', () => {
    const c = buildClassifyMessages('Fix this:\nline two', 'def f(): pass', NAMES)[0]?.content ?? '';
    const ls = c.split('\n');
    expect(ls.slice(ls.indexOf('<instruction>') + 1, ls.indexOf('</instruction>'))).toEqual(['Fix this:', 'line two']);
    expect(c).toContain('<input>\ndef f(): pass\n</input>');
    expect(ls.indexOf('<input>')).toBeGreaterThan(ls.indexOf('</instruction>'));
  });

  test('no input block when input is empty', () => {
    expect(buildClassifyMessages('x', '', NAMES)[0]?.content).not.toContain('<input>');
  });

  test('asks for exactly one category inside <answer></answer>', () => {
    expect(content).toContain('<answer></answer>');
    expect(content).toMatch(/exactly one category/);
  });
});

describe('parseClassification', () => {
  test.each([
    ['<answer>Math</answer>', 'Math'],
    ['<ANSWER> code generation </ANSWER>', 'Code Generation'],
    ['I think <answer>\nReasoning\n</answer>', 'Reasoning'],
    ['Format: <answer>Category</answer>. My pick: <answer>Writting</answer>', 'Writing'],
    ['<answer>Common Sense</answer>', 'Common-Sense'],
    ['<answer>Astrology</answer>', OTHERS],
    ['<answer></answer>', OTHERS],
    ['Math', OTHERS],
    ['', OTHERS],
    ['<answer>Math', OTHERS],
    ['<Answer>Others</Answer>', OTHERS],
  ])('%j -> %s', (reply, expected) => {
    expect(parseClassification(reply, NAMES)).toBe(expected);
  });
});
