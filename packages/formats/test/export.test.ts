import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import {
  EXPORT_FORMATS,
  formatExportRow,
  JsonlWriter,
  llamaFactoryDatasetInfo,
  readExportFile,
  readPool,
  type ExportFormat,
  type ExportRow,
} from '@tapir/formats';
import { jsonl, records, useTempDir } from './helpers';

const tmp = useTempDir();

const rows: ExportRow[] = [
  { id: 'c1:r1:s1:0a:0', instruction: 'Translate.', input: 'Bonjour', output: 'Hello', category: 'translation', stage: 1, mfd: 0.25, itemId: 7 },
  { id: 'c1:r1:s1:0b:0', instruction: 'Write a haiku about "rain"\nplease.', input: '', output: 'Drops on the roof 😀', category: 'writing', stage: 1, mfd: 0.5, itemId: 8 },
];

async function writeStage(path: string, format: ExportFormat, items: ExportRow[]): Promise<void> {
  const writer = new JsonlWriter(path);
  for (const row of items) await writer.write(formatExportRow(format, row));
  await writer.close();
}

describe('formatExportRow', () => {
  const [withInput] = rows;
  test('alpaca', () => {
    expect(formatExportRow('alpaca', withInput!)).toEqual({ id: 'c1:r1:s1:0a:0', instruction: 'Translate.', input: 'Bonjour', output: 'Hello', category: 'translation', mfd: 0.25 });
  });
  test('sharegpt joins the input after a blank line', () => {
    expect(formatExportRow('sharegpt', withInput!)).toEqual({
      id: 'c1:r1:s1:0a:0',
      conversations: [
        { from: 'human', value: 'Translate.\n\nBonjour' },
        { from: 'gpt', value: 'Hello' },
      ],
      category: 'translation',
      mfd: 0.25,
    });
  });
  test('openai', () => {
    expect(formatExportRow('openai', rows[1]!)).toEqual({
      id: 'c1:r1:s1:0b:0',
      messages: [
        { role: 'user', content: 'Write a haiku about "rain"\nplease.' },
        { role: 'assistant', content: 'Drops on the roof 😀' },
      ],
      category: 'writing',
      mfd: 0.5,
    });
  });
});

describe('stage files round-trip', () => {
  test.each(EXPORT_FORMATS)('%s: readExportFile parses it back and readPool imports it', async (format) => {
    const path = tmp.path(`stage-${format}.jsonl`);
    await writeStage(path, format, rows);
    const back = await readExportFile(path, format);
    const prompt = (row: ExportRow): string => (format === 'alpaca' || !row.input ? row.instruction : `${row.instruction}\n\n${row.input}`);
    expect(back).toEqual(
      rows.map((row) => ({
        id: row.id,
        instruction: prompt(row),
        input: format === 'alpaca' ? row.input : '',
        output: row.output,
        category: row.category,
        mfd: row.mfd,
        ifd: null,
      })),
    );
    const imported = await records(path);
    expect(imported.map((r) => [r.output, r.category])).toEqual(rows.map((r) => [r.output, r.category]));
  });

  test('rows carry only the difficulty signals the campaign measured', async () => {
    const ifdOnly: ExportRow = { ...rows[0]!, mfd: null, ifd: 0.82 };
    const both: ExportRow = { ...rows[1]!, mfd: 2.5, ifd: 0.91 };
    expect(formatExportRow('alpaca', ifdOnly)).toEqual({ id: 'c1:r1:s1:0a:0', instruction: 'Translate.', input: 'Bonjour', output: 'Hello', category: 'translation', ifd: 0.82 });
    expect(formatExportRow('openai', both)).toMatchObject({ mfd: 2.5, ifd: 0.91 });
    for (const format of EXPORT_FORMATS) {
      const path = tmp.path(`stage-signals-${format}.jsonl`);
      await writeStage(path, format, [ifdOnly, both]);
      const back = await readExportFile(path, format);
      expect(back.map((r) => [r.mfd, r.ifd])).toEqual([
        [null, 0.82],
        [2.5, 0.91],
      ]);
    }
    const neither = tmp.file('stage-no-score.jsonl', jsonl({ id: 'c1:r1:s1:0a:0', instruction: 'a', input: '', output: 'b', category: 'c' }));
    await expect(readExportFile(neither, 'alpaca')).rejects.toThrow(/:1: .*needs a difficulty score/);
  });

  test('a stage with no rows is an empty file and reads back as []', async () => {
    const path = tmp.path('stage-empty.jsonl');
    await writeStage(path, 'openai', []);
    expect(readFileSync(path, 'utf8')).toBe('');
    expect(await readExportFile(path, 'openai')).toEqual([]);
  });

  test('readExportFile rejects a file of another format, naming the line', async () => {
    const path = tmp.path('stage-mismatch.jsonl');
    await writeStage(path, 'alpaca', rows);
    await expect(readExportFile(path, 'sharegpt')).rejects.toThrow(/stage-mismatch\.jsonl:1: not a valid sharegpt stage row: keys must be/);
    const tampered = tmp.file('stage-tampered.jsonl', jsonl(formatExportRow('openai', rows[0]!), { ...formatExportRow('openai', rows[1]!), mfd: 'high' }));
    await expect(readExportFile(tampered, 'openai')).rejects.toThrow(/:2: .*'mfd' must be a finite number, got string/);
    const { id: _id, ...withoutId } = formatExportRow('alpaca', rows[0]!);
    const anonymous = tmp.file('stage-no-id.jsonl', jsonl(withoutId));
    await expect(readExportFile(anonymous, 'alpaca')).rejects.toThrow(/:1: .*'id'/);
  });
});

