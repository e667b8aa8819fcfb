import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCampaignConfig } from '@tapir/core';
import { readPool, type PoolRecord } from '@tapir/formats';
import { campaignStatus, createCampaign, exportCampaign, type ExportManifest } from '@tapir/pipeline';
import { sql } from 'drizzle-orm';
import { completeCampaign } from './support/complete-campaign';
import { createTestEnv, simConfigYaml, type TestEnv } from './support/test-env';

const TOPICS = ['rivers', 'mountains', 'deserts', 'islands', 'forests', 'lakes', 'volcanoes', 'glaciers', 'canyons', 'coasts', 'plains', 'caves'];

/** A 3-turn ShareGPT conversation per topic; every third has no system prompt, so both kinds are in the campaign. */
function conversation(topic: string, i: number): object {
  const turns = [
    `Explain in two sentences how ${topic} are formed on Earth.`,
    `Give one famous example of ${topic} and say where it is.`,
    `Why do ${topic} matter to the people living near them?`,
  ];
  const conversations = turns.flatMap((value, t) => [
    { from: 'human', value },
    { from: 'gpt', value: `original reply ${t + 1} about ${topic}` },
  ]);
  return i % 3 === 2 ? { conversations } : { conversations: [{ from: 'system', value: `You are a geography tutor who loves ${topic}.` }, ...conversations] };
}

async function readRecords(file: string): Promise<PoolRecord[]> {
  const out: PoolRecord[] = [];
  for await (const event of readPool(file, { format: 'sharegpt' })) {
    if (event.kind === 'error') throw new Error(`${file}:${event.line}: ${event.message}`);
    out.push(event.record);
  }
  return out;
}

/**
 * The ShareGPT round trip of issue 16: system prompts and 3-turn conversations are imported whole
 * (import.turns: all), run through a campaign, exported, and read back with tapir's own reader:
 * every row has its system prompt and its three user turns, the first reply is the refined answer
 * and the later ones are the teacher's replies written in context.
 */
