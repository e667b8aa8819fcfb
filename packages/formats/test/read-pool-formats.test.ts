import { detectFormat } from '@tapir/formats';
import { errorsOf, jsonl, readAll, records, useTempDir } from './helpers';

const tmp = useTempDir();

describe('alpaca rows', () => {
  test('instruction, input and output; unknown keys ignored; missing input is empty', async () => {
    const file = tmp.file(
      'alpaca.jsonl',
      jsonl(
        { instruction: 'Add the numbers.', input: '2 and 3', output: '5' },
        { dataset: 'helpful_base', instruction: 'Say hi.', output: 'Hi!', generator: 'gpt4' },
        { instruction: 'No answer here.' },
      ),
    );
    expect(await records(file)).toEqual([
      { instruction: 'Add the numbers.', input: '2 and 3', output: '5' },
      { instruction: 'Say hi.', input: '', output: 'Hi!' },
      { instruction: 'No answer here.', input: '' },
    ]);
  });

  test('column names match case-insensitively (WizardLM uses Instruction / Skill)', async () => {
    const file = tmp.file('capitalized.jsonl', jsonl({ idx: 1, Skill: 'Math', Difficulty: 3, Instruction: 'What is 2+2?', Input: 'x', OUTPUT: '4' }));
    expect(await records(file)).toEqual([{ instruction: 'What is 2+2?', input: 'x', output: '4', category: 'Math' }]);
  });

  test('MT-Bench style turns: the first turn is the instruction, the rest follow-ups', async () => {
    const file = tmp.file('mtbench.jsonl', jsonl({ question_id: 81, category: 'writing', turns: ['Write a poem.', 'Now shorter.'] }));
    expect(await records(file)).toEqual([{ instruction: 'Write a poem.', input: '', category: 'writing', followUps: ['Now shorter.'] }]);
    expect(await readAll(file, { format: 'alpaca' })).toHaveLength(1);
  });
});

describe('sharegpt rows', () => {
  test('first human turn and the gpt turn after it; the system turn kept; later human turns are follow-ups', async () => {
    const file = tmp.file(
      'sharegpt.jsonl',
      jsonl(
        {
          conversations: [
            { from: 'system', value: 'Be brief.' },
            { from: 'human', value: 'Capital of France?' },
            { from: 'gpt', value: 'Paris.' },
            { from: 'human', value: 'And Spain?' },
            { from: 'gpt', value: 'Madrid.' },
          ],
        },
        { conversations: [{ from: 'user', value: 'Only a question.' }] },
        { conversations: [{ from: 'assistant', value: 'answer before question' }, { from: 'user', value: 'Q' }, { from: 'assistant', value: 'A' }] },
      ),
    );
    expect(await records(file)).toEqual([
      { instruction: 'Capital of France?', input: '', output: 'Paris.', system: 'Be brief.', followUps: ['And Spain?'] },
      { instruction: 'Only a question.', input: '' },
      { instruction: 'Q', input: '', output: 'A' },
    ]);
  });

  test('broken conversations are row errors', async () => {
    const file = tmp.file(
      'sharegpt-bad.jsonl',
      jsonl(
        { conversations: [{ from: 'gpt', value: 'no question' }] },
        { conversations: 'not a list' },
        { conversations: [{ from: 'human', value: 7 }] },
        { conversations: ['text'] },
        { conversations: [{ from: 'human', value: '   ' }] },
      ),
    );
    expect(await errorsOf(file, { format: 'sharegpt' })).toEqual([
      { line: 1, message: "no human/user turn in 'conversations'" },
      { line: 2, message: "field 'conversations' must be an array, got string" },
      { line: 3, message: "'conversations[0].value' must be a string, got number" },
      { line: 4, message: "'conversations[0]' must be an object, got string" },
      { line: 5, message: "the first user turn in 'conversations' is empty" },
    ]);
  });
});

describe('openai chat rows', () => {
  test('string content, text parts joined, tool-call turns skipped, the system message kept', async () => {
    const file = tmp.file(
      'openai.jsonl',
      jsonl(
        { messages: [{ role: 'system', content: 'sys' }, { role: 'user', content: 'Hello?' }, { role: 'assistant', content: 'Hi.' }] },
        {
          messages: [
            { role: 'user', content: [{ type: 'text', text: 'Describe' }, { type: 'image_url', image_url: { url: 'x' } }, { type: 'text', text: 'this.' }] },
            { role: 'assistant', content: null, tool_calls: [{ id: 't' }] },
            { role: 'tool', content: 'result' },
            { role: 'assistant', content: [{ type: 'text', text: 'Done.' }] },
          ],
        },
      ),
    );
    expect(await records(file)).toEqual([
      { instruction: 'Hello?', input: '', output: 'Hi.', system: 'sys' },
      { instruction: 'Describe\nthis.', input: '', output: 'Done.' },
    ]);
  });

  test('content of the wrong type is a row error', async () => {
    const file = tmp.file('openai-bad.jsonl', jsonl({ messages: [{ role: 'user', content: 42 }] }, { messages: [{ content: 'x' }] }));
    expect(await errorsOf(file, { format: 'openai' })).toEqual([
      { line: 1, message: "'messages[0].content' must be a string or an array of parts, got number" },
      { line: 2, message: "'messages[0].role' must be a string, got undefined" },
    ]);
  });
});

