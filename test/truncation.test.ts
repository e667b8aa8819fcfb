import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { judgePromptVersion, parseCampaignConfig } from '@tapir/core';
import { readExportFile } from '@tapir/formats';
import { campaignStatus, exportCampaign, retryFailed, type ExportManifest } from '@tapir/pipeline';
import { sql } from 'drizzle-orm';
import { completeCampaign } from './support/complete-campaign';
import { createTestEnv, simConfigYaml, type TestEnv } from './support/test-env';

/**
 * Answers cut off at max_tokens, end to end: the simulator writes an answer of at least N tokens
 * for a prompt holding [llm-sim:answer-tokens=N] and cuts it at max_tokens as providers do. The
 * teacher's maxTokens is the default 1024, so its re-ask carries 2048 (maxTokensRetry 2):
 * - WHOLE_ON_RETRY asks for 1500 tokens: cut at 1024, whole at 2048, kept; its student answer
 *   (1024) is cut and must reach the referee marked as such;
 * - CUT_TWICE asks for 3000: cut at both budgets, dropped as `truncated`;
 * - the "Long Form" category's refinement template asks for 3000: every refined answer is cut
 *   twice, so those rows fall back to the teacher's (whole) first answer.
 */
const WHOLE_ON_RETRY = 'Describe the water cycle in exhaustive detail, stage by stage. [llm-sim:answer-tokens=1500]';
const CUT_TWICE = 'Write the complete history of the Roman Empire from its founding to its fall. [llm-sim:answer-tokens=3000]';
const PLAIN = [
  'Explain why the sky looks blue during the day.',
  'Give three tips for keeping houseplants healthy.',
  'Summarize the plot of a classic fairy tale in two sentences.',
  'List the planets of the solar system in order from the sun.',
  'Describe how a bicycle gear system works.',
  'Suggest a name for a bakery that sells sourdough bread.',
  'Explain the difference between weather and climate.',
  'Recommend a simple breakfast that is high in protein.',
];
const LONG_FORM = [
  'Describe the life cycle of a butterfly.',
  'Explain how vaccines train the immune system.',
  'Describe what happens during a solar eclipse.',
];
const TEACHER_BUDGET = 1024;
const RETRY_BUDGET = 2048;