describe('conversations: a 3-turn ShareGPT pool with system prompts round-trips', () => {
  let env: TestEnv;
  let campaignId: string;
  let pool: PoolRecord[];
  let outDir: string;
  let manifest: ExportManifest;

  beforeAll(async () => {
    env = await createTestEnv();
    const dir = await mkdtemp(join(tmpdir(), 'tapir-conversations-'));
    const poolFile = join(dir, 'pool.jsonl');
    await writeFile(poolFile, TOPICS.map((t, i) => JSON.stringify(conversation(t, i))).join('\n') + '\n');
    pool = await readRecords(poolFile);
    const config = parseCampaignConfig(
      simConfigYaml(
        env.simUrl,
        [
          'taxonomy: { categories: [ { name: Others, weight: 1 } ] }',
          `rounds: { count: 1, hardShare: [0.5], targetSize: ${TOPICS.length} }`,
          'rebalance: { maxRepeats: 1 }',
          'import: { turns: all }',
        ].join('\n'),
      ),
      'conversations.yaml',
    );
    campaignId = await completeCampaign(env, config, poolFile, () => env.startWorkers());
    outDir = join(dir, 'export');
    manifest = (await exportCampaign(env.pipeline.services.db, { campaignId, outDir, format: 'sharegpt' })).manifest;
  });

  afterAll(async () => {
    await env?.close();
  });

  test('import kept every system prompt and follow-up turn, and status says so', async () => {
    const status = await campaignStatus(env.pipeline.services.db, campaignId);
    expect(status?.items.conversations).toEqual({ turns: 'all', withSystemPrompt: 8, multiTurn: 12, followUpTurns: 24, followUpTurnsCut: 0 });
  });

  test('every exported row reads back with its system prompt, its user turns, and the teacher as every assistant', async () => {
    const db = env.pipeline.services.db;
    const stored = new Map(
      (
        await db.execute<{ instruction: string; refined: string; follow_ups: string[] }>(sql`
          select i.instruction, r.text as refined,
                 coalesce((select array_agg(f.text order by f.turn) from follow_up_answers f where f.item_id = i.id), '{}') as follow_ups
            from items i join answers r on r.item_id = i.id and r.kind = 'refined'
           where i.campaign_id = ${campaignId}`)
      ).rows.map((r) => [r.instruction, r]),
    );
    let rows = 0;
    for (const stage of manifest.stages) {
      const text = await readFile(join(outDir, stage.file), 'utf8');
      const exported = text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as { conversations: { from: string; value: string }[]; system?: string });
      const readBack = await readRecords(join(outDir, stage.file));
      readBack.forEach((record, i) => {
        const original = pool.find((p) => p.instruction === record.instruction)!;
        expect(original).toBeDefined();
        // Equal in structure: the same system prompt and the same user turns in the same order.
        expect(record.system).toEqual(original.system);
        expect(record.followUps).toEqual(original.followUps);
        const answers = stored.get(record.instruction)!;
        const replies = exported[i]!.conversations.filter((c) => c.from === 'gpt').map((c) => c.value);
        // The assistant turns are the teacher's (refined first answer, then replies in context), never the file's.
        expect(replies).toEqual([answers.refined, ...answers.follow_ups]);
        expect(replies.some((r) => r.startsWith('original reply'))).toBe(false);
        expect(exported[i]!.conversations.map((c) => c.from)).toEqual(['human', 'gpt', 'human', 'gpt', 'human', 'gpt']);
        rows++;
      });
    }
    expect(rows).toBe(manifest.totalRows);
    expect(manifest.stages.reduce((n, s) => n + s.conversations.followUpTurns, 0)).toBe(rows * 2);
    expect(manifest.stages.reduce((n, s) => n + s.conversations.followUpTurnsCut, 0)).toBe(0);
    const info = JSON.parse(await readFile(join(outDir, 'dataset_info.json'), 'utf8')) as Record<string, { columns: Record<string, string> }>;
    expect(Object.values(info)[0]!.columns).toEqual({ messages: 'conversations', system: 'system' });
  });

  test('teacher and student got the system prompt on the wire; follow-up requests carried the conversation so far', async () => {
    const withSystem = pool.filter((p) => p.system !== undefined);
    const requests = env.sim.requests();
    const tutor = (r: { system: string }) => r.system.startsWith('You are a geography tutor');
    // Per item with a system prompt: the teacher's answer, its refinement and two follow-ups; the student's answer.
    expect(requests.filter((r) => r.model === 'sim-student' && tutor(r))).toHaveLength(withSystem.length);
    const teacher = requests.filter((r) => r.model === 'sim-teacher' && tutor(r));
    expect(teacher).toHaveLength(withSystem.length * 4);
    // History: 1 message for the answer and the refinement, 3 and 5 for the follow-ups.
    expect(teacher.map((r) => r.turns).sort()).toEqual(withSystem.flatMap(() => [1, 1, 3, 5]).sort());
    // Items without one were asked without any system text, as before issue 16.
    expect(requests.filter((r) => r.model === 'sim-student' && r.system === '')).toHaveLength(pool.length - withSystem.length);
    const db = env.pipeline.services.db;
    const followUpCalls = await db.execute<{ n: number }>(sql`select count(*)::int as n from llm_calls where campaign_id = ${campaignId} and purpose = 'follow-up'`);
    expect(followUpCalls.rows[0]!.n).toBe(pool.length * 2);
  });

  test('import.turns: first imports the same file cutting the follow-ups, and counts what it cut', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tapir-conversations-first-'));
    const poolFile = join(dir, 'pool.jsonl');
    await writeFile(poolFile, TOPICS.map((t, i) => JSON.stringify(conversation(t, i))).join('\n') + '\n');
    const config = parseCampaignConfig(simConfigYaml(env.simUrl, 'taxonomy: { categories: [ { name: Others, weight: 1 } ] }'), 'first.yaml');
    const { summary, campaignId: id } = await createCampaign(env.pipeline.services.db, { config, dataFile: poolFile });
    expect(summary.conversations).toEqual({ turns: 'first', withSystemPrompt: 8, multiTurn: 12, followUpTurns: 24, followUpTurnsCut: 24 });
    const kept = await env.pipeline.services.db.execute<{ n: number }>(
      sql`select count(*)::int as n from items where campaign_id = ${id} and follow_ups is not null`,
    );
    expect(kept.rows[0]!.n).toBe(0);
  });
});
