import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { parseCampaignConfig, type PlanSummary } from '@tapir/core';
import { campaignStatus, createCampaign, exportCampaign, reconcileCampaign } from '@tapir/pipeline';
import { sql } from 'drizzle-orm';
import { readExportBack } from './support/read-back';
import { runTapir } from './support/run-tapir';
import { createTestEnv, simConfigYaml, waitFor, type TestEnv } from './support/test-env';

/**
 * Issue 16: one campaign from three sources in three formats (JSONL.gz, Parquet with mapped
 * columns, CSV), mixed 2:1:1 by source beside the category mix; checked in the items, the plan,
 * status, and the exported stage files read back.
 */
const TOPICS = ['a prime number', 'a sorting algorithm', 'a haiku about rain', 'the water cycle', 'compound interest', 'a recursive function', 'a limerick', 'photosynthesis'];
const ask = (source: string, i: number) => `${source} item ${i}: explain ${TOPICS[i % TOPICS.length]} in a few sentences for a curious student.`;

describe('a campaign from three sources in three formats', () => {
  let env: TestEnv;
  let dir: string;
  let campaignId: string;
  const db = () => env.pipeline.services.db;

  beforeAll(async () => {
    env = await createTestEnv();
    dir = await mkdtemp(join(tmpdir(), 'tapir-sources-'));
    const alpaca = Array.from({ length: 24 }, (_, i) => ({ instruction: ask('alpaca', i), input: '', output: '' }));
    await writeFile(join(dir, 'alpaca.jsonl.gz'), gzipSync(alpaca.map((r) => JSON.stringify(r)).join('\n') + '\n'));
    const { parquetWriteFile } = await import('hyparquet-writer');
    const dolly = Array.from({ length: 16 }, (_, i) => ask('dolly', i));
    parquetWriteFile({
      filename: join(dir, 'dolly.parquet'),
      columnData: [
        { name: 'prompt', data: dolly, type: 'STRING' },
        { name: 'context', data: dolly.map((_, i) => (i % 4 === 0 ? 'Use an example.' : null)), type: 'STRING', nullable: true },
        { name: 'response', data: dolly.map(() => 'A short answer.'), type: 'STRING' },
      ],
      rowGroupSize: 5,
    });
    const csvRows = Array.from({ length: 12 }, (_, i) => `"${ask('csv', i).replace(/"/g, '""')}",`);
    // Row 14: an exact duplicate of alpaca's item 3 (kept from alpaca, the earlier source); row 15: bad.
    await writeFile(join(dir, 'extra.csv'), ['instruction,category', ...csvRows, `"${ask('alpaca', 3)}",`, 'too,many,fields'].join('\n') + '\n');

    const config = parseCampaignConfig(
      simConfigYaml(
        env.simUrl,
        `rounds: { count: 1, targetSize: 40 }
sources:
  - { name: alpaca, file: ${join(dir, 'alpaca.jsonl.gz')}, weight: 2 }
  - { name: dolly, file: ${join(dir, 'dolly.parquet')}, weight: 1, columns: { instruction: prompt, input: context, output: response } }
  - { name: extra, file: ${join(dir, 'extra.csv')}, weight: 1, maxShare: 0.3 }
`,
      ),
      'sources.yaml',
    );
    const created = await createCampaign(db(), { config });
    campaignId = created.campaignId;
    expect(created.summary.sources.map((s) => [s.name, s.rowsRead, s.imported, s.duplicates, s.badRows])).toEqual([
      ['alpaca', 24, 24, 0, 0],
      ['dolly', 16, 16, 0, 0],
      ['extra', 13, 12, 1, 1],
    ]);
    await reconcileCampaign(env.pipeline.services, campaignId);
    env.startWorkers(16);
    await waitFor('the campaign to complete', async () => {
      const s = await campaignStatus(db(), campaignId);
      if (s?.campaign.status === 'failed') throw new Error(`campaign failed: ${s.campaign.message}`);
      return s?.campaign.status === 'completed' ? s : undefined;
    });
  }, 240_000);

  afterAll(async () => {
    await env.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('every item records its source, shard and line; the duplicate names both sources; the bad row its file and line', async () => {
    const items = (
      await db().execute<{ instruction: string; input: string; source: string; source_shard: number | null; source_line: number; duplicate_sources: string[] | null }>(
        sql`select instruction, input, source, source_shard, source_line, duplicate_sources from items where campaign_id = ${campaignId} and origin = 'seed' order by seq`,
      )
    ).rows;
    expect(items).toHaveLength(52);
    expect(items.find((i) => i.instruction === ask('dolly', 4))).toMatchObject({ source: 'dolly', source_shard: null, source_line: 5, input: 'Use an example.' });
    expect(items.find((i) => i.instruction === ask('csv', 0))).toMatchObject({ source: 'extra', source_line: 2 });
    expect(items.find((i) => i.instruction === ask('alpaca', 3))).toMatchObject({ source: 'alpaca', source_line: 4, duplicate_sources: ['alpaca', 'extra'] });
    const errors = (await db().execute<{ file: string; line: number }>(sql`select file, line from import_errors where campaign_id = ${campaignId}`)).rows;
    expect(errors).toEqual([{ file: join(dir, 'extra.csv'), line: 15 }]);
  });

  test('the plan mixes the sources 2:1:1 within the category quotas, or names the source that could not hold', async () => {
    const plan = (await db().execute<{ plan_summary: PlanSummary }>(sql`select plan_summary from rounds where campaign_id = ${campaignId} and round = 1`)).rows[0]!.plan_summary;
    const sources = plan.sources!;
    const total = plan.planned;
    expect(Object.values(sources).reduce((a, s) => a + s.planned, 0)).toBe(total);
    const wanted = { alpaca: sources.alpaca!.wanted!, dolly: sources.dolly!.wanted!, extra: sources.extra!.wanted! };
    expect(wanted.alpaca + wanted.dolly + wanted.extra).toBe(total);
    expect(Math.abs(wanted.alpaca - total / 2)).toBeLessThanOrEqual(1);
    const categories = Object.values(plan.quotas).filter((q) => q > 0).length;
    for (const name of ['alpaca', 'dolly', 'extra'] as const) {
      const off = Math.abs(sources[name]!.planned - wanted[name]);
      // Within rounding (a row per category), or named among the limits with the rows it is off.
      if (off > categories) expect(plan.sourceLimits).toContainEqual(expect.objectContaining({ source: name, planned: sources[name]!.planned }));
    }
    if (sources.extra!.planned > 0.3 * total + 1e-9) expect(plan.sourceLimits!.some((l) => l.source === 'extra' && l.kind === 'above-max')).toBe(true);
    // The category quotas hold whatever the sources do.
    expect(plan.mixAfter).toEqual(Object.fromEntries(Object.entries(plan.quotas).filter(([, q]) => q > 0)));

    const status = await campaignStatus(db(), campaignId);
    expect(status!.sources.map((s) => [s.name, s.items, s.plannedRows, s.wantedRows])).toEqual([
      ['alpaca', expect.any(Number), sources.alpaca!.planned, wanted.alpaca],
      ['dolly', expect.any(Number), sources.dolly!.planned, wanted.dolly],
      ['extra', expect.any(Number), sources.extra!.planned, wanted.extra],
    ]);
  });

  test('the exported stage files hold each source in the planned proportion, and the manifest says so', async () => {
    const outDir = join(dir, 'export');
    await exportCampaign(db(), { campaignId, outDir, format: 'alpaca' });
    const back = await readExportBack(outDir, 1);
    const plan = (await db().execute<{ plan_summary: PlanSummary }>(sql`select plan_summary from rounds where campaign_id = ${campaignId} and round = 1`)).rows[0]!.plan_summary;
    const sourceOf = new Map(
      (await db().execute<{ instruction: string; source: string }>(sql`select i.instruction, coalesce(i.source, s.source) as source from items i left join items s on s.id = i.seed_item_id where i.campaign_id = ${campaignId}`)).rows.map((r) => [r.instruction, r.source]),
    );
    const exported: Record<string, number> = {};
    for (const stage of back.stages) for (const row of stage.rows) exported[sourceOf.get(row.instruction)!] = (exported[sourceOf.get(row.instruction)!] ?? 0) + 1;
    expect(exported).toEqual(Object.fromEntries(Object.entries(plan.sources!).filter(([, s]) => s.planned > 0).map(([name, s]) => [name, s.planned])));
    expect(back.manifest.sources.map((s) => [s.name, s.plannedRows])).toEqual(['alpaca', 'dolly', 'extra'].map((n) => [n, plan.sources![n]!.planned]));
  });

  test('the CLI: --data repeated makes one source per file; sources: with relative paths; both at once is exit 2', async () => {
    const plain = join(dir, 'plain.yaml');
    await writeFile(plain, simConfigYaml(env.simUrl));
    const two = await runTapir(['campaign', 'create', '--config', plain, '--data', join(dir, 'alpaca.jsonl.gz'), '--data', join(dir, 'extra.csv')], env.childEnv);
    expect(two.code).toBe(0);
    expect(two.stdout).toMatch(/imported 36 item\(s\) from 2 sources/);
    expect(two.stdout).toMatch(/alpaca\s+24\s+24\s+0\s+0/);
    const withSources = join(dir, 'with-sources.yaml');
    await writeFile(withSources, simConfigYaml(env.simUrl, 'sources:\n  - { name: only, file: extra.csv, maxRows: 5 }\n'));
    const relative = await runTapir(['campaign', 'create', '--config', withSources], env.childEnv);
    expect(relative.code).toBe(0);
    expect(relative.stdout).toMatch(/imported 5 item\(s\) from .*extra\.csv/);
    const both = await runTapir(['campaign', 'create', '--config', withSources, '--data', join(dir, 'extra.csv')], env.childEnv);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/with-sources\.yaml: sources: names the pool, and so does --data; use one/);
  });
});