describe('optional columns', () => {
  test('category and its aliases, teacher and student answers, in every format', async () => {
    const file = tmp.file(
      'optional.jsonl',
      jsonl(
        { instruction: 'a', category: 'coding', teacher_output: 'T', student_output: 'S' },
        { instruction: 'b', skill: 'math', teacher_answer: 'T2', student_answer: 'S2' },
        { instruction: 'c', task_category: 'writing' },
        { instruction: 'd', Skill: 'Roleplay' },
        { instruction: 'e', skill: 'loses', category: 'wins' },
        { instruction: 'f', category: null, teacher_output: null },
      ),
    );
    expect(await records(file)).toEqual([
      { instruction: 'a', input: '', category: 'coding', teacherAnswer: 'T', studentAnswer: 'S' },
      { instruction: 'b', input: '', category: 'math', teacherAnswer: 'T2', studentAnswer: 'S2' },
      { instruction: 'c', input: '', category: 'writing' },
      { instruction: 'd', input: '', category: 'Roleplay' },
      { instruction: 'e', input: '', category: 'wins' },
      { instruction: 'f', input: '' },
    ]);
    const chat = tmp.file(
      'optional-chat.jsonl',
      jsonl({ conversations: [{ from: 'human', value: 'q' }], category: 'qa', teacher_output: 'T' }),
    );
    expect(await records(chat)).toEqual([{ instruction: 'q', input: '', category: 'qa', teacherAnswer: 'T' }]);
  });
});

describe('row errors', () => {
  test('not an object, missing instruction, wrong types, empty instruction; reading continues', async () => {
    const file = tmp.file(
      'errors.jsonl',
      jsonl(
        { instruction: 'fine' },
        '[1, 2]',
        '42',
        { prompt: 'no instruction' },
        { instruction: 'x', input: 3 },
        { instruction: 5 },
        { instruction: '  \n ' },
        { instruction: 'x', category: 9 },
        { instruction: 'x', output: ['a'] },
        '{"instruction": "broken",}',
        { instruction: 'also fine' },
      ),
    );
    const events = await readAll(file);
    expect(events.filter((e) => e.kind === 'record').map((e) => e.line)).toEqual([1, 11]);
    const errors = events.flatMap((e) => (e.kind === 'error' ? [[e.line, e.message]] : []));
    expect(errors.slice(0, 8)).toEqual([
      [2, 'row is not a JSON object (got array)'],
      [3, 'row is not a JSON object (got number)'],
      [4, "missing field 'instruction'"],
      [5, "field 'input' must be a string, got number"],
      [6, "field 'instruction' must be a string, got number"],
      [7, "field 'instruction' is empty"],
      [8, "field 'category' must be a string, got number"],
      [9, "field 'output' must be a string, got array"],
    ]);
    expect(errors[8]?.[0]).toBe(10);
    expect(errors[8]?.[1]).toMatch(/^not valid JSON: /);
  });
});

describe('format detection', () => {
  test('detectFormat looks at the keys', () => {
    expect(detectFormat({ instruction: 'x', output: 'y' })).toBe('alpaca');
    expect(detectFormat({ Instruction: 'x' })).toBe('alpaca');
    expect(detectFormat({ turns: ['x'] })).toBe('alpaca');
    expect(detectFormat({ conversations: [] })).toBe('sharegpt');
    expect(detectFormat({ messages: [] })).toBe('openai');
    expect(detectFormat({ prompt: 'x', completion: 'y' })).toBeUndefined();
  });

  test('auto-detection uses the first valid object, after any unparseable lines', async () => {
    const file = tmp.file('late.jsonl', jsonl('{not json', '"a string"', { messages: [{ role: 'user', content: 'q' }] }, { instruction: 'x' }));
    const events = await readAll(file);
    expect(events.map((e) => e.kind)).toEqual(['error', 'error', 'record', 'error']);
    expect(events[3]).toEqual({ kind: 'error', line: 4, message: "missing field 'messages'" });
  });

  test('an explicit format overrides detection', async () => {
    const file = tmp.file('explicit.jsonl', jsonl({ instruction: 'x', conversations: [{ from: 'human', value: 'from chat' }] }));
    expect(await records(file)).toEqual([{ instruction: 'from chat', input: '' }]);
    expect(await records(file, { format: 'alpaca' })).toEqual([{ instruction: 'x', input: '' }]);
    expect(await errorsOf(file, { format: 'openai' })).toEqual([{ line: 1, message: "missing field 'messages'" }]);
  });
});

test('onFormatDetected reports the detected format once, with the deciding line', async () => {
  const file = tmp.file('callback.jsonl', jsonl('{bad', { conversations: [{ from: 'human', value: 'q' }] }, { conversations: [{ from: 'human', value: 'r' }] }));
  const calls: [string, number][] = [];
  await readAll(file, { onFormatDetected: (format, line) => calls.push([format, line]) });
  expect(calls).toEqual([['sharegpt', 2]]);
});
