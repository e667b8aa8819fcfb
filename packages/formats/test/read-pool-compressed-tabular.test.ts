import { gzipSync } from 'node:zlib';
import { PoolFileError } from '@tapir/formats';
import { errorsOf, fileError, jsonl, readAll, records, useTempDir } from './helpers';

const tmp = useTempDir();

describe('gzip', () => {
  const rows = [{ instruction: 'one', output: 'a' }, { instruction: 'two' }, { instruction: 'three', input: 'ctx' }];

  test.each(['pool.jsonl.gz', 'pool.json.gz', 'pool.gz', 'pool.jsonl'])('%s: told by its magic bytes, read like the plain file', async (name) => {
    const text = name.includes('.json.') ? JSON.stringify(rows) : jsonl(...rows);
    const file = tmp.file(`gz-${name}`, gzipSync(Buffer.from(text)));
    expect(await records(file)).toEqual([
      { instruction: 'one', input: '', output: 'a' },
      { instruction: 'two', input: '' },
      { instruction: 'three', input: 'ctx' },
    ]);
  });

  test('line numbers are those of the decompressed text, across small reads', async () => {
    const file = tmp.file('lines.jsonl.gz', gzipSync(Buffer.from(jsonl({ instruction: 'a' }, '{broken', { instruction: 'c' }, { nope: 1 }))));
    const errors = await errorsOf(file, { chunkBytes: 7 });
    expect(errors.map((e) => e.line)).toEqual([2, 4]);
  });

  test('a gzipped CSV is CSV', async () => {
    const file = tmp.file('pool.csv.gz', gzipSync(Buffer.from('instruction,output\nhi,there\n')));
    expect(await records(file)).toEqual([{ instruction: 'hi', input: '', output: 'there' }]);
  });

  test('a stream cut short is a file error, after the rows before the cut', async () => {
    const whole = gzipSync(Buffer.from(jsonl(...Array.from({ length: 2000 }, (_, i) => ({ instruction: `row ${i} ${'x'.repeat(i % 97)}` })))));
    const file = tmp.file('cut.jsonl.gz', whole.subarray(0, Math.floor(whole.length / 2)));
    const error = await fileError(file);
    expect(error).toBeInstanceOf(PoolFileError);
    expect((error as PoolFileError).message).toMatch(/cut\.jsonl\.gz: gzip data is corrupt or truncated/);
  });
});

describe('CSV and TSV', () => {
  test('RFC 4180 quoting: commas, doubled quotes and fields over several lines; the line is where the record starts', async () => {
    const csv = 'instruction,input,output\n' + '"Say ""hi""","a, b",ok\n' + '\n' + '"Write\na poem\nin three lines",,"roses\nare red"\n' + 'last,,\n';
    const file = tmp.file('quoted.csv', csv);
    const events = await readAll(file);
    expect(events).toEqual([
      { kind: 'record', line: 2, record: { instruction: 'Say "hi"', input: 'a, b', output: 'ok' } },
      { kind: 'record', line: 4, record: { instruction: 'Write\na poem\nin three lines', input: '', output: 'roses\nare red' } },
      { kind: 'record', line: 8, record: { instruction: 'last', input: '' } },
    ]);
  });

  test('CRLF line ends and a BOM', async () => {
    const file = tmp.file('crlf.csv', '\uFEFFinstruction,category\r\none,Math\r\n"two\r\nlines",\r\n');
    expect(await records(file)).toEqual([
      { instruction: 'one', input: '', category: 'Math' },
      { instruction: 'two\r\nlines', input: '' },
    ]);
  });

  test('TSV, with a quote inside an unquoted field kept as text', async () => {
    const file = tmp.file('pool.tsv', 'instruction\toutput\nMeasure 5" of rope\tdone\nsecond\t\n');
    expect(await records(file)).toEqual([
      { instruction: 'Measure 5" of rope', input: '', output: 'done' },
      { instruction: 'second', input: '' },
    ]);
  });

  test('bad rows name their line: wrong field count, empty instruction; the others are read', async () => {
    const file = tmp.file('bad.csv', 'instruction,output\nok,1\nonly-one-field,2,3\n,empty\nfine,4\n');
    expect(await errorsOf(file)).toEqual([
      { line: 3, message: 'has 3 field(s), the header has 2' },
      { line: 4, message: "field 'instruction' is empty" },
    ]);
    expect((await readAll(file)).filter((e) => e.kind === 'record')).toHaveLength(2);
  });

  test('an unclosed quote is a file error naming the line', async () => {
    const error = await fileError(tmp.file('unclosed.csv', 'instruction\nfine\n"never closed\nmore\n'));
    expect(error).toBeInstanceOf(PoolFileError);
    expect((error as PoolFileError).message).toMatch(/unclosed\.csv:3: not valid CSV: a quoted field opened in the record starting here is never closed/);
  });

  test('an empty file, and a header naming a column twice', async () => {
    expect(((await fileError(tmp.file('empty.csv', ''))) as Error).message).toMatch(/no header row/);
    expect(((await fileError(tmp.file('twice.csv', 'instruction,instruction\na,b\n'))) as Error).message).toMatch(/twice\.csv:1: header names column 'instruction' twice/);
  });
});

describe('column mapping', () => {
  test('maps a layout the detector cannot guess, CSV', async () => {
    const file = tmp.file('mapped.csv', 'prompt,context,response,instruction\nWhat is 2+2?,,4,ignored\nTranslate,bonjour,hello,ignored\n');
    const columns = { instruction: 'prompt', input: 'context', output: 'response' };
    expect(await records(file, { columns })).toEqual([
      { instruction: 'What is 2+2?', input: '', output: '4' },
      { instruction: 'Translate', input: 'bonjour', output: 'hello' },
    ]);
  });

  test('JSONL: a mapped column wins over an alias; a row without it is a bad row naming the column', async () => {
    const file = tmp.file('mapped.jsonl', jsonl({ question: 'q1', answer: 'a1', instruction: 'alias' }, { answer: 'a2' }));
    const events = await readAll(file, { columns: { instruction: 'question', output: 'answer' } });
    expect(events).toEqual([
      { kind: 'record', line: 1, record: { instruction: 'q1', input: '', output: 'a1' } },
      { kind: 'error', line: 2, message: "missing column 'question' (columns.instruction)" },
    ]);
  });

  test('a CSV header without a mapped column is a file error listing what the header has', async () => {
    const error = await fileError(tmp.file('nomap.csv', 'prompt,response\na,b\n'), { columns: { instruction: 'question' } });
    expect((error as Error).message).toMatch(/nomap\.csv:1: header has no column 'question' \(columns\.instruction\); it has 'prompt', 'response'/);
  });

  test('without a mapping, an unknown layout says how to map it', async () => {
    const error = await fileError(tmp.file('unknown.csv', 'prompt,response\na,b\n'));
    expect((error as Error).message).toMatch(/unknown\.csv:2: cannot detect the pool format.*"prompt", "response".*columns: \{instruction/);
  });
});
