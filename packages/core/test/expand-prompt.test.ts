import { CREATED_INSTRUCTION_MARKER, EXPAND_PROMPT_VERSION, GIVEN_INSTRUCTION_MARKER, buildExpandMessages, parseExpandReply } from '@tapir/core';

const HEADER = [
  'I want you to act as an Instruction Creator.',
  'Your goal is to draw inspiration from the #Given Instruction# to create a brand new instruction.',
  'This new instruction should belong to the same domain and the same task type as the #Given Instruction#.',
  'The LENGTH and difficulty level of the #Created Instruction# should be similar to that of the #Given Instruction#.',
  'The content of the #Created Instruction# should be different from that of the #Given Instruction#.',
  'The #Created Instruction# must be reasonable and must be understood and responded to by humans.',
  "'#Given Instruction#', '#Created Instruction#', 'given instruction' and 'created instruction' are not allowed to appear in #Created Instruction#.",
].join('\n');

describe('buildExpandMessages', () => {
  test('version and markers', () => {
    expect(EXPAND_PROMPT_VERSION).toBe('expand-v1');
    expect(GIVEN_INSTRUCTION_MARKER).toBe('#Given Instruction#:');
    expect(CREATED_INSTRUCTION_MARKER).toBe('#Created Instruction#:');
  });

  test('one user message, exactly the Lion layout, without input', () => {
    expect(buildExpandMessages('Write a haiku about autumn.', '')).toEqual([
      { role: 'user', content: `${HEADER}\n\n#Given Instruction#:\nWrite a haiku about autumn.\n\n#Created Instruction#:\n` },
    ]);
  });

  test('a non-empty input follows the instruction after a blank line', () => {
    const [message] = buildExpandMessages('Summarise the text.', 'The cat sat on the mat.');
    expect(message?.content).toBe(
      `${HEADER}\n\n#Given Instruction#:\nSummarise the text.\n\nThe cat sat on the mat.\n\n#Created Instruction#:\n`,
    );
  });

  test('seed and input are trimmed; an input of whitespace counts as none', () => {
    const [message] = buildExpandMessages('  Write a haiku.\n', ' \n ');
    expect(message?.content).toBe(`${HEADER}\n\n#Given Instruction#:\nWrite a haiku.\n\n#Created Instruction#:\n`);
  });

  test('the seed sits between the marker lines, as the simulator parses it', () => {
    const lines = buildExpandMessages('Fix the bug:\nprint(1', 'Python 3')[0]!.content.split('\n');
    const given = lines.indexOf(GIVEN_INSTRUCTION_MARKER);
    const created = lines.indexOf(CREATED_INSTRUCTION_MARKER);
    expect(lines.slice(given + 1, created - 1).join('\n')).toBe('Fix the bug:\nprint(1\n\nPython 3');
    expect(lines[created - 1]).toBe('');
  });
});

describe('parseExpandReply', () => {
  test.each([
    ['Write a limerick about a cat.', 'Write a limerick about a cat.'],
    ['  Write a limerick.\n\n', 'Write a limerick.'],
    ['#Created Instruction#: Write a limerick.', 'Write a limerick.'],
    ['#Created Instruction#:\nWrite a limerick.', 'Write a limerick.'],
    ['# Created Instruction #\nWrite a limerick.', 'Write a limerick.'],
    ['created instruction: Write a limerick.', 'Write a limerick.'],
    ['"Write a limerick."', 'Write a limerick.'],
    ['\u201CWrite a limerick.\u201D', 'Write a limerick.'],
    ["'Write a limerick.'", 'Write a limerick.'],
    ['```\nWrite a limerick.\n```', 'Write a limerick.'],
    ['```text\nWrite a limerick.\n```', 'Write a limerick.'],
    ['#Created Instruction#:\n```\n"Write a limerick."\n```', 'Write a limerick.'],
    ['"#Created Instruction#: Write a limerick."', 'Write a limerick.'],
    ['Write a function:\n```python\ndef f(): pass\n```', 'Write a function:\n```python\ndef f(): pass\n```'],
  ])('%j -> %j', (reply, expected) => {
    expect(parseExpandReply(reply)).toBe(expected);
  });

  test.each(['', '   ', '#Created Instruction#:', '""', '```\n```', '#Created Instruction#: "  "'])('%j -> null', (reply) => {
    expect(parseExpandReply(reply)).toBeNull();
  });

  test('an instruction that merely starts with the words is kept', () => {
    expect(parseExpandReply('Created instructions should be short; write one.')).toBe('Created instructions should be short; write one.');
  });
});