describe('JsonlWriter', () => {
  test('nothing appears at the target until close(); an old stage file stays intact meanwhile', async () => {
    const path = tmp.path('atomic.jsonl');
    writeFileSync(path, 'old contents\n');
    const writer = new JsonlWriter(path);
    await writer.write({ a: 1 });
    expect(readFileSync(path, 'utf8')).toBe('old contents\n');
    expect(existsSync(writer.tempPath)).toBe(true);
    await writer.close();
    expect(readFileSync(path, 'utf8')).toBe('{"a":1}\n');
    expect(existsSync(writer.tempPath)).toBe(false);
    await expect(writer.write({ b: 2 })).rejects.toThrow(/closed/);
  });

  test('abort() removes the temp file and leaves the target alone', async () => {
    const path = tmp.path('aborted.jsonl');
    writeFileSync(path, 'previous\n');
    const writer = new JsonlWriter(path);
    await writer.write({ a: 1 });
    await writer.abort();
    expect(readFileSync(path, 'utf8')).toBe('previous\n');
    expect(readdirSync(tmp.path('.')).filter((name) => name.includes('aborted.jsonl') && name.endsWith('.tmp'))).toEqual([]);
  });

  test('many rows through backpressure arrive complete and in order', async () => {
    const path = tmp.path('many.jsonl');
    const writer = new JsonlWriter(path);
    const filler = 'x'.repeat(1000);
    for (let i = 0; i < 5000; i++) await writer.write({ instruction: `row ${i}`, output: filler });
    await writer.close();
    expect(writer.rowsWritten).toBe(5000);
    const seen: number[] = [];
    for await (const event of readPool(path)) seen.push(event.line);
    expect(seen).toEqual(Array.from({ length: 5000 }, (_, i) => i + 1));
  });

  test('written gives the size and sha256 of exactly the bytes on disk, and only once closed', async () => {
    const path = tmp.path('digest.jsonl');
    const writer = new JsonlWriter(path);
    await writer.write({ text: 'naïve 😀' });
    await writer.write([1, 2]);
    expect(() => writer.written).toThrow(/open, not closed/);
    await writer.close();
    const bytes = readFileSync(path);
    expect(writer.written).toEqual({ bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
    const empty = new JsonlWriter(tmp.path('digest-empty.jsonl'));
    await empty.close();
    expect(empty.written).toEqual({ bytes: 0, sha256: createHash('sha256').update('').digest('hex') });
  });

  test('a missing directory fails at construction', () => {
    expect(() => new JsonlWriter(tmp.path('no-such-dir/stage.jsonl'))).toThrow(/ENOENT/);
  });
});

describe('llamaFactoryDatasetInfo', () => {
  const stages = [
    { name: 'tapir_stage_1', fileName: 'stage_1.jsonl' },
    { name: 'tapir_stage_2', fileName: 'stage_2.jsonl' },
  ];

  test('alpaca', () => {
    expect(llamaFactoryDatasetInfo('alpaca', stages)).toEqual({
      tapir_stage_1: { file_name: 'stage_1.jsonl', formatting: 'alpaca', columns: { prompt: 'instruction', query: 'input', response: 'output' } },
      tapir_stage_2: { file_name: 'stage_2.jsonl', formatting: 'alpaca', columns: { prompt: 'instruction', query: 'input', response: 'output' } },
    });
  });

  test('sharegpt', () => {
    expect(llamaFactoryDatasetInfo('sharegpt', stages.slice(0, 1))).toEqual({
      tapir_stage_1: {
        file_name: 'stage_1.jsonl',
        formatting: 'sharegpt',
        columns: { messages: 'conversations' },
        tags: { role_tag: 'from', content_tag: 'value', user_tag: 'human', assistant_tag: 'gpt' },
      },
    });
  });

  test('openai is sharegpt formatting with OpenAI tag names', () => {
    expect(llamaFactoryDatasetInfo('openai', stages.slice(0, 1))).toEqual({
      tapir_stage_1: {
        file_name: 'stage_1.jsonl',
        formatting: 'sharegpt',
        columns: { messages: 'messages' },
        tags: { role_tag: 'role', content_tag: 'content', user_tag: 'user', assistant_tag: 'assistant', system_tag: 'system' },
      },
    });
  });

  test('the tag names match what formatExportRow writes', () => {
    for (const format of ['sharegpt', 'openai'] as const) {
      const entry = llamaFactoryDatasetInfo(format, stages)['tapir_stage_1']!;
      const row = formatExportRow(format, rows[0]!) as unknown as Record<string, Record<string, string>[]>;
      const turns = row[entry.columns['messages']!]!;
      expect(turns.map((turn) => turn[entry.tags!['role_tag']!])).toEqual([entry.tags!['user_tag'], entry.tags!['assistant_tag']]);
      expect(typeof turns[0]![entry.tags!['content_tag']!]).toBe('string');
    }
  });

  test('duplicate dataset names are refused', () => {
    expect(() => llamaFactoryDatasetInfo('alpaca', [stages[0]!, stages[0]!])).toThrow(/used twice/);
  });
});
