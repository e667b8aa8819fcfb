import { readPool } from '@tapir/formats';
import { errorsOf, jsonl, readAll, records, useTempDir } from './helpers';

const tmp = useTempDir();
const BOM = '\uFEFF';

describe('JSONL layout', () => {
  test('BOM, blank and whitespace-only lines, CRLF', async () => {
    const text = BOM + '\r\n{"instruction":"a"}\r\n   \r\n\t\n{"instruction":"b","output":"x\\r\\ny"}\r\n\r\n';
    const events = await readAll(tmp.file('crlf.jsonl', text));
    expect(events).toEqual([
      { kind: 'record', line: 2, record: { instruction: 'a', input: '' } },
      { kind: 'record', line: 5, record: { instruction: 'b', input: '', output: 'x\r\ny' } },
    ]);
  });

  test('last line without a newline', async () => {
    const file = tmp.file('no-eol.jsonl', '{"instruction":"a"}\n{"instruction":"b"}');
    expect((await records(file)).map((r) => r.instruction)).toEqual(['a', 'b']);
  });

  test('bad lines are reported with their line numbers', async () => {
    const text = jsonl({ instruction: 'ok' }, '', '{"instruction": "a" "b"}', '', '{"instruction":', '{"input":"x"}', { instruction: 'ok' });
    const errors = await errorsOf(tmp.file('bad.jsonl', text));
    expect(errors.map((e) => e.line)).toEqual([3, 5, 6]);
    expect(errors[0]?.message).toMatch(/^not valid JSON: /);
    expect(errors[2]?.message).toBe("missing field 'instruction'");
  });

  test('a 5 MB line is read whole', async () => {
    const big = 'ü'.repeat(1000) + 'x'.repeat(5 * 1024 * 1024);
    const file = tmp.file('big.jsonl', jsonl({ instruction: 'small' }, { instruction: big, output: 'y' }, { instruction: 'after' }));
    const events = await readAll(file);
    expect(events.map((e) => e.line)).toEqual([1, 2, 3]);
    const second = events[1];
    expect(second?.kind === 'record' && second.record.instruction).toBe(big);
  });
});

describe('JSON array layout', () => {
  const pretty = (rows: unknown[]): string => JSON.stringify(rows, null, 2) + '\n';

  test('pretty-printed array: each record gets the line its element starts on', async () => {
    const rows = [
      { dataset: 'd', instruction: 'one', output: 'a', generator: 'g' },
      { instruction: 'two', output: 'b' },
      { instruction: 'three' },
    ];
    const events = await readAll(tmp.file('pretty.json', BOM + pretty(rows)));
    expect(events.map((e) => e.line)).toEqual([2, 8, 12]);
    expect(events.map((e) => e.kind === 'record' && e.record.instruction)).toEqual(['one', 'two', 'three']);
  });

  test('strings containing brackets, commas, quotes, backslashes and escaped newlines', async () => {
    const tricky = ['a ] b } c', '", [ {', 'ends with backslash \\', 'line\nbreak', 'quote \\" inside', '\u00e9\u4e2d\ud83d\ude00'];
    const rows = tricky.map((instruction) => ({ instruction }));
    expect((await records(tmp.file('tricky.json', pretty(rows)))).map((r) => r.instruction)).toEqual(tricky);
    expect((await records(tmp.file('tricky-compact.json', JSON.stringify(rows)))).map((r) => r.instruction)).toEqual(tricky);
  });

  test('a bad element is one row error at its start line; the rest still import', async () => {
    const text = [
      '[',
      '  {"instruction": "first"},',
      '  {',
      '    "instruction": "broken",',
      '    "output": oops',
      '  },',
      '  "just a string",',
      '  {"instruction": 3},',
      '  {',
      '    "instruction": "last"',
      '  }',
      ']',
    ].join('\n');
    const events = await readAll(tmp.file('bad-element.json', text));
    expect(events.map((e) => [e.kind, e.line])).toEqual([
      ['record', 2],
      ['error', 3],
      ['error', 7],
      ['error', 8],
      ['record', 9],
    ]);
    expect(events[1]?.kind === 'error' && events[1].message).toMatch(/^not valid JSON: /);
  });

  test('stray commas and a missing comma are reported without losing neighbours', async () => {
    const text = '[\n{"instruction":"a"},\n,\n{"instruction":"b"}\n{"instruction":"c"},\n]';
    const events = await readAll(tmp.file('commas.json', text));
    expect(events).toEqual([
      { kind: 'record', line: 2, record: { instruction: 'a', input: '' } },
      { kind: 'error', line: 3, message: 'empty array element (stray comma)' },
      { kind: 'record', line: 4, record: { instruction: 'b', input: '' } },
      { kind: 'error', line: 5, message: 'missing comma between array elements' },
      { kind: 'record', line: 5, record: { instruction: 'c', input: '' } },
      { kind: 'error', line: 6, message: "trailing comma before ']'" },
    ]);
  });

  test('leading blank lines before the array keep line numbers right', async () => {
    const events = await readAll(tmp.file('leading.json', '\n\n\n[\n  {"instruction": "x"}\n]\n'));
    expect(events.map((e) => e.line)).toEqual([5]);
  });

  test('a 5 MB element is read whole', async () => {
    const big = 'y'.repeat(5 * 1024 * 1024);
    const records_ = await records(tmp.file('big.json', pretty([{ instruction: big }, { instruction: 'after' }])));
    expect(records_.map((r) => r.instruction.length)).toEqual([big.length, 5]);
  });
});

describe('records split across reads', () => {
  // Multi-byte characters, CRLF, escapes and brackets in strings, with every read size from 1
  // byte up: splitting anywhere must not change the outcome.
  const rows = [
    { instruction: 'naïve café ✓ 😀', input: 'a]b}c', output: 'q"uo\\te' },
    { Instruction: 'x', Input: '{"a": [1, {"b": "]"}]}' },
    { instruction: 'Ünïcödé\nlines', category: 'c' },
  ];
  const jsonlText = BOM + rows.map((r) => JSON.stringify(r)).join('\r\n') + '\r\n\r\n{bad\r\n';
  const arrayText = BOM + '[\n' + rows.map((r) => JSON.stringify(r, null, 1)).join(',\n') + ',\n{bad}\n]\n';

  test.each([
    ['JSONL', 'split.jsonl', jsonlText],
    ['JSON array', 'split.json', arrayText],
  ])('%s', async (_layout, name, text) => {
    const file = tmp.file(name, text);
    const expected = await readAll(file);
    expect(expected.filter((e) => e.kind === 'record')).toHaveLength(3);
    expect(expected.filter((e) => e.kind === 'error')).toHaveLength(1);
    for (let chunkBytes = 1; chunkBytes <= 40; chunkBytes++) {
      expect(await readAll(file, { chunkBytes })).toEqual(expected);
    }
  });
});

test('stopping early (break) ends the read cleanly', async () => {
  const file = tmp.file('early-stop.jsonl', jsonl(...Array.from({ length: 1000 }, (_, i) => ({ instruction: `row ${i}` }))));
  const seen: number[] = [];
  for await (const event of readPool(file, { chunkBytes: 256 })) {
    seen.push(event.line);
    if (seen.length === 3) break;
  }
  expect(seen).toEqual([1, 2, 3]);
});
