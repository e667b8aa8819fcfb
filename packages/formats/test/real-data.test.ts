import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { instructionKey } from '@tapir/core';
import { loadAnswerIndex, readPool, type PoolFormat, type PoolRecord } from '@tapir/formats';

/** The shared evaluation sets live beside the repository and are read in place, never copied. */
const dataDir = resolve(__dirname, '../../../../shared/data');
const haveData = existsSync(dataDir);
if (!haveData) console.warn(`real-data tests skipped: ${dataDir} does not exist (shared evaluation data not mounted)`);
const describeWithData = haveData ? describe : describe.skip;
const data = (name: string): string => resolve(dataDir, name);

async function readAll(path: string): Promise<{ records: PoolRecord[]; errors: unknown[]; format?: PoolFormat }> {
  const result: { records: PoolRecord[]; errors: unknown[]; format?: PoolFormat } = { records: [], errors: [] };
  const onFormatDetected = (format: PoolFormat): void => {
    result.format = format;
  };
  for await (const event of readPool(path, { onFormatDetected })) {
    if (event.kind === 'record') result.records.push(event.record);
    else result.errors.push(event);
  }
  return result;
}

describeWithData('real evaluation data', () => {
  test('AlpacaEval gpt4.json: a JSON array of 805 alpaca rows', async () => {
    const { records, errors, format } = await readAll(data('alpaca_eval/gpt4.json'));
    expect(errors).toEqual([]);
    expect(records).toHaveLength(805);
    expect(format).toBe('alpaca');
    expect(records.every((r) => r.input === '' && typeof r.output === 'string' && r.output.length > 0)).toBe(true);
  });

  test('alpaca-7b.json answers join every gpt4.json instruction', async () => {
    const index = await loadAnswerIndex(data('alpaca_eval/alpaca-7b.json'));
    expect(index.errors).toEqual([]);
    expect(index.rows).toBe(805);
    // Measured: the 805 AlpacaEval instructions are distinct even after normalisation, so the
    // index has one answer per row and the join is one-to-one.
    expect(index.answers.size).toBe(805);
    const { records } = await readAll(data('alpaca_eval/gpt4.json'));
    const keys = new Set(records.map((r) => instructionKey(r.instruction, '')));
    expect(keys.size).toBe(805);
    expect([...keys].filter((key) => !index.answers.has(key))).toEqual([]);
  });

  test('WizardLM test set: capitalised Instruction / Skill columns', async () => {
    const { records, errors } = await readAll(data('wizardlm_testset.jsonl'));
    expect(errors).toEqual([]);
    expect(records).toHaveLength(218);
    expect(records.every((r) => typeof r.category === 'string' && r.category.length > 0)).toBe(true);
    expect(new Set(records.map((r) => r.category)).size).toBe(29);
    // Measured: idx 57 and 64 ask the same question (both Computer Science), so 217 items.
    expect(new Set(records.map((r) => instructionKey(r.instruction, r.input))).size).toBe(217);
  });

  test('MT-Bench questions: turns[0] is the instruction, category is kept', async () => {
    const { records, errors } = await readAll(data('mt_bench_questions.jsonl'));
    expect(errors).toEqual([]);
    expect(records).toHaveLength(80);
    expect(new Set(records.map((r) => r.category))).toEqual(
      new Set(['writing', 'roleplay', 'reasoning', 'math', 'coding', 'extraction', 'stem', 'humanities']),
    );
    expect(records[0]?.instruction).toMatch(/^Compose an engaging travel blog post about a recent trip to Hawaii/);
  });
});
