import { formatExportRow, llamaFactoryDatasetInfo, type ExportRow } from '@tapir/formats';
import { errorsOf, jsonl, records, useTempDir } from './helpers';

const tmp = useTempDir();

/** A 3-turn conversation with a system prompt, in each layout the importer reads. */
const SYSTEM = 'You are a terse geography tutor.';
const TURNS = ['Capital of France?', 'And of Spain?', 'Which is larger?'];
const REPLIES = ['Paris.', 'Madrid.', 'Madrid, by population.'];

const expected = { instruction: TURNS[0], input: '', output: REPLIES[0], system: SYSTEM, followUps: TURNS.slice(1) };

describe('conversations at import', () => {
  test('ShareGPT: a system turn, three human/gpt exchanges', async () => {
    const conversations = [{ from: 'system', value: SYSTEM }, ...TURNS.flatMap((t, i) => [{ from: 'human', value: t }, { from: 'gpt', value: REPLIES[i] }])];
    expect(await records(tmp.file('sg-turn.jsonl', jsonl({ conversations })))).toEqual([expected]);
  });

  test("ShareGPT: LLaMA-Factory's row-level system field", async () => {
    const conversations = TURNS.flatMap((t, i) => [{ from: 'human', value: t }, { from: 'gpt', value: REPLIES[i] }]);
    expect(await records(tmp.file('sg-field.jsonl', jsonl({ system: SYSTEM, conversations })))).toEqual([expected]);
  });

  test('OpenAI: role system first, content as a string or text parts', async () => {
    const messages = [
      { role: 'system', content: [{ type: 'text', text: SYSTEM }] },
      ...TURNS.flatMap((t, i) => [{ role: 'user', content: t }, { role: 'assistant', content: REPLIES[i] }]),
    ];
    expect(await records(tmp.file('oa.jsonl', jsonl({ messages })))).toEqual([expected]);
  });

  test('Alpaca: the system column (LLaMA-Factory); MT-Bench turns give follow-ups', async () => {
    expect(await records(tmp.file('alpaca.jsonl', jsonl({ instruction: TURNS[0], input: '', output: REPLIES[0], system: SYSTEM })))).toEqual([
      { instruction: TURNS[0], input: '', output: REPLIES[0], system: SYSTEM },
    ]);
    expect(await records(tmp.file('mt.jsonl', jsonl({ turns: TURNS, system: SYSTEM })))).toEqual([
      { instruction: TURNS[0], input: '', system: SYSTEM, followUps: TURNS.slice(1) },
    ]);
  });

  test('a blank system prompt is no system prompt; two user turns before a reply are one message', async () => {
    const file = tmp.file(
      'edge.jsonl',
      jsonl({ messages: [{ role: 'system', content: '  ' }, { role: 'user', content: 'Part one.' }, { role: 'user', content: 'Part two.' }, { role: 'assistant', content: 'Done.' }] }),
    );
    expect(await records(file)).toEqual([{ instruction: 'Part one.\n\nPart two.', input: '', output: 'Done.' }]);
  });

  test('a system turn after the conversation started is a row error naming it; a non-string system field too', async () => {
    const late = tmp.file('late.jsonl', jsonl({ messages: [{ role: 'user', content: 'Q' }, { role: 'system', content: 'late' }] }));
    expect(await errorsOf(late)).toEqual([{ line: 1, message: "'messages[1]' is a system turn after the first user turn" }]);
    const numeric = tmp.file('numeric.jsonl', jsonl({ conversations: [{ from: 'human', value: 'ok' }] }, { system: 42, conversations: [{ from: 'human', value: 'Q' }] }));
    expect(await errorsOf(numeric)).toEqual([{ line: 2, message: "field 'system' must be a string, got number" }]);
  });
});

describe('conversations at export', () => {
  const row: ExportRow = {
    id: 'c:r1:s1:k:0',
    instruction: TURNS[0]!,
    input: '',
    output: 'Paris (refined).',
    category: 'Others',
    stage: 1,
    mfd: 2,
    itemId: 1,
    system: SYSTEM,
    followUps: [
      { user: TURNS[1]!, assistant: 'Madrid (teacher).' },
      { user: TURNS[2]!, assistant: 'Madrid (teacher, in context).' },
    ],
  };

  test('sharegpt: system field and every exchange in order', () => {
    expect(formatExportRow('sharegpt', row)).toEqual({
      id: row.id,
      conversations: [
        { from: 'human', value: TURNS[0] },
        { from: 'gpt', value: 'Paris (refined).' },
        { from: 'human', value: TURNS[1] },
        { from: 'gpt', value: 'Madrid (teacher).' },
        { from: 'human', value: TURNS[2] },
        { from: 'gpt', value: 'Madrid (teacher, in context).' },
      ],
      system: SYSTEM,
      category: 'Others',
      mfd: 2,
    });
  });

  test('openai: the system message first', () => {
    const messages = formatExportRow('openai', row).messages;
    expect(messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user', 'assistant', 'user', 'assistant']);
    expect(messages[0]!.content).toBe(SYSTEM);
  });

  test("alpaca: LLaMA-Factory's history of earlier exchanges, the last one as instruction/output", () => {
    const alpaca = formatExportRow('alpaca', row);
    expect(alpaca).toMatchObject({ instruction: TURNS[2], input: '', output: 'Madrid (teacher, in context).', system: SYSTEM });
    expect(alpaca.history).toEqual([
      [TURNS[0], 'Paris (refined).'],
      [TURNS[1], 'Madrid (teacher).'],
    ]);
  });

  test('a single exchange without a system prompt is written as before (no system, no history keys)', () => {
    const plain = { ...row, system: null, followUps: [] };
    expect(Object.keys(formatExportRow('alpaca', plain))).toEqual(['id', 'instruction', 'input', 'output', 'category', 'mfd']);
    expect(formatExportRow('sharegpt', plain).conversations).toHaveLength(2);
    expect(formatExportRow('openai', plain).messages.map((m) => m.role)).toEqual(['user', 'assistant']);
  });

  test('dataset_info names the system and history columns only when rows have them', () => {
    const files = [{ name: 's1', fileName: 'stage-1.jsonl' }];
    expect(llamaFactoryDatasetInfo('alpaca', files)['s1']!.columns).toEqual({ prompt: 'instruction', query: 'input', response: 'output' });
    expect(llamaFactoryDatasetInfo('alpaca', files, { system: true, history: true })['s1']!.columns).toEqual({
      prompt: 'instruction',
      query: 'input',
      response: 'output',
      system: 'system',
      history: 'history',
    });
    expect(llamaFactoryDatasetInfo('sharegpt', files, { system: true, history: true })['s1']!.columns).toEqual({ messages: 'conversations', system: 'system' });
    expect(llamaFactoryDatasetInfo('openai', files, { system: true })['s1']!.columns).toEqual({ messages: 'messages' });
  });
});
