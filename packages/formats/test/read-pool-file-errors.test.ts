import { mkdirSync } from 'node:fs';
import { PoolFileError, readPool } from '@tapir/formats';
import { fileError, jsonl, readAll, useTempDir } from './helpers';

const tmp = useTempDir();

/** Fails the test unless reading `file` throws a PoolFileError matching `reason` at `line`. */
async function expectFileError(file: string, reason: RegExp, line?: number, opts?: Parameters<typeof readAll>[1]): Promise<PoolFileError> {
  const error = await fileError(file, opts);
  expect(error).toBeInstanceOf(PoolFileError);
  const poolError = error as PoolFileError;
  expect(poolError.file).toBe(file);
  expect(poolError.reason).toMatch(reason);
  expect(poolError.line).toBe(line);
  expect(poolError.message).toContain(file);
  return poolError;
}

describe('missing or empty files', () => {
  test('file not found', async () => {
    await expectFileError(tmp.path('does-not-exist.jsonl'), /^file not found$/);
  });

  test('a directory', async () => {
    const dir = tmp.path('a-directory');
    mkdirSync(dir);
    await expectFileError(dir, /is a directory/);
  });

  test('zero bytes, only whitespace, only a BOM, an empty array', async () => {
    await expectFileError(tmp.file('empty.jsonl', ''), /^file is empty$/);
    await expectFileError(tmp.file('blank.jsonl', '\n \r\n\t\n'), /file is empty/);
    await expectFileError(tmp.file('bom.jsonl', '\uFEFF'), /file is empty/);
    await expectFileError(tmp.file('empty-array.json', '[\n]\n'), /no rows/);
  });
});

describe('not a text pool', () => {
  test('NUL bytes (binary, or UTF-16)', async () => {
    await expectFileError(tmp.file('nul.bin', Buffer.from([0x7b, 0x00, 0x22, 0x00])), /binary.*NUL/);
    await expectFileError(tmp.file('utf16.jsonl', Buffer.from('\uFEFF{"instruction":"x"}\n', 'utf16le')), /UTF-16/);
  });

  test('a high share of control characters', async () => {
    const bytes = Buffer.alloc(1000, 0x41);
    for (let i = 0; i < 300; i++) bytes[i * 3] = 0x01;
    await expectFileError(tmp.file('control.bin', bytes), /binary \(30% control characters/);
  });

  test('truncated gzip is named as such', async () => {
    await expectFileError(tmp.file('pool.jsonl.gz', Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x41])), /gzip data is corrupt or truncated/);
  });

  test('text that is neither JSONL nor a JSON array, under a name that says nothing else', async () => {
    await expectFileError(tmp.file('pool.txt', '\n\ninstruction,output\nhi,there\n'), /not JSONL or a JSON array: starts with "i"/, 3);
  });

  test('a single pretty-printed object', async () => {
    await expectFileError(tmp.file('object.json', '{\n  "data": []\n}\n'), /pretty-printed JSON object/, 1);
  });
});

describe('invalid UTF-8', () => {
  const valid = Buffer.from(jsonl({ instruction: 'one' }, { instruction: 'twö' }));
  const bad = Buffer.concat([valid, Buffer.from('{"instruction":"thr'), Buffer.from([0xff, 0xfe]), Buffer.from('ee"}\n{"instruction":"four"}\n')]);

  test('names the line, whatever the read size', async () => {
    const file = tmp.file('bad-utf8.jsonl', bad);
    await expectFileError(file, /^invalid UTF-8$/, 3);
    for (const chunkBytes of [1, 2, 3, 5, 7, 16, 33, 40, 41, 42]) await expectFileError(file, /^invalid UTF-8$/, 3, { chunkBytes });
  });

  test('overlong encodings and surrogates are invalid too', async () => {
    await expectFileError(tmp.file('overlong.jsonl', Buffer.concat([valid, Buffer.from([0x7b, 0xc0, 0xaf, 0x7d])])), /invalid UTF-8/, 3);
    await expectFileError(tmp.file('surrogate.jsonl', Buffer.concat([valid, valid, Buffer.from([0xed, 0xa0, 0x80])])), /invalid UTF-8/, 5);
  });

  test('a multi-byte character cut off at the end of the file', async () => {
    await expectFileError(tmp.file('cut.jsonl', Buffer.concat([valid, Buffer.from([0x7b, 0xe2, 0x82])])), /ends inside a multi-byte character/, 3);
  });
});

