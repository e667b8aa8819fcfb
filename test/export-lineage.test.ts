import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseCampaignConfig } from '@tapir/core';
import { parseExportRowId, readExportFile, type ExportFormat, type LineageRecord } from '@tapir/formats';
import { exportCampaign, type ExportManifest, type ItemStory } from '@tapir/pipeline';
import { sql } from 'drizzle-orm';
import { completeCampaign } from './support/complete-campaign';
import { runTapir } from './support/run-tapir';
import { createTestEnv, simConfigYaml, type TestEnv } from './support/test-env';
import { MATH_SEEDS } from './support/math-seeds';

const SAMPLE = resolve(__dirname, '../samples/seed-pool.jsonl');
const TARGET = 44;
const CONTEXT_TOKENS = 6000;


interface DbFacts {
  key: string;
  instruction: string;
  refined: string | null;
  teacher: string | null;
  teacherCall: number | null;
  refineStatuses: string[];
}

/**
 * The export read back, row by row, against PostgreSQL: each row's output is the refined answer
 * stored for its item (or, where the refinement failed for good, the teacher's, counted as a
 * refine fallback), each lineage line is its row's, the manifest's digests are the files', and a
 * second export of the same round writes the same bytes. A campaign with expanded items, labels
 * from the data and from the classifier, and refinements that fail for real: the Others
 * category's refine prompt is longer than the simulated teacher's context window.
 */
