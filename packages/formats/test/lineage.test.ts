import { createRng, instructionKey } from '@tapir/core';
import { exportRowId, lineageJudgeOrders, lineageRecord, parseExportRowId, trainingOutput, type LineageRecord, type RowIdParts } from '@tapir/formats';

describe('exportRowId', () => {
  const parts: RowIdParts = { campaignId: 'cabc12def', round: 2, stage: 3, itemKey: '0f1e2d3c4b5a69788796a5b4c3d2e1f0', repeatIndex: 1 };

  test('reads as campaign, round, stage, item key and repeat, and parses back', () => {
    expect(exportRowId(parts)).toBe('cabc12def:r2:s3:0f1e2d3c4b5a69788796a5b4c3d2e1f0:1');
    expect(parseExportRowId(exportRowId(parts))).toEqual(parts);
  });

  test('refuses parts that would make an ambiguous or malformed id', () => {
    expect(() => exportRowId({ ...parts, campaignId: 'a:b' })).toThrow(RangeError);
    expect(() => exportRowId({ ...parts, campaignId: '' })).toThrow(RangeError);
    expect(() => exportRowId({ ...parts, itemKey: 'XYZ' })).toThrow(RangeError);
    expect(() => exportRowId({ ...parts, round: 0 })).toThrow(/round/);
    expect(() => exportRowId({ ...parts, stage: 1.5 })).toThrow(/stage/);
    expect(() => exportRowId({ ...parts, repeatIndex: -1 })).toThrow(/repeatIndex/);
    for (const text of ['', 'c:r1:s1:ab', 'c:r0:s1:ab:0', 'c:r1:s1:ab:01', 'c:r1:s1:AB:0', 'c:r1:s1:ab:0:extra']) expect(parseExportRowId(text)).toBeNull();
  });

  test('property: the same parts give the same id, different parts different ids, and every id parses back', () => {
    const rng = createRng('row-id');
    const seen = new Map<string, string>();
    for (let t = 0; t < 3000; t++) {
      const p: RowIdParts = {
        campaignId: `c${rng.int(3)}`,
        round: 1 + rng.int(3),
        stage: 1 + rng.int(3),
        itemKey: instructionKey(`instruction ${rng.int(20)}`),
        repeatIndex: rng.int(3),
      };
      const id = exportRowId(p);
      expect(exportRowId({ ...p })).toBe(id);
      expect(parseExportRowId(id)).toEqual(p);
      const identity = JSON.stringify([p.campaignId, p.round, p.stage, p.itemKey, p.repeatIndex]);
      const before = seen.get(id);
      if (before !== undefined) expect(before).toBe(identity);
      seen.set(id, identity);
    }
    expect(seen.size).toBeGreaterThan(1000);
  });
});

describe('trainingOutput', () => {
  test('the refined answer when there is one, else the teacher answer marked as a fallback, else nothing', () => {
    expect(trainingOutput('refined', 'teacher')).toEqual({ text: 'refined', from: 'refined' });
    expect(trainingOutput('', 'teacher')).toEqual({ text: '', from: 'refined' });
    expect(trainingOutput(null, 'teacher')).toEqual({ text: 'teacher', from: 'teacher' });
    expect(trainingOutput(null, null)).toBeNull();
  });
});

describe('lineage records', () => {
  test('judge orders: forward scores are [teacher, student], swapped ones [student, teacher]; old judgments have no call ids', () => {
    expect(lineageJudgeOrders({ scores: [8, 5], callIds: [11] }, { scores: [6, 9], callIds: [12, 13] })).toEqual({
      forward: { teacher: 8, student: 5, callIds: [11] },
      swapped: { teacher: 9, student: 6, callIds: [12, 13] },
    });
    expect(lineageJudgeOrders({ scores: [8, 5] }, { scores: [6, 9] }).forward.callIds).toBeNull();
  });

  const record: LineageRecord = {
    id: 'c1:r1:s2:0a:0',
    round: 1,
    stage: 2,
    repeatIndex: 0,
    itemId: 4,
    itemKey: '0a',
    origin: 'seed',
    source: { file: 'pool.jsonl', line: 9 },
    expansion: null,
    synthesis: null,
    category: 'Math',
    categorySource: 'classifier',
    answers: {
      teacher: { source: 'llm', callId: 1, promptVersion: 'answer-v1' },
      student: { source: 'import', callId: null, promptVersion: null },
      refined: null,
    },
    trainingOutput: 'teacher',
    followUpCallIds: [],
    judge: { forward: { teacher: 8, student: 5, callIds: [2] }, swapped: { teacher: 9, student: 6, callIds: [3] }, promptVersion: 'judge-v1' },
    mfd: 3,
    ifd: null,
  };

  test('keys come out in one order whatever order they went in, so a re-export writes the same bytes', () => {
    const shuffled = Object.fromEntries(Object.entries(record).reverse()) as unknown as LineageRecord;
    shuffled.judge = { promptVersion: 'judge-v1', swapped: { callIds: [3], student: 6, teacher: 9 }, forward: { callIds: [2], student: 5, teacher: 8 } };
    shuffled.answers = { refined: null, student: { promptVersion: null, callId: null, source: 'import' }, teacher: { promptVersion: 'answer-v1', callId: 1, source: 'llm' } };
    expect(JSON.stringify(lineageRecord(shuffled))).toBe(JSON.stringify(lineageRecord(record)));
    expect(Object.keys(lineageRecord(shuffled))[0]).toBe('id');
    expect(lineageRecord(shuffled)).toEqual(record);
  });

  test('fields a caller adds beyond the record are not written', () => {
    const extra = { ...record, instruction: 'secret text', answers: { ...record.answers, refined: { source: 'llm', callId: 5, promptVersion: 'r', text: 'x' } } };
    const written = JSON.parse(JSON.stringify(lineageRecord(extra as LineageRecord))) as Record<string, unknown>;
    expect(written).not.toHaveProperty('instruction');
    expect((written['answers'] as { refined: object }).refined).toEqual({ source: 'llm', callId: 5, promptVersion: 'r' });
  });
});
