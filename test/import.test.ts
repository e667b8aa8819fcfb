import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { instructionKey, parseCampaignConfig } from '@tapir/core';
import { createCampaign, ImportRejectedError } from '@tapir/pipeline';
import { sql } from 'drizzle-orm';
import { createTestEnv, simConfigYaml, type TestEnv } from './support/test-env';

/**
 * Import by COPY with de-duplication in the process: the rows PostgreSQL holds afterwards must be
 * exactly what the file says, whatever batch boundary a duplicate or an answer falls on.
 */
describe('pool import', () => {
  let env: TestEnv;
  let dir: string;
  beforeAll(async () => {
    env = await createTestEnv();
    dir = await mkdtemp(join(tmpdir(), 'tapir-import-'));
  });
  afterAll(async () => {
    await env.close();
    await rm(dir, { recursive: true, force: true });
  });

  const config = () => parseCampaignConfig(simConfigYaml(env.simUrl), 'import-test.yaml');
  const db = () => env.pipeline.services.db;
  const write = async (name: string, rows: unknown[]) => {
    const path = join(dir, name);
    await writeFile(path, rows.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n') + '\n');
    return path;
  };
  const items = async (campaignId: string) =>
    (
      await db().execute<{ seq: number; key: string; instruction: string; input: string; category: string | null; category_source: string | null; source_line: number; duplicate_count: number }>(
        sql`select seq, key, instruction, input, category, category_source, source_line, duplicate_count from items where campaign_id = ${campaignId} order by seq`,
      )
    ).rows;

  test('duplicates across and within batches are counted on the first copy; text survives COPY escaping exactly', async () => {
    const awkward = 'Tabs\there, a backslash \\ and \\N, a newline\nand a carriage return\r, "quotes", emoji 🦛, Ünïcödé';
    const rows: Record<string, string>[] = [];
    for (let i = 0; i < 23; i++) rows.push({ instruction: `Question number ${i}?`, input: i % 5 === 0 ? `context ${i}` : '' });
    rows.push({ instruction: awkward, input: 'in\\put\twith\ttabs' });
    // Copies of row 0 (in another batch of 4), of row 1 differing only in case and spacing, and of row 22 right after it.
    rows.push({ instruction: 'Question number 0?', input: 'context 0' });
    rows.push({ instruction: '  QUESTION   number 1? ', input: '' });
    rows.push({ instruction: 'Question number 22?', input: '' });
    rows.push({ instruction: 'Question number 0?', input: 'context 0' });
    const path = await write('dups.jsonl', rows);

    const { campaignId, summary } = await createCampaign(db(), { config: config(), dataFile: path, batchRows: 4 });
    expect(summary).toMatchObject({ rowsRead: 28, imported: 24, duplicates: 4, badRows: 0 });
    const stored = await items(campaignId);
    expect(stored.map((r) => r.seq)).toEqual([...Array(24).keys()]);
    expect(stored.map((r) => r.source_line)).toEqual([...Array(24).keys()].map((i) => i + 1));
    for (const [i, row] of stored.entries()) {
      expect(row.key).toBe(instructionKey(rows[i]!.instruction!, rows[i]!.input));
      expect(row.instruction).toBe(rows[i]!.instruction);
      expect(row.input).toBe(rows[i]!.input);
    }
    const dupCounts = Object.fromEntries(stored.filter((r) => r.duplicate_count > 0).map((r) => [r.seq, r.duplicate_count]));
    expect(dupCounts).toEqual({ 0: 2, 1: 1, 22: 1 });
    expect(stored[23]!.instruction).toBe(awkward);
  });

  test('answers in the rows and categories from the data land on the right items across batches', async () => {
    const rows = Array.from({ length: 11 }, (_, i) => ({
      instruction: `Explain topic ${i}.`,
      output: `Teacher says ${i}\twith a tab`,
      student_output: `Student says ${i}`,
      category: i % 2 === 0 ? 'math' : 'Not A Category',
    }));
    const path = await write('answers.jsonl', rows);
    const { campaignId, summary } = await createCampaign(db(), { config: config(), dataFile: path, outputAs: 'teacher', batchRows: 3 });
    expect(summary).toMatchObject({ imported: 11, teacherAnswersImported: 11, studentAnswersImported: 11, categoriesFromData: 6, categoriesNotInTaxonomy: 5 });
    const answers = (
      await db().execute<{ instruction: string; kind: string; round: number; text: string; source: string }>(sql`
        select i.instruction, a.kind, a.round, a.text, a.source from answers a join items i on i.id = a.item_id
         where a.campaign_id = ${campaignId} order by i.seq, a.kind`)
    ).rows;
    expect(answers).toHaveLength(22);
    for (const [i, row] of rows.entries()) {
      expect(answers[2 * i]).toEqual({ instruction: row.instruction, kind: 'student', round: 1, text: row.student_output, source: 'import' });
      expect(answers[2 * i + 1]).toEqual({ instruction: row.instruction, kind: 'teacher', round: 0, text: row.output, source: 'import' });
    }
    const stored = await items(campaignId);
    expect(stored.filter((r) => r.category === 'Math' && r.category_source === 'data')).toHaveLength(6);
    expect(stored.filter((r) => r.category === null && r.category_source === null)).toHaveLength(5);
  });

  test('a NUL character is a bad row with its line; --strict then writes nothing', async () => {
    const path = await write('nul.jsonl', [{ instruction: 'fine one' }, { instruction: 'has a \u0000 NUL' }, { instruction: 'fine two', input: 'x\u0000' }, { instruction: 'fine three' }]);
    const { campaignId, summary } = await createCampaign(db(), { config: config(), dataFile: path });
    expect(summary).toMatchObject({ imported: 2, badRows: 2 });
    expect(summary.badRowSamples).toEqual([
      { file: path, line: 2, message: expect.stringMatching(/^instruction contains a NUL character/) },
      { file: path, line: 3, message: expect.stringMatching(/^input contains a NUL character/) },
    ]);
    expect((await items(campaignId)).map((r) => r.instruction)).toEqual(['fine one', 'fine three']);

    const campaignsBefore = (await db().execute<{ n: number }>(sql`select count(*)::int as n from campaigns`)).rows[0]!.n;
    await expect(createCampaign(db(), { config: config(), dataFile: path, strict: true })).rejects.toBeInstanceOf(ImportRejectedError);
    const campaignsAfter = (await db().execute<{ n: number }>(sql`select count(*)::int as n from campaigns`)).rows[0]!.n;
    expect(campaignsAfter).toBe(campaignsBefore);
  });

  test('a failure after some batches went in leaves no campaign and no items behind', async () => {
    // A JSON array that ends early is a whole-file error, found only after the first batches were sent.
    const path = join(dir, 'truncated.json');
    await writeFile(path, '[\n' + Array.from({ length: 9 }, (_, i) => JSON.stringify({ instruction: `Row ${i}` })).join(',\n') + ',\n{"instruction": "cut');
    const itemsBefore = (await db().execute<{ n: number }>(sql`select count(*)::int as n from items`)).rows[0]!.n;
    const campaignsBefore = (await db().execute<{ n: number }>(sql`select count(*)::int as n from campaigns`)).rows[0]!.n;
    await expect(createCampaign(db(), { config: config(), dataFile: path, batchRows: 2 })).rejects.toThrow(/truncated\.json/);
    expect((await db().execute<{ n: number }>(sql`select count(*)::int as n from campaigns`)).rows[0]!.n).toBe(campaignsBefore);
    const itemsAfter = (await db().execute<{ n: number }>(sql`select count(*)::int as n from items`)).rows[0]!.n;
    expect(itemsAfter).toBe(itemsBefore);
  });
});