describe('export lineage, stable row ids and outputs read back', () => {
  let env: TestEnv;
  let campaignId: string;
  let poolFile: string;
  let poolLines: string[];
  const facts = new Map<number, DbFacts>();

  beforeAll(async () => {
    // A judge that often answers out of format: re-asked replies must keep their own ledger calls.
    env = await createTestEnv({ contextTokens: CONTEXT_TOKENS, faults: { malformedJudgeRate: 0.3 } });
    const sampleRows = (await readFile(SAMPLE, 'utf8')).split('\n').filter(Boolean);
    const categories = JSON.parse(await readFile(SAMPLE.replace(/\.jsonl$/, '.categories.json'), 'utf8')) as Record<string, string>;
    const others = sampleRows.filter((_, i) => ['Writing', 'History', 'Literature'].includes(categories[String(i + 1)] ?? '')).slice(0, 34);
    // Every other one names its category, so both label sources are exported.
    const labelled = others.map((row, i) => (i % 2 === 0 ? JSON.stringify({ ...(JSON.parse(row) as object), category: 'Others' }) : row));
    poolLines = [...MATH_SEEDS.map((instruction) => JSON.stringify({ instruction })), ...labelled];
    poolFile = join(await mkdtemp(join(tmpdir(), 'tapir-lineage-')), 'pool.jsonl');
    await writeFile(poolFile, poolLines.join('\n') + '\n');
    const padding = 'Consider every detail of the request carefully before answering. '.repeat(800);
    const config = parseCampaignConfig(
      simConfigYaml(
        env.simUrl,
        [
          'taxonomy: { categories: [ { name: Math, weight: 0.5 }, { name: Others, weight: 0.5 } ] }',
          `rebalance: { targetSize: ${TARGET}, maxRepeats: 2 }`,
          'rounds: { count: 1, hardShare: [0.6] }',
          // Few new instructions, so that repetition fills the rest and repeated rows are exported too.
          'expansion: { enabled: true, oversample: 1, maxPasses: 1, maxPerRound: 4 }',
          `refine: { prompts: { Others: ${JSON.stringify(`${padding}\n\n{instruction}`)} } }`,
        ].join('\n'),
      ),
      'lineage.yaml',
    );
    campaignId = await completeCampaign(env, config, poolFile, () => env.startWorkers());
    const rows = await env.pipeline.services.db.execute<{
      id: number; key: string; instruction: string; refined: string | null; teacher: string | null; teacher_call: number | null; statuses: string[];
    }>(sql`
      select i.id, i.key, i.instruction, r.text as refined, t.text as teacher, t.llm_call_id as teacher_call,
             array(select p.refine_status from plan_entries p where p.item_id = i.id order by p.repeat_index) as statuses
        from items i
        left join answers r on r.item_id = i.id and r.kind = 'refined' and r.round = 0
        left join answers t on t.item_id = i.id and t.kind = 'teacher' and t.round = 0
       where i.campaign_id = ${campaignId}`);
    for (const r of rows.rows) {
      facts.set(r.id, { key: r.key, instruction: r.instruction, refined: r.refined, teacher: r.teacher, teacherCall: r.teacher_call, refineStatuses: r.statuses });
    }
  });

  afterAll(async () => {
    await env?.close();
  });

  async function exportTo(format: ExportFormat): Promise<{ dir: string; manifest: ExportManifest }> {
    const dir = await mkdtemp(join(tmpdir(), `tapir-lineage-${format}-`));
    const { manifest } = await exportCampaign(env.pipeline.services.db, { campaignId, outDir: dir, format });
    return { dir, manifest };
  }

  async function readLineage(dir: string): Promise<LineageRecord[]> {
    return (await readFile(join(dir, 'lineage.jsonl'), 'utf8'))
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as LineageRecord);
  }

  test('the campaign exercises what the export must trace: expansions, repeats, both label sources, failed refinements', async () => {
    const { dir } = await exportTo('alpaca');
    const lineage = await readLineage(dir);
    expect(lineage).toHaveLength(TARGET);
    expect(lineage.some((l) => l.origin === 'expanded')).toBe(true);
    expect(lineage.some((l) => l.repeatIndex > 0)).toBe(true);
    expect(new Set(lineage.map((l) => l.categorySource))).toEqual(new Set(['data', 'classifier']));
    expect(lineage.some((l) => l.trainingOutput === 'teacher')).toBe(true);
    expect(lineage.some((l) => l.trainingOutput === 'refined')).toBe(true);
  });

  test.each(['alpaca', 'sharegpt', 'openai'] as const)(
    '%s: each row outputs its refined answer, or the teacher answer counted as a refine fallback, and its lineage line matches it by id',
    async (format) => {
      const { dir, manifest } = await exportTo(format);
      const lineage = await readLineage(dir);
      expect(manifest.lineage).toMatchObject({ file: 'lineage.jsonl', rows: lineage.length });
      let at = 0;
      let fallbacksSeen = 0;
      for (const stage of manifest.stages) {
        const rows = await readExportFile(join(dir, stage.file), format);
        let fallbacks = 0;
        for (const row of rows) {
          const line = lineage[at++]!;
          expect(line.id).toBe(row.id);
          const fact = facts.get(line.itemId)!;
          expect(parseExportRowId(row.id)).toEqual({ campaignId, round: 1, stage: stage.stage, itemKey: fact.key, repeatIndex: line.repeatIndex });
          expect([line.round, line.stage, line.itemKey, line.category, line.mfd]).toEqual([1, stage.stage, fact.key, row.category, row.mfd]);
          if (fact.refined !== null) {
            expect({ id: row.id, output: row.output }).toEqual({ id: row.id, output: fact.refined });
            expect(line.trainingOutput).toBe('refined');
          } else {
            // Only a refinement that failed for good may fall back, and then it is counted.
            expect(fact.refineStatuses).toContain('failed');
            expect({ id: row.id, output: row.output }).toEqual({ id: row.id, output: fact.teacher });
            expect(line.trainingOutput).toBe('teacher');
            fallbacks++;
          }
          expect(row.instruction.startsWith(fact.instruction)).toBe(true);
        }
        expect({ stage: stage.stage, refineFallbacks: stage.refineFallbacks }).toEqual({ stage: stage.stage, refineFallbacks: fallbacks });
        fallbacksSeen += fallbacks;
      }
      expect(at).toBe(lineage.length);
      expect(fallbacksSeen).toBeGreaterThan(0);
      expect(new Set(lineage.map((l) => l.id)).size).toBe(lineage.length);
    },
  );

  test('lineage lines name the source line, the ledger calls and both judge orders the database holds', async () => {
    const db = env.pipeline.services.db;
    const { dir } = await exportTo('alpaca');
    const lineage = await readLineage(dir);
    const calls = new Map(
      (await db.execute<{ id: number; role: string; purpose: string; item_id: number }>(sql`
        select id, role, purpose, item_id from llm_calls where campaign_id = ${campaignId}`)).rows.map((c) => [c.id, c]),
    );
    const judgments = new Map(
      (await db.execute<{ item_id: number; mfd: number; teacher_score: number; student_score: number }>(sql`
        select item_id, mfd, teacher_score, student_score from judgments where campaign_id = ${campaignId}`)).rows.map((j) => [j.item_id, j]),
    );
    for (const line of lineage) {
      const fact = facts.get(line.itemId)!;
      if (line.origin === 'seed') {
        expect(line.source!.file).toBe(poolFile);
        expect((JSON.parse(poolLines[line.source!.line! - 1]!) as { instruction: string }).instruction).toBe(fact.instruction);
        expect(line.expansion).toBeNull();
      } else {
        expect(line.source).toBeNull();
        const [expansion] = (await db.execute<{ seed_item_id: number; item_id: number }>(sql`
          select seed_item_id, item_id from expansions where id = ${line.expansion!.expansionId}`)).rows;
        expect(expansion).toEqual({ seed_item_id: line.expansion!.seedItemId, item_id: line.itemId });
        expect(calls.get(line.expansion!.callId!)).toMatchObject({ purpose: 'expand', item_id: line.expansion!.seedItemId });
      }
      expect(line.answers.teacher).toMatchObject({ source: 'llm', callId: fact.teacherCall });
      expect(calls.get(line.answers.teacher!.callId!)).toMatchObject({ role: 'teacher', item_id: line.itemId });
      expect(calls.get(line.answers.student!.callId!)).toMatchObject({ role: 'student', item_id: line.itemId });
      if (line.trainingOutput === 'refined') expect(calls.get(line.answers.refined!.callId!)).toMatchObject({ purpose: 'refine', item_id: line.itemId });
      else expect(line.answers.refined).toBeNull();
      const judge = line.judge!;
      for (const id of [...judge.forward.callIds!, ...judge.swapped.callIds!]) expect(calls.get(id)).toMatchObject({ role: 'judge', item_id: line.itemId });
      const stored = judgments.get(line.itemId)!;
      expect((judge.forward.teacher + judge.swapped.teacher) / 2).toBeCloseTo(stored.teacher_score, 4);
      expect((judge.forward.student + judge.swapped.student) / 2).toBeCloseTo(stored.student_score, 4);
      expect(line.mfd).toBeCloseTo(stored.mfd, 4);
    }
  });

  test("each judge call id names the ledger row of the reply in the same place, re-asks included", async () => {
    const db = env.pipeline.services.db;
    const { dir } = await exportTo('alpaca');
    const lineage = await readLineage(dir);
    const responses = new Map(
      (await db.execute<{ id: number; response_text: string | null }>(sql`
        select id, response_text from llm_calls where campaign_id = ${campaignId} and purpose = 'judge'`)).rows.map((c) => [c.id, c.response_text]),
    );
    const details = new Map(
      (await db.execute<{ item_id: number; detail: { forward: { replies: string[] }; swapped: { replies: string[] } } }>(sql`
        select item_id, detail from judgments where campaign_id = ${campaignId}`)).rows.map((j) => [j.item_id, j.detail]),
    );
    let reasked = 0;
    for (const line of lineage) {
      const detail = details.get(line.itemId)!;
      for (const order of ['forward', 'swapped'] as const) {
        const callIds = line.judge![order].callIds!;
        expect(callIds.map((id) => responses.get(id))).toEqual(detail[order].replies);
        if (callIds.length > 1) reasked++;
      }
    }
    expect(reasked).toBeGreaterThan(0);
  });

  test('the manifest gives the size and sha256 of every other file of the export', async () => {
    const { dir, manifest } = await exportTo('sharegpt');
    const names = (await readdir(dir)).filter((n) => n !== 'manifest.json').sort();
    expect(Object.keys(manifest.files).sort()).toEqual(names);
    for (const name of names) {
      const bytes = await readFile(join(dir, name));
      expect({ name, ...manifest.files[name] }).toEqual({ name, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
    }
    const onDisk = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as ExportManifest;
    expect(onDisk.files).toEqual(manifest.files);
  });

  test('exporting the round again writes byte-identical files, the trainer configs naming their own folder; the manifest differs only in exportedAt and those', async () => {
    const first = await exportTo('openai');
    await new Promise((r) => setTimeout(r, 5));
    const second = await exportTo('openai');
    const names = (await readdir(first.dir)).sort();
    expect((await readdir(second.dir)).sort()).toEqual(names);
    // The trainer configs hold the export's absolute path (trainers resolve relative paths from
    // where they are started); with it replaced, they too are the same bytes.
    const placesDir = new Set(['llamafactory.yaml', 'axolotl.yaml']);
    const bytes = async (dir: string, name: string): Promise<string> => {
      const text = (await readFile(join(dir, name))).toString('latin1');
      return placesDir.has(name) ? text.split(dir).join('<export dir>') : text;
    };
    for (const name of names.filter((n) => n !== 'manifest.json')) {
      expect({ name, same: (await bytes(first.dir, name)) === (await bytes(second.dir, name)) }).toEqual({ name, same: true });
    }
    const manifests = await Promise.all([first, second].map(async (e) => JSON.parse(await readFile(join(e.dir, 'manifest.json'), 'utf8')) as ExportManifest));
    expect(manifests[0]!.exportedAt).not.toBe(manifests[1]!.exportedAt);
    const comparable = (m: ExportManifest) => ({ ...m, exportedAt: '', files: Object.fromEntries(Object.entries(m.files).filter(([name]) => !placesDir.has(name))) });
    expect(comparable(manifests[0]!)).toEqual(comparable(manifests[1]!));
  });

  test('tapir show tells an exported row\'s story, as text and JSON, and names an id that does not exist', async () => {
    const { dir } = await exportTo('alpaca');
    const lineage = await readLineage(dir);
    const picks = [lineage.find((l) => l.origin === 'expanded')!, lineage.find((l) => l.trainingOutput === 'teacher')!];
    for (const line of picks) {
      const json = await runTapir(['show', campaignId, '--item', String(line.itemId), '--json'], env.childEnv);
      expect(json.stderr).toBe('');
      expect(json.code).toBe(0);
      const story = JSON.parse(json.stdout) as ItemStory;
      expect(story.item).toMatchObject({ id: line.itemId, key: line.itemKey, origin: line.origin });
      expect(story.item.source).toEqual(line.source);
      expect(story.category).toMatchObject({ label: line.category, source: line.categorySource });
      const planRow = story.plan.find((p) => p.rowId === line.id)!;
      expect(planRow).toMatchObject({ round: 1, stage: line.stage, repeatIndex: line.repeatIndex });
      expect(planRow.difficulty).toBeGreaterThanOrEqual(planRow.stageDifficulty.min);
      expect(planRow.difficulty).toBeLessThanOrEqual(planRow.stageDifficulty.max);
      const fact = facts.get(line.itemId)!;
      expect(story.answers.find((a) => a.kind === 'teacher')).toMatchObject({ callId: fact.teacherCall, text: fact.teacher });
      expect(story.answers.some((a) => a.kind === 'refined')).toBe(line.trainingOutput === 'refined');
      const [judgment] = story.judgments;
      expect(judgment!.forward.replies.map((r) => r.callId)).toEqual(line.judge!.forward.callIds);
      expect(judgment!.swapped.replies.map((r) => r.callId)).toEqual(line.judge!.swapped.callIds);
      expect(judgment!.forward.replies.every((r) => r.text.length > 0)).toBe(true);
      expect([judgment!.forward.teacher, judgment!.swapped.student]).toEqual([line.judge!.forward.teacher, line.judge!.swapped.student]);
      expect(story.calls.map((c) => c.id)).toEqual(expect.arrayContaining([...line.judge!.forward.callIds!, line.answers.teacher!.callId!]));
      if (line.expansion) expect(story.expansion).toMatchObject({ seedItemId: line.expansion.seedItemId, callId: line.expansion.callId });

      const text = await runTapir(['show', campaignId, '--item', String(line.itemId)], env.childEnv);
      expect(text.code).toBe(0);
      expect(text.stdout).toContain(`row id ${line.id}`);
      expect(text.stdout).toContain(`round 1, stage ${line.stage}, repeat ${line.repeatIndex}`);
      expect(text.stdout).toContain(line.origin === 'seed' ? `source: ${poolFile}:${line.source!.line}` : `expanded from item ${line.expansion!.seedItemId}`);
    }

    const missingItem = await runTapir(['show', campaignId, '--item', '987654'], env.childEnv);
    expect(missingItem.code).toBe(1);
    expect(missingItem.stderr).toContain(`campaign ${campaignId} has no item 987654`);
    const missingCampaign = await runTapir(['show', 'cnosuchcampaign', '--item', '1'], env.childEnv);
    expect(missingCampaign.code).toBe(1);
    expect(missingCampaign.stderr).toContain('campaign cnosuchcampaign does not exist');
    const badItem = await runTapir(['show', campaignId, '--item', 'three'], env.childEnv);
    expect(badItem.code).toBe(2);
  });
});

/**
 * The same pool and config imported twice make two campaigns whose items have different serials
 * (items.id) but, the ledger serving the second one's requests with the first one's answers, the
 * same plan. Their row ids then differ only in the campaign part: the id does not depend on
 * the order rows were inserted in.
 */
describe('row ids are built from the rows, not from serials', () => {
  let env: TestEnv;

  beforeAll(async () => {
    env = await createTestEnv();
  });

  afterAll(async () => {
    await env?.close();
  });

  test('two campaigns of the same pool and config export the same ids after their campaign id', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tapir-rowids-'));
    const pool = join(dir, 'pool.jsonl');
    await writeFile(pool, (await readFile(SAMPLE, 'utf8')).split('\n').filter(Boolean).slice(0, 30).join('\n') + '\n');
    const config = parseCampaignConfig(simConfigYaml(env.simUrl, 'rebalance: { targetSize: 36, maxRepeats: 2 }\ncurriculum: { stages: 3 }'), 'rowids.yaml');
    const exported: { campaignId: string; lineage: LineageRecord[] }[] = [];
    for (let run = 0; run < 2; run++) {
      const campaignId = await completeCampaign(env, config, pool, () => (run === 0 ? env.startWorkers() : undefined));
      const out = join(dir, `run-${run}`);
      await exportCampaign(env.pipeline.services.db, { campaignId, outDir: out, format: 'alpaca' });
      const lineage = (await readFile(join(out, 'lineage.jsonl'), 'utf8')).split('\n').filter(Boolean).map((l) => JSON.parse(l) as LineageRecord);
      exported.push({ campaignId, lineage });
    }
    const [first, second] = exported as [(typeof exported)[0], (typeof exported)[0]];
    const withoutCampaign = (e: typeof first) => e.lineage.map((l) => l.id.slice(e.campaignId.length));
    expect(first.lineage).toHaveLength(36);
    expect(first.lineage.some((l) => l.repeatIndex > 0)).toBe(true);
    expect(withoutCampaign(second)).toEqual(withoutCampaign(first));
    // ...where the serials differ: an id made of them would not have matched.
    expect(second.lineage.map((l) => l.itemId)).not.toEqual(first.lineage.map((l) => l.itemId));
  });
});
