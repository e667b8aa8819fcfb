import { writeFileSync } from 'node:fs';
import { PoolFileError, readPool, readPoolBatches, type ImportEvent } from '@tapir/formats';
import { readParquet } from '../src/read-parquet';
import { fileError, jsonl, readAll, records, useTempDir } from './helpers';
import { writeParquet } from './parquet-fixture';

const tmp = useTempDir();
// The first load transpiles the ESM-only libraries (jest.config.js): not a test's time.
beforeAll(() => Promise.all([import('hyparquet'), import('hyparquet-writer')]), 120_000);

describe('Parquet', () => {
  const n = 25;
  const instruction = Array.from({ length: n }, (_, i) => `question ${i + 1}`);
  const output = Array.from({ length: n }, (_, i) => (i % 5 === 0 ? null : `answer ${i + 1}`));

  test('several row groups read in order, rows numbered from 1 across groups, nulls as no value', async () => {
    const file = tmp.path('groups.parquet');
    await writeParquet(file, { instruction, output }, 7); // groups of 7, 7, 7, 4
    const events = await readAll(file);
    expect(events.map((e) => e.line)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
    const got = events.flatMap((e) => (e.kind === 'record' ? [e.record] : []));
    expect(got[0]).toEqual({ instruction: 'question 1', input: '' });
    expect(got[1]).toEqual({ instruction: 'question 2', input: '', output: 'answer 2' });
    expect(got.map((r) => r.instruction)).toEqual(instruction);
  });

  test('magic bytes decide, not the name', async () => {
    const file = tmp.path('groups-renamed.data');
    await writeParquet(file, { instruction: ['a', 'b'] }, 1);
    expect(await records(file)).toEqual([{ instruction: 'a', input: '' }, { instruction: 'b', input: '' }]);
  });

  test('bad rows name their row; column mapping applies', async () => {
    const file = tmp.path('mapped.parquet');
    await writeParquet(file, { prompt: ['one', '', 'three'], response: ['1', '2', null] }, 2);
    const events = await readAll(file, { columns: { instruction: 'prompt', output: 'response' } });
    expect(events).toEqual([
      { kind: 'record', line: 1, record: { instruction: 'one', input: '', output: '1' } },
      { kind: 'error', line: 2, message: "field 'prompt' is empty" },
      { kind: 'record', line: 3, record: { instruction: 'three', input: '' } },
    ]);
  });

  test('a mapped column the schema lacks is a file error listing the columns', async () => {
    const file = tmp.path('nocol.parquet');
    await writeParquet(file, { prompt: ['one'] }, 1);
    const error = await fileError(file, { columns: { instruction: 'question' } });
    expect(error).toBeInstanceOf(PoolFileError);
    expect((error as Error).message).toMatch(/nocol\.parquet: has no column 'question' \(columns\.instruction\); it has 'prompt'/);
  });

  test('a file with the magic but no valid footer is a file error', async () => {
    const file = tmp.file('broken.parquet', Buffer.concat([Buffer.from('PAR1'), Buffer.alloc(40, 7), Buffer.from('PAR1')]));
    const error = await fileError(file);
    expect(error).toBeInstanceOf(PoolFileError);
    expect((error as Error).message).toMatch(/broken\.parquet: not a readable Parquet file/);
  });

  test('a truncated file (footer cut off) is a file error', async () => {
    const file = tmp.path('whole.parquet');
    await writeParquet(file, { instruction }, 10);
    const bytes = require('node:fs').readFileSync(file) as Buffer;
    const cut = tmp.path('cut.parquet');
    writeFileSync(cut, bytes.subarray(0, bytes.length - 10));
    expect(await fileError(cut)).toBeInstanceOf(PoolFileError);
  });
});

describe('Parquet read in row slices smaller than a row group', () => {
  const n = 40;
  const instruction = Array.from({ length: n }, (_, i) => `question ${i + 1}`);
  const output = Array.from({ length: n }, (_, i) => (i % 3 === 0 ? null : `answer ${i + 1}`));
  const tiny = { sliceBytes: 1, minSliceRows: 0 };

  test.each([1, 3, 7, 16, 40])('slices of %i rows give the same events, numbered the same, as whole groups', async (sliceRowCount) => {
    const file = tmp.path(`sliced-${sliceRowCount}.parquet`);
    await writeParquet(file, { instruction, output }, 16); // groups of 16, 16, 8
    const whole = await readAll(file);
    const sliced: unknown[] = [];
    for await (const event of readParquet(file, {}, { ...tiny, minSliceRows: sliceRowCount })) sliced.push(event);
    expect(sliced).toEqual(whole);
    expect(whole.map((e) => e.line)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
    expect(whole.flatMap((e) => (e.kind === 'record' ? [e.record.instruction] : []))).toEqual(instruction);
  });

  test('a bad row inside a later slice names its row in the file', async () => {
    const file = tmp.path('sliced-bad.parquet');
    const prompts = instruction.map((q, i) => (i === 29 ? '' : q));
    await writeParquet(file, { instruction: prompts }, 16);
    const events: { kind: string; line: number }[] = [];
    for await (const event of readParquet(file, {}, { ...tiny, minSliceRows: 3 })) events.push(event);
    expect(events.filter((e) => e.kind === 'error')).toEqual([{ kind: 'error', line: 30, message: "field 'instruction' is empty" }]);
  });

  test('a nested column (read by row ranges, not column windows) still comes out whole and in order', async () => {
    const { parquetWriteFile } = await import('hyparquet-writer');
    const file = tmp.path('nested.parquet');
    const conversations = Array.from({ length: 12 }, (_, i) => [
      { from: 'human', value: `ask ${i + 1}` },
      { from: 'gpt', value: `reply ${i + 1}` },
    ]);
    parquetWriteFile({ filename: file, columnData: [{ name: 'conversations', data: conversations }], rowGroupSize: 5 });
    const events: { kind: string; line: number }[] = [];
    for await (const event of readParquet(file, {}, { ...tiny, minSliceRows: 2 })) events.push(event);
    expect(events.map((e) => e.line)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(events.every((e) => e.kind === 'record')).toBe(true);
  });
});

describe('Parquet columns of many small pages, read in windows ending on each column page boundaries', () => {
  test('pages of different row spans per column (offset index) give the same rows as reading whole groups', async () => {
    const { parquetWriteFile } = await import('hyparquet-writer');
    const file = tmp.path('paged.parquet');
    const n = 300;
    const long = Array.from({ length: n }, (_, i) => `a long instruction number ${i + 1} that fills a page in a few rows`);
    const short = Array.from({ length: n }, (_, i) => (i % 4 === 0 ? null : `s${i + 1}`));
    // 200-byte pages: the long column's pages hold a few rows, the short column's many more.
    parquetWriteFile({ filename: file, columnData: [{ name: 'instruction', data: long, type: 'STRING' }, { name: 'output', data: short, type: 'STRING', nullable: true }], rowGroupSize: 128, pageSize: 200 });
    const { asyncBufferFromFile, parquetMetadataAsync } = await import('hyparquet');
    const metadata = await parquetMetadataAsync(await asyncBufferFromFile(file));
    expect(metadata.row_groups[0]!.columns.every((c) => Boolean(c.offset_index_length))).toBe(true);
    const whole: unknown[] = [];
    for await (const event of readParquet(file, {}, { sliceBytes: Number.POSITIVE_INFINITY, minSliceRows: 0 })) whole.push(event);
    for (const minSliceRows of [1, 5, 50]) {
      const windowed: unknown[] = [];
      for await (const event of readParquet(file, {}, { sliceBytes: 1, minSliceRows })) windowed.push(event);
      expect(windowed).toEqual(whole);
    }
    expect(whole).toHaveLength(n);
    expect(whole[5]).toEqual({ kind: 'record', line: 6, record: { instruction: long[5], input: '', output: 's6' } });
    expect(whole[8]).toEqual({ kind: 'record', line: 9, record: { instruction: long[8], input: '' } }); // row 9's output is null
  });
});

describe('Parquet events in batches', () => {
  test('batches are consecutive rows in file order, at most 1,024 rows each, and are the same events as row by row', async () => {
    const n = 3000;
    const file = tmp.path('batches.parquet');
    const instruction = Array.from({ length: n }, (_, i) => `question ${i + 1}`);
    const output = Array.from({ length: n }, (_, i) => (i % 7 === 0 ? null : `answer ${i + 1}`));
    await writeParquet(file, { instruction, output }, 1200); // groups of 1200, 1200, 600
    const batches: ImportEvent[][] = [];
    for await (const batch of readPoolBatches(file, {})) batches.push(batch);
    expect(batches.every((batch) => batch.length > 0 && batch.length <= 1024)).toBe(true);
    expect(batches.flat().map((e) => e.line)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
    expect(batches.flat()).toEqual(await readAll(file));
  });
});

describe('a file error found at a row', () => {
  test('the rows before it in the same batch are handed out first, as row by row', async () => {
    const file = tmp.file('late-detect.jsonl', jsonl('{not json', 7, { question_id: 1, prompt: 'x' }, { instruction: 'never read' }));
    const seen: number[] = [];
    await expect(async () => {
      for await (const event of readPool(file)) seen.push(event.line);
    }).rejects.toThrow(/cannot detect the pool format/);
    expect(seen).toEqual([1, 2]);
  });
});
