import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCampaignConfig, type PlanSummary } from '@tapir/core';
import { rounds } from '@tapir/db';
import type { LineageRecord } from '@tapir/formats';
import { campaignStatus, exportCampaign, itemStory, type ExportManifest } from '@tapir/pipeline';
import { and, eq, sql } from 'drizzle-orm';
import { completeCampaign } from './support/complete-campaign';
import { createTestEnv, simConfigYaml, type TestEnv } from './support/test-env';
import { MATH_SEEDS } from './support/math-seeds';

const SEEDS = [
  ...MATH_SEEDS,
  'Compute the sum of the first 50 positive integers.',
  'Find the least common multiple of 12 and 18.',
  'What is 15 percent of 240?',
];

const TOPICS = [
  '[Physics]',
  'projectile motion',
  'electric circuits',
  'optics and lenses',
  'energy conservation',
  'magnetism',
  'waves and sound',
  '[Chemistry]',
  'acids and bases',
  'reaction rates',
  'the periodic table',
  'chemical bonding',
  'stoichiometry',
  'redox reactions',
];
const TARGET = 15;

/**
 * Issue 16's synthesis scenario: a taxonomy with two categories that have no seeds (Physics and
 * Chemistry) and synthesis on. The planner asks the teacher for instructions seeded by the
 * user's topics; they are classified and judged like any item; both categories end filled by
 * synthesis, and the topics are read back from the export's lineage.
 */
describe('topic-seeded synthesis fills categories that have no seeds', () => {
  let env: TestEnv;
  let campaignId: string;
  let outDir: string;
  let manifest: ExportManifest;
  let summary: PlanSummary;

  beforeAll(async () => {
    env = await createTestEnv();
    const dir = await mkdtemp(join(tmpdir(), 'tapir-synthesis-'));
    const poolFile = join(dir, 'pool.jsonl');
    const topicsFile = join(dir, 'topics.txt');
    await writeFile(poolFile, SEEDS.map((instruction) => JSON.stringify({ instruction })).join('\n') + '\n');
    await writeFile(topicsFile, TOPICS.join('\n') + '\n');
    const config = parseCampaignConfig(
      simConfigYaml(
        env.simUrl,
        [
          // Others' share of 15 rows rounds to none, so Physics and Chemistry are the categories to fill.
          'taxonomy: { categories: [ { name: Math, weight: 1 }, { name: Physics, weight: 1 }, { name: Chemistry, weight: 1 }, { name: Others, weight: 0.01 } ] }',
          `rounds: { count: 1, hardShare: [0.5], targetSize: ${TARGET} }`,
          'rebalance: { maxRepeats: 2 }',
          `synthesis: { enabled: true, topics: ${JSON.stringify(topicsFile)} }`,
        ].join('\n'),
      ),
      'synthesis.yaml',
    );
    campaignId = await completeCampaign(env, config, poolFile, () => env.startWorkers());
    const [round] = await env.pipeline.services.db
      .select({ planSummary: rounds.planSummary })
      .from(rounds)
      .where(and(eq(rounds.campaignId, campaignId), eq(rounds.round, 1)));
    summary = round!.planSummary as PlanSummary;
    outDir = join(dir, 'export');
    manifest = (await exportCampaign(env.pipeline.services.db, { campaignId, outDir, format: 'alpaca' })).manifest;
  });

  afterAll(async () => {
    await env?.close();
  });

  test('the plan says how each category was filled: Math by its seeds, Physics and Chemistry by synthesis', () => {
    expect(summary.synthesis?.categories).toEqual(['Chemistry', 'Physics']);
    const fill = summary.fill!;
    expect(fill['Math']!.seeds).toBeGreaterThan(0);
    expect(fill['Math']!.synthesis).toBe(0);
    for (const category of ['Physics', 'Chemistry']) {
      expect(fill[category]!.seeds).toBe(0);
      expect(fill[category]!.synthesis).toBeGreaterThan(0);
      // Sizes add up: the category's rows are its synthesized items, expansions and repeats.
      const f = fill[category]!;
      expect(f.seeds + f.expansion + f.synthesis + f.repeats).toBe(summary.mixAfter[category]);
    }
    expect(summary.plannedSynthesized).toBe(fill['Physics']!.synthesis + fill['Chemistry']!.synthesis + fill['Math']!.synthesis + (fill['Others']?.synthesis ?? 0));
  });

  test("the export's rows of both categories are synthesized items whose lineage names a topic from the user's list", async () => {
    const topicLines = new Set(TOPICS.filter((t) => !t.startsWith('[')));
    const lineage = (await readFile(join(outDir, 'lineage.jsonl'), 'utf8'))
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as LineageRecord);
    const rows = new Map<string, { instruction: string; category: string }>();
    for (const stage of manifest.stages) {
      for (const line of (await readFile(join(outDir, stage.file), 'utf8')).split('\n').filter(Boolean)) {
        const row = JSON.parse(line) as { id: string; instruction: string; category: string };
        rows.set(row.id, row);
      }
    }
    for (const category of ['Physics', 'Chemistry']) {
      const lines = lineage.filter((l) => l.category === category);
      expect(lines.length).toBeGreaterThan(0);
      for (const line of lines) {
        expect(line.origin).toBe('synthesized');
        expect(line.source).toBeNull();
        expect(topicLines.has(line.synthesis!.topic)).toBe(true);
        expect(line.synthesis!.callId).not.toBeNull();
        // The row's instruction was written about its topic (the simulator follows it).
        expect(rows.get(line.id)!.instruction).toContain(line.synthesis!.topic);
      }
    }
    // Topics are drawn without replacement: a category's first six requests use its six topics once each.
    const drawn = await env.pipeline.services.db.execute<{ category: string; topics: string[] }>(sql`
      select category, array_agg(topic order by slot) as topics from syntheses
       where campaign_id = ${campaignId} and slot < 6 group by category order by category`);
    expect(drawn.rows.map((r) => [r.category, [...r.topics].sort()])).toEqual([
      ['Chemistry', TOPICS.slice(8).sort()],
      ['Physics', TOPICS.slice(1, 7).sort()],
    ]);
    expect(manifest.stages.reduce((n, s) => n + s.synthesizedRows, 0)).toBe(lineage.filter((l) => l.origin === 'synthesized').length);
    // The manifest and tapir status say how each category was filled, as the plan does.
    expect(manifest.rounds[0]!.fill).toEqual(summary.fill);
    const status = await campaignStatus(env.pipeline.services.db, campaignId);
    expect(status!.categories.fill).toEqual(summary.fill);
  });

  test('tapir show --item tells the topic, audience and form of a synthesized item', async () => {
    const lineage = (await readFile(join(outDir, 'lineage.jsonl'), 'utf8'))
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as LineageRecord);
    const synthesized = lineage.find((l) => l.origin === 'synthesized')!;
    const story = await itemStory(env.pipeline.services.db, campaignId, synthesized.itemId);
    expect(story.synthesis).toMatchObject({ topic: synthesized.synthesis!.topic, audience: synthesized.synthesis!.audience, form: synthesized.synthesis!.form });
  });
});