describe('JSON array structure', () => {
  test('an array that ends early names where input stopped and the unfinished element', async () => {
    const text = '[\n  {"instruction": "a"},\n  {\n    "instruction": "b",\n    "output": "cut off he';
    const error = await expectFileError(tmp.file('truncated.json', text), /ends early: input stops at line 5, inside the element that starts at line 3/, 5);
    expect(error.message).toContain(':5:');
  });

  test('an array that ends early between elements', async () => {
    await expectFileError(tmp.file('truncated2.json', '[\n{"instruction": "a"},\n'), /ends early: input stops at line 3 \(no closing/, 3);
  });

  test('rows before the truncation are still delivered first', async () => {
    const file = tmp.file('truncated3.json', '[\n{"instruction": "a"},\n{"instruction": "b"');
    const seen: number[] = [];
    await expect(async () => {
      for await (const event of readPool(file)) seen.push(event.line);
    }).rejects.toThrow(PoolFileError);
    expect(seen).toEqual([2]);
  });

  test('content after the closing bracket', async () => {
    await expectFileError(tmp.file('after.json', '[{"instruction": "a"}]\n[{"instruction": "b"}]\n'), /after the end of the JSON array/, 2);
  });
});

describe('format detection failure', () => {
  test('says which keys were seen and which formats exist', async () => {
    const file = tmp.file('unknown.jsonl', jsonl({ question_id: 1, prompt: 'x', completion: 'y' }));
    const error = await expectFileError(file, /cannot detect the pool format/, 1);
    expect(error.reason).toContain('"question_id", "prompt", "completion"');
    expect(error.reason).toMatch(/alpaca.*sharegpt.*openai/);
  });

  test('with the format given, the same rows are row errors instead', async () => {
    const file = tmp.file('unknown2.jsonl', jsonl({ prompt: 'x' }));
    expect(await readAll(file, { format: 'alpaca' })).toEqual([{ kind: 'error', line: 1, message: "missing field 'instruction'" }]);
  });
});

describe('input limits: rows too large, too deep or too long are bad rows, and reading goes on', () => {
  const lines = (events: Awaited<ReturnType<typeof readAll>>) => events.map((e) => (e.kind === 'record' ? `${e.line}:ok` : `${e.line}:${e.message}`));

  test.each([undefined, 64, 7])('a JSONL line above maxRowBytes is skipped to the next newline (read size %p)', async (chunkBytes) => {
    const file = tmp.file(`cap-${chunkBytes}.jsonl`, jsonl({ instruction: 'short' }, { instruction: 'z'.repeat(5000) }, { instruction: 'after' }));
    const events = await readAll(file, { maxRowBytes: 1000, ...(chunkBytes ? { chunkBytes } : {}) });
    expect(lines(events)).toEqual([
      '1:ok',
      '2:line is larger than the 1000-byte limit (import.maxRowBytes = 1000); skipped without reading it whole',
      '3:ok',
    ]);
    expect(events[2]).toMatchObject({ record: { instruction: 'after' } });
  });

  test('the limit counts UTF-8 bytes, not characters', async () => {
    // 400 CJK characters are 1,200 bytes: over a 1,000-byte limit though only ~420 characters long.
    const file = tmp.file('cap-bytes.jsonl', jsonl({ instruction: '汉'.repeat(400) }, { instruction: '汉'.repeat(300) }));
    expect(lines(await readAll(file, { maxRowBytes: 1000 }))).toEqual([expect.stringMatching(/^1:line is larger/), '2:ok']);
    expect(lines(await readAll(file, { maxRowBytes: 1000, chunkBytes: 50 }))).toEqual([expect.stringMatching(/^1:line is larger/), '2:ok']);
  });

  test('a last line without a newline above the limit is a bad row too', async () => {
    const file = tmp.file('cap-last.jsonl', '{"instruction": "a"}\n{"instruction": "' + 'z'.repeat(3000) + '"}');
    for (const chunkBytes of [64, 65536]) {
      expect(lines(await readAll(file, { maxRowBytes: 1000, chunkBytes }))).toEqual(['1:ok', expect.stringMatching(/^2:line is larger/)]);
    }
  });

  test.each([undefined, 64])('a JSON array element above the limit is a bad row naming its start line (read size %p)', async (chunkBytes) => {
    const file = tmp.file(`cap-${chunkBytes}.json`, '[\n{"instruction": "short"},\n{\n"instruction": "' + 'z'.repeat(5000) + '",\n"nested": [{"a": "]}"}]},\n{"instruction": "after"}\n]');
    const events = await readAll(file, { maxRowBytes: 1000, ...(chunkBytes ? { chunkBytes } : {}) });
    expect(lines(events)).toEqual([
      '2:ok',
      '3:array element is larger than the 1000-byte limit (import.maxRowBytes = 1000); skipped without reading it whole',
      '6:ok',
    ]);
  });

  test('the default limit reads in MiB', async () => {
    const file = tmp.file('cap-mib.jsonl', jsonl({ instruction: 'z'.repeat(3 * 1024 * 1024) }, { instruction: 'b' }));
    expect(lines(await readAll(file, { maxRowBytes: 2 * 1024 * 1024 }))).toEqual([expect.stringContaining('larger than the 2 MiB limit'), '2:ok']);
  });

  test('a row nested 100,000 deep is a bad row, in JSONL and in a JSON array; 64 levels are fine', async () => {
    const deep = (depth: number) => '{"instruction": "x", "extra": ' + '['.repeat(depth) + ']'.repeat(depth) + '}';
    const ok = (depth: number) => '{"instruction": "y", "extra": ' + '{"a":'.repeat(depth - 1) + '1' + '}'.repeat(depth - 1) + '}'; // the row itself is a level
    const message = '2:row nests objects/arrays more than 64 levels deep';
    const jsonlFile = tmp.file('deep.jsonl', ['{"instruction": "a"}', deep(100_000), ok(64), deep(64)].join('\n') + '\n');
    expect(lines(await readAll(jsonlFile))).toEqual(['1:ok', message, '3:ok', '4:row nests objects/arrays more than 64 levels deep']);
    const arrayFile = tmp.file('deep.json', '[' + ['{"instruction": "a"}', deep(100_000), ok(64)].join(',\n') + ']');
    expect(lines(await readAll(arrayFile))).toEqual(['1:ok', message, '3:ok']);
  });

  test('maxInstructionChars counts the instruction with its input, and is off unless given', async () => {
    const file = tmp.file('long-instruction.jsonl', jsonl(
      { instruction: 'a'.repeat(100) },
      { instruction: 'b'.repeat(101) },
      { instruction: 'c'.repeat(60), input: 'd'.repeat(41) },
      { instruction: 'e'.repeat(60), input: 'f'.repeat(40) },
    ));
    expect(lines(await readAll(file, { maxInstructionChars: 100 }))).toEqual([
      '1:ok',
      '2:instruction is 101 characters, more than import.maxInstructionChars = 100',
      '3:instruction and input are 101 characters, more than import.maxInstructionChars = 100',
      '4:ok',
    ]);
    expect(lines(await readAll(file))).toEqual(['1:ok', '2:ok', '3:ok', '4:ok']);
  });
});
