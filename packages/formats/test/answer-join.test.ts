import { instructionKey } from '@tapir/core';
import { loadAnswerIndex } from '@tapir/formats';
import { jsonl, useTempDir } from './helpers';

const tmp = useTempDir();

describe('loadAnswerIndex', () => {
  test('maps instruction + input to the answer; whitespace and case do not matter', async () => {
    const file = tmp.file(
      'answers.jsonl',
      jsonl(
        { instruction: 'Add  the numbers.', input: '2 and 3', output: '5' },
        { instruction: 'Say hi.', output: 'Hi!' },
        { instruction: 'Say hi.', input: 'in French', output: 'Salut !' },
      ),
    );
    const index = await loadAnswerIndex(file);
    expect(index.rows).toBe(3);
    expect(index.errors).toEqual([]);
    expect(index.answers.size).toBe(3);
    expect(index.answers.get(instructionKey('add the numbers.', '2 AND 3'))).toBe('5');
    expect(index.answers.get(instructionKey('Say hi.'))).toBe('Hi!');
    expect(index.answers.get(instructionKey('Say hi.', 'in French'))).toBe('Salut !');
  });

  test('chat answer files use the first assistant turn', async () => {
    const file = tmp.file(
      'answers-chat.json',
      JSON.stringify([
        { messages: [{ role: 'user', content: 'Q1' }, { role: 'assistant', content: 'A1' }] },
        { messages: [{ role: 'user', content: 'Q2' }] },
      ]),
    );
    const index = await loadAnswerIndex(file);
    expect([...index.answers.values()]).toEqual(['A1']);
    expect(index.errors).toEqual([{ line: 1, message: 'no answer in row' }]);
  });

  test('rows without an answer, bad rows and conflicting duplicates are errors; the first answer wins', async () => {
    const file = tmp.file(
      'answers-bad.jsonl',
      jsonl(
        { instruction: 'Q', output: 'first' },
        { instruction: 'no answer' },
        '{oops',
        { instruction: 'q ', output: 'second' },
        { instruction: 'Q', output: 'first' },
      ),
    );
    const index = await loadAnswerIndex(file, { format: 'alpaca' });
    expect(index.rows).toBe(5);
    expect(index.answers.get(instructionKey('Q'))).toBe('first');
    expect(index.errors.map((e) => e.line)).toEqual([2, 3, 4]);
    expect(index.errors[0]?.message).toBe('no answer in row');
    expect(index.errors[2]?.message).toBe('duplicate instruction with a different answer (first seen at line 1); this answer is ignored');
  });
});