describe('answers cut off at max_tokens never become training data', () => {
  let env: TestEnv;
  let campaignId: string;
  let manifest: ExportManifest;
  let outDir: string;

  const query = async <T extends Record<string, unknown>>(q: ReturnType<typeof sql>) => (await env.pipeline.services.db.execute<T>(q)).rows;
  const itemId = async (instruction: string) =>
    Number((await query<{ id: number }>(sql`select id from items where campaign_id = ${campaignId} and instruction = ${instruction}`))[0]!.id);
  /** The ledger rows (in order) of one item's requests for one purpose: the budget each carried and how it ended. */
  const calls = async (id: number, purpose: string) =>
    query<{ id: number; max_tokens: number; finish: string; status: string }>(sql`
      select c.id, (c.params->>'maxTokens')::int as max_tokens, coalesce(o.finish_reason, c.finish_reason) as finish, c.status
        from llm_calls c left join llm_calls o on o.id = c.served_from_call_id
       where c.item_id = ${id} and c.purpose = ${purpose} order by c.id`);

  beforeAll(async () => {
    env = await createTestEnv();
    const dir = await mkdtemp(join(tmpdir(), 'tapir-truncation-'));
    const dataFile = join(dir, 'pool.jsonl');
    const rows = [
      ...[...PLAIN, WHOLE_ON_RETRY, CUT_TWICE].map((instruction) => ({ instruction, input: '', category: 'Others' })),
      ...LONG_FORM.map((instruction) => ({ instruction, input: '', category: 'Long Form' })),
    ];
    await writeFile(dataFile, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
    const config = parseCampaignConfig(
      simConfigYaml(
        env.simUrl,
        [
          'taxonomy: { categories: [ { name: Others, weight: 0.75 }, { name: Long Form, weight: 0.25 } ] }',
          'selection: { delta: 1, easyShare: 0.99 }',
          'rounds: { count: 1 }',
          'curriculum: { stages: 2 }',
          'refine:',
          '  prompts:',
          '    Long Form: "Answer as a long-form article. [llm-sim:answer-tokens=3000]\\n\\n{instruction}"',
        ].join('\n'),
      ),
      'truncation.yaml',
    );
    expect(config.models.teacher.maxTokens).toBe(TEACHER_BUDGET);
    expect(config.models.teacher.maxTokensRetry).toBe(2);
    campaignId = await completeCampaign(env, config, dataFile, () => env.startWorkers());
    outDir = await mkdtemp(join(tmpdir(), 'tapir-truncation-export-'));
    manifest = (await exportCampaign(env.pipeline.services.db, { campaignId, outDir, format: 'alpaca' })).manifest;
  });

  afterAll(async () => {
    await env?.close();
  });

  test('the simulator saw every cut teacher answer asked again once, with twice the budget', () => {
    const teacherAnswers = env.sim.requests().filter((r) => r.model === 'sim-teacher' && r.kind === 'answer');
    const at = (budget: number, finish?: string) =>
      teacherAnswers.filter((r) => r.maxTokens === budget && (finish === undefined || r.finishReasons[0] === finish)).length;
    expect(new Set(teacherAnswers.map((r) => r.maxTokens))).toEqual(new Set([TEACHER_BUDGET, RETRY_BUDGET]));
    // Cut at 1024: WHOLE_ON_RETRY's and CUT_TWICE's answers, WHOLE_ON_RETRY's refinement, the three Long Form refinements.
    expect(at(TEACHER_BUDGET, 'length')).toBe(6);
    expect(at(RETRY_BUDGET)).toBe(at(TEACHER_BUDGET, 'length'));
    // Still cut at 2048: CUT_TWICE's answer and the three Long Form refinements.
    expect(at(RETRY_BUDGET, 'length')).toBe(4);
  });

  test('an answer whole on the re-ask is kept: its stored answer is the 2048-token request', async () => {
    const id = await itemId(WHOLE_ON_RETRY);
    const asked = await calls(id, 'answer-teacher');
    expect(asked.map((c) => [c.max_tokens, c.finish])).toEqual([
      [TEACHER_BUDGET, 'length'],
      [RETRY_BUDGET, 'stop'],
    ]);
    const [teacher] = await query<{ llm_call_id: number }>(sql`select llm_call_id from answers where item_id = ${id} and kind = 'teacher'`);
    expect(Number(teacher!.llm_call_id)).toBe(Number(asked[1]!.id));
    const [item] = await query<{ status: string; planned: boolean }>(
      sql`select status, exists (select 1 from plan_entries p where p.item_id = ${id}) as planned from items where id = ${id}`,
    );
    expect(item).toEqual({ status: 'judged', planned: true });
  });

  test('an answer still cut on the re-ask drops its item as truncated, out of the plan and the files', async () => {
    const id = await itemId(CUT_TWICE);
    expect((await calls(id, 'answer-teacher')).map((c) => [c.max_tokens, c.finish])).toEqual([
      [TEACHER_BUDGET, 'length'],
      [RETRY_BUDGET, 'length'],
    ]);
    const [item] = await query<{ status: string; fail_step: string; fail_reason: string }>(sql`select status, fail_step, fail_reason from items where id = ${id}`);
    expect(item).toEqual({ status: 'failed', fail_step: 'answer-teacher', fail_reason: `truncated: cut off at max_tokens ${TEACHER_BUDGET}, then ${RETRY_BUDGET}` });
    expect(await query(sql`select 1 from answers where item_id = ${id} and kind = 'teacher'`)).toHaveLength(0);
    expect(await query(sql`select 1 from plan_entries where item_id = ${id}`)).toHaveLength(0);
    expect(manifest.truncated.teacherAnswers).toBe(1);
  });

  test('the referee is shown the cut student answer marked as cut, in both orders, and no other', async () => {
    const judged = await query<{ instruction: string; prompt_version: string; detail: { forward: { replies: string[] }; swapped: { replies: string[] } } }>(sql`
      select i.instruction, j.prompt_version, j.detail from judgments j join items i on i.id = j.item_id where j.campaign_id = ${campaignId}`);
    expect(judged).toHaveLength(PLAIN.length + 1 + LONG_FORM.length);
    for (const j of judged) {
      // simConfigYaml's judge is anthropic, so structuredOutput auto asks through a forced tool.
      expect(j.prompt_version).toBe(judgePromptVersion('tool'));
      const forward = j.detail.forward.replies.join('\n');
      const swapped = j.detail.swapped.replies.join('\n');
      if (j.instruction === WHOLE_ON_RETRY) {
        // The student's answer is Assistant 2 in the forward order and Assistant 1 swapped.
        expect(forward).toContain("Assistant 2's answer was cut off at the length limit");
        expect(swapped).toContain("Assistant 1's answer was cut off at the length limit");
        expect(forward).not.toContain("Assistant 1's answer was cut off");
      } else {
        expect(forward + swapped).not.toContain('cut off');
      }
    }
    const studentCalls = await calls(await itemId(WHOLE_ON_RETRY), 'answer-student');
    expect(studentCalls.map((c) => c.finish)).toEqual(['length']);
  });

  test('no exported row holds a cut answer: each output comes from a ledger call that ended on its own', async () => {
    const finishOf = new Map(
      (
        await query<{ instruction: string; kind: string; text: string; finish: string | null }>(sql`
          select i.instruction, a.kind, a.text, coalesce(o.finish_reason, c.finish_reason) as finish
            from answers a join items i on i.id = a.item_id
            left join llm_calls c on c.id = a.llm_call_id left join llm_calls o on o.id = c.served_from_call_id
           where a.campaign_id = ${campaignId} and a.kind in ('teacher', 'refined')`)
      ).map((a) => [`${a.instruction}\u0000${a.text}`, { kind: a.kind, finish: a.finish }]),
    );
    const cutTexts = new Set(
      (await query<{ response_text: string }>(sql`select response_text from llm_calls where campaign_id = ${campaignId} and finish_reason = 'length'`)).map((r) => r.response_text),
    );
    let rows = 0;
    let longFormRows = 0;
    for (const stage of manifest.stages) {
      for (const row of await readExportFile(join(outDir, stage.file), 'alpaca')) {
        rows++;
        expect(row.instruction).not.toBe(CUT_TWICE);
        const source = finishOf.get(`${row.instruction}\u0000${row.output}`);
        expect(source).toBeDefined();
        expect(source!.finish).toBe('stop');
        expect(cutTexts.has(row.output)).toBe(false);
        // The Long Form refinements were cut twice: their rows carry the teacher's first answer, counted as fallbacks.
        if (LONG_FORM.includes(row.instruction)) {
          longFormRows++;
          expect(source!.kind).toBe('teacher');
        } else expect(source!.kind).toBe('refined');
      }
    }
    expect(rows).toBe(manifest.totalRows);
    expect(longFormRows).toBeGreaterThan(0);
    expect(manifest.stages.reduce((a, s) => a + s.refineFallbacks, 0)).toBe(longFormRows);
    expect(manifest.truncated).toEqual({ teacherAnswers: 1, refinements: LONG_FORM.length, expansions: 0 });
    const reasons = await query<{ fail_reason: string }>(
      sql`select fail_reason from items where campaign_id = ${campaignId} and fail_step = 'refine' order by id`,
    );
    expect(reasons.map((r) => r.fail_reason)).toEqual(LONG_FORM.map(() => `truncated: cut off at max_tokens ${TEACHER_BUDGET}, then ${RETRY_BUDGET}`));
  });

  test('a cut refined answer stored before the steps dropped them is still not exported', async () => {
    // As a campaign from before this change would hold it: the cut 2048-token refinement stored as the refined answer.
    const id = await itemId(LONG_FORM[0]!);
    const cut = (await calls(id, 'refine')).at(-1)!;
    expect(cut.finish).toBe('length');
    await env.pipeline.services.db.execute(sql`
      insert into answers (campaign_id, item_id, kind, round, text, source, model, prompt_version, llm_call_id)
      select ${campaignId}, ${id}, 'refined', 0, response_text, 'llm', model, prompt_version, id from llm_calls where id = ${cut.id}`);
    const legacyDir = await mkdtemp(join(tmpdir(), 'tapir-truncation-legacy-'));
    const again = (await exportCampaign(env.pipeline.services.db, { campaignId, outDir: legacyDir, format: 'alpaca' })).manifest;
    expect(again.totalRows).toBe(manifest.totalRows);
    expect(again.stages.reduce((a, s) => a + s.refineFallbacks, 0)).toBe(manifest.stages.reduce((a, s) => a + s.refineFallbacks, 0));
    const [teacher] = await query<{ text: string }>(sql`select text from answers where item_id = ${id} and kind = 'teacher'`);
    const outputs = (await Promise.all(again.stages.map((s) => readExportFile(join(legacyDir, s.file), 'alpaca')))).flat().filter((r) => r.instruction === LONG_FORM[0]);
    expect(outputs.length).toBeGreaterThan(0);
    for (const row of outputs) expect(row.output).toBe(teacher!.text);
    await env.pipeline.services.db.execute(sql`delete from answers where item_id = ${id} and kind = 'refined'`);
  });

  test('tapir status counts the truncated failures under their own reason, per step', async () => {
    const status = (await campaignStatus(env.pipeline.services.db, campaignId))!;
    const reason = `truncated: cut off at max_tokens ${TEACHER_BUDGET}, then ${RETRY_BUDGET}`;
    const truncated = status.failures.filter((f) => f.reason === reason).map((f) => [f.step, f.count]);
    expect(truncated.sort()).toEqual([
      ['answer-teacher', 1],
      ['refine', LONG_FORM.length],
    ]);
  });

  test('retry-failed leaves truncated items and refinements alone: the ledger would serve the same cut answer', async () => {
    const result = await retryFailed(env.pipeline.services, campaignId);
    expect(result).toEqual({ items: 0, refinements: 0, replanned: false });
    const [item] = await query<{ status: string }>(sql`select status from items where id = ${await itemId(CUT_TWICE)}`);
    expect(item!.status).toBe('failed');
    const refines = await query<{ refine_status: string }>(
      sql`select distinct refine_status from plan_entries p join items i on i.id = p.item_id where i.category = 'Long Form' and p.campaign_id = ${campaignId}`,
    );
    expect(refines).toEqual([{ refine_status: 'failed' }]);
  });
});

/**
 * A new instruction cut off at max_tokens rejects that expansion candidate. Every Math seed holds
 * [llm-sim:instruction-tokens=3000]: its own answers are of the usual length, but every new
 * instruction the teacher writes from it is cut at 1024 and again at 2048.
 */
describe('a new instruction cut off at max_tokens rejects its expansion candidate', () => {
  const MARK = '[llm-sim:instruction-tokens=3000]';
  const MATH_SEEDS = [
    'Solve for x: 3x + 7 = 22.',
    'What is the derivative of x^3 - 4x^2 + 2x with respect to x?',
    'Calculate the area of a circle with a radius of 7 centimetres.',
    'Find the greatest common divisor of 84 and 126.',
  ].map((s) => `${s} ${MARK}`);
  let env: TestEnv;
  let campaignId: string;
  let manifest: ExportManifest;

  beforeAll(async () => {
    env = await createTestEnv();
    const dataFile = join(await mkdtemp(join(tmpdir(), 'tapir-truncation-expand-')), 'pool.jsonl');
    const rows = [
      ...MATH_SEEDS.map((instruction) => ({ instruction, category: 'Math' })),
      ...PLAIN.map((instruction) => ({ instruction, category: 'Others' })),
    ];
    await writeFile(dataFile, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
    const config = parseCampaignConfig(
      simConfigYaml(
        env.simUrl,
        [
          'taxonomy: { categories: [ { name: Math, weight: 0.5 }, { name: Others, weight: 0.5 } ] }',
          'rebalance: { targetSize: 16, maxRepeats: 3 }',
          'rounds: { count: 1, hardShare: [1] }',
          'expansion: { enabled: true, oversample: 1, maxPasses: 1 }',
        ].join('\n'),
      ),
      'truncation-expand.yaml',
    );
    campaignId = await completeCampaign(env, config, dataFile, () => env.startWorkers());
    const outDir = await mkdtemp(join(tmpdir(), 'tapir-truncation-expand-export-'));
    manifest = (await exportCampaign(env.pipeline.services.db, { campaignId, outDir, format: 'alpaca' })).manifest;
  });

  afterAll(async () => {
    await env?.close();
  });

  test('every candidate from a marked seed was asked twice, cut twice, and rejected as truncated; the manifest counts them', async () => {
    const { rows } = await env.pipeline.services.db.execute<{ id: number; status: string; reason: string | null; seed: string; budgets: Array<[number, string]> }>(sql`
      select e.id, e.status, e.reason, i.instruction as seed,
             (select json_agg(json_build_array((c.params->>'maxTokens')::int, coalesce(o.finish_reason, c.finish_reason)) order by c.id)
                from llm_calls c left join llm_calls o on o.id = c.served_from_call_id
               where c.purpose = 'expand' and c.item_id = e.seed_item_id and c.params->>'seed' = (
                     select params->>'seed' from llm_calls where id = e.llm_call_id)) as budgets
        from expansions e join items i on i.id = e.seed_item_id
       where e.campaign_id = ${campaignId}`);
    const fromMarked = rows.filter((r) => r.seed.includes(MARK));
    expect(fromMarked.length).toBeGreaterThan(0);
    for (const r of fromMarked) {
      expect(r.status).toBe('rejected');
      expect(r.reason).toBe(`truncated: cut off at max_tokens ${TEACHER_BUDGET}, then ${RETRY_BUDGET}`);
      expect(r.budgets).toEqual([
        [TEACHER_BUDGET, 'length'],
        [RETRY_BUDGET, 'length'],
      ]);
    }
    expect(manifest.truncated.expansions).toBe(fromMarked.length);

    const expands = env.sim.requests().filter((r) => r.kind === 'expand');
    const cutFirst = expands.filter((r) => r.maxTokens === TEACHER_BUDGET && r.finishReasons[0] === 'length').length;
    expect(expands.filter((r) => r.maxTokens === RETRY_BUDGET)).toHaveLength(cutFirst);
    expect(cutFirst).toBeGreaterThanOrEqual(fromMarked.length);
  });
});
