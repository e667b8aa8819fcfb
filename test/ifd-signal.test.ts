import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseCampaignConfig } from '@tapir/core';
import { readExportFile } from '@tapir/formats';
import { BUILT_IN_PROFILES, classifyInstruction, expectedIfd } from '@tapir/llm-sim';
import { exportCampaign } from '@tapir/pipeline';
import { completeCampaign } from './support/complete-campaign';
import { createTestEnv, simConfigYaml, type TestEnv } from './support/test-env';

const SAMPLE = resolve(__dirname, '../samples/seed-pool.jsonl');
const ITEMS = 60;

async function samplePool(n: number): Promise<string> {
  const rows = (await readFile(SAMPLE, 'utf8')).split('\n').filter(Boolean).slice(0, n);
  const file = join(await mkdtemp(join(tmpdir(), 'tapir-ifd-')), 'pool.jsonl');
  await writeFile(file, rows.join('\n') + '\n');
  return file;
}

async function runToCompletion(env: TestEnv, extraYaml: string): Promise<string> {
  return completeCampaign(env, parseCampaignConfig(simConfigYaml(env.simUrl, extraYaml), 'ifd.yaml'), await samplePool(ITEMS));
}

/**
 * IFD as the difficulty signal, end to end: the student's prompt log-probabilities come from the
 * simulator's /v1/completions over HTTP through the OpenAI SDK, IFD = s(A|Q) / s(A) is stored per
 * item and round, and no judge call or student answer is needed.
 */
describe('the IFD difficulty signal', () => {
  let env: TestEnv;

  beforeAll(async () => {
    env = await createTestEnv();
    env.startWorkers();
  });

  afterAll(async () => {
    await env?.close();
  });

  test('signal ifd: every item gets the IFD the student model implies, and no judge or student answer is bought', async () => {
    const campaignId = await runToCompletion(env, 'difficulty: { signal: ifd, ifd: { delta: 0.75, max: 1 } }\ncurriculum: { stages: 2 }');
    const db = env.pipeline.services.db.$client;
    const scores = await db.query<{ instruction: string; ifd: number; conditioned_nll: number; unconditioned_nll: number }>(
      `select i.instruction, f.ifd, f.conditioned_nll, f.unconditioned_nll
         from ifd_scores f join items i on i.id = f.item_id where f.campaign_id = $1 and f.round = 1`,
      [campaignId],
    );
    expect(scores.rows).toHaveLength(ITEMS);
    const profile = BUILT_IN_PROFILES['sim-student']!;
    for (const row of scores.rows) {
      // Stored as real (float4): equal to the formula at single precision.
      expect(row.ifd).toBeCloseTo(row.conditioned_nll / row.unconditioned_nll, 5);
      expect(row.ifd).toBeCloseTo(expectedIfd(profile, 'sim-student', row.instruction), 5);
    }
    // The simulated student is weakest at Math and code: the instruction helps it least there.
    const mean = (rows: typeof scores.rows) => rows.reduce((a, r) => a + r.ifd, 0) / rows.length;
    const weak = scores.rows.filter((r) => ['Math', 'Code Generation', 'Code Debug', 'Reasoning'].includes(classifyInstruction(r.instruction)));
    const rest = scores.rows.filter((r) => !weak.includes(r));
    expect(weak.length).toBeGreaterThan(0);
    expect(mean(weak)).toBeGreaterThan(mean(rest));

    const purposes = await db.query<{ purpose: string }>(`select distinct purpose from llm_calls where campaign_id = $1 order by purpose`, [campaignId]);
    expect(purposes.rows.map((r) => r.purpose)).toEqual(['answer-teacher', 'classify', 'ifd-conditioned', 'ifd-unconditioned', 'refine']);

    const plan = await db.query<{ mfd: number | null; ifd: number; difficulty: number; hard: boolean }>(
      `select mfd, ifd, difficulty, hard from plan_entries where campaign_id = $1 and round = 1`,
      [campaignId],
    );
    expect(plan.rows.length).toBeGreaterThan(0);
    for (const row of plan.rows) {
      expect(row.mfd).toBeNull();
      expect(row.difficulty).toBeCloseTo(row.ifd, 6);
      expect(row.ifd).toBeLessThanOrEqual(1);
      expect(row.hard).toBe(row.ifd >= 0.75);
    }
    const outDir = await mkdtemp(join(tmpdir(), 'tapir-ifd-export-'));
    const { manifest } = await exportCampaign(env.pipeline.services.db, { campaignId, outDir, format: 'alpaca' });
    expect(manifest.difficultySignal).toBe('ifd');
    const exported = (await Promise.all(manifest.stages.map((s) => readExportFile(join(outDir, s.file), 'alpaca')))).flat();
    expect(exported).toHaveLength(plan.rows.length);
    for (const row of exported) {
      expect(row.mfd).toBeNull();
      expect(row.ifd).not.toBeNull();
    }
  });

  test('the second IFD campaign over the same answers is served from the ledger', async () => {
    const campaignId = await runToCompletion(env, 'difficulty: { signal: ifd }\ncurriculum: { stages: 2 }');
    const db = env.pipeline.services.db.$client;
    const calls = await db.query<{ status: string; n: string }>(
      `select status, count(*) as n from llm_calls where campaign_id = $1 and purpose like 'ifd-%' group by status`,
      [campaignId],
    );
    expect(Object.fromEntries(calls.rows.map((r) => [r.status, Number(r.n)]))).toEqual({ served: 2 * ITEMS });
  });

  test('signal both: an item is planned only once judged and scored, and plan rows carry both', async () => {
    const campaignId = await runToCompletion(env, 'difficulty: { signal: both, combine: or }\ncurriculum: { stages: 2 }');
    const db = env.pipeline.services.db.$client;
    const counts = await db.query<{ judged: string; scored: string; measured: string }>(
      `select (select count(*) from judgments where campaign_id = $1 and round = 1) as judged,
              (select count(*) from ifd_scores where campaign_id = $1 and round = 1) as scored,
              (select count(*) from items where campaign_id = $1 and status = 'judged') as measured`,
      [campaignId],
    );
    expect(counts.rows[0]).toEqual({ judged: String(ITEMS), scored: String(ITEMS), measured: String(ITEMS) });
    const plan = await db.query<{ mfd: number | null; ifd: number | null; difficulty: number; hard: boolean }>(
      `select mfd, ifd, difficulty, hard from plan_entries where campaign_id = $1 and round = 1`,
      [campaignId],
    );
    expect(plan.rows.length).toBeGreaterThan(0);
    for (const row of plan.rows) {
      expect(row.mfd).not.toBeNull();
      expect(row.ifd).not.toBeNull();
      expect(row.difficulty).toBeCloseTo(row.mfd!, 6);
      expect(row.hard).toBe(row.mfd! >= 1 || row.ifd! >= 0.75);
    }
  });
});
