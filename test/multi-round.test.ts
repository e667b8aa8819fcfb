import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { BUILT_IN_PROFILES, fineTunedProfile, type ModelProfile } from '@tapir/llm-sim';
import { readExportFile } from '@tapir/formats';
import type { CampaignStatus, ExportManifest } from '@tapir/pipeline';
import { readExportBack, type ReadBack } from './support/read-back';
import { runTapir } from './support/run-tapir';
import { createTestEnv, simConfigYaml, type TestEnv } from './support/test-env';

const SAMPLE = resolve(__dirname, '../samples/seed-pool.jsonl');
const ITEMS = 120;

/**
 * The full TAPIR loop as a user runs it: round 1, export, "fine-tune" (a simulator profile that
 * is stronger on the categories the export taught), `tapir round next`, and again. Each round
 * re-measures the pool against the new student; teacher and refined answers are bought once.
 */
describe('a three-round campaign from the CLI', () => {
  let env: TestEnv;
  let dir: string;
  let campaignId: string;
  const trained = new Set<string>();
  const statusAfter: CampaignStatus[] = [];
  const manifests: ExportManifest[] = [];
  const readBack: ReadBack[] = [];

  beforeAll(async () => {
    env = await createTestEnv();
    dir = await mkdtemp(join(tmpdir(), 'tapir-rounds-'));
    const sample = (await readFile(SAMPLE, 'utf8')).split('\n').filter(Boolean).slice(0, ITEMS);
    await writeFile(join(dir, 'pool.jsonl'), sample.join('\n') + '\n');
    await writeFile(join(dir, 'campaign.yaml'), simConfigYaml(env.simUrl, 'rounds: { count: 3 }\ncurriculum: { stages: 3 }'));
  });

  afterAll(async () => {
    await env?.close();
  });

  async function status(): Promise<CampaignStatus> {
    const result = await runTapir(['status', campaignId, '--json'], env.childEnv);
    expect(result.code).toBe(0);
    return JSON.parse(result.stdout) as CampaignStatus;
  }

  async function exportRound(round: number): Promise<ExportManifest> {
    const out = join(dir, `round-${round}`);
    const result = await runTapir(['export', campaignId, '--round', String(round), '--out', out], env.childEnv);
    expect(result.code).toBe(0);
    const manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8')) as ExportManifest;
    for (const stage of manifest.stages) {
      const rows = await readExportFile(join(out, stage.file), 'alpaca');
      expect(rows).toHaveLength(stage.count);
      for (const row of rows) expect(row.mfd).not.toBeNull();
    }
    expect(manifest.round).toBe(round);
    expect(manifest.rounds.map((r) => r.round)).toEqual(Array.from({ length: round }, (_, i) => i + 1));
    // selection.delta is the default, 1.
    readBack.push(await readExportBack(out, 1));
    return manifest;
  }

  /** The simulator's stand-in for fine-tuning: the previous student, better on what it was taught. */
  function retrainedStudent(previous: ModelProfile, manifest: ExportManifest): ModelProfile {
    const taught = new Set(manifest.stages.flatMap((s) => Object.keys(s.perCategory)));
    for (const category of taught) trained.add(category);
    return fineTunedProfile(previous, taught);
  }

  test('round 1 runs, then each registered checkpoint gets its own round', async () => {
    const create = await runTapir(['campaign', 'create', '--config', join(dir, 'campaign.yaml'), '--data', join(dir, 'pool.jsonl')], env.childEnv);
    expect(create.code).toBe(0);
    campaignId = create.stdout.trim().split('\n').pop()!.replace(/^campaign /, '');

    const run = await runTapir(['run', campaignId], env.childEnv);
    expect(run.code).toBe(0);
    statusAfter.push(await status());
    manifests.push(await exportRound(1));

    let profile: ModelProfile = BUILT_IN_PROFILES['sim-student']!;
    for (const round of [2, 3]) {
      profile = retrainedStudent(profile, manifests[manifests.length - 1]!);
      const model = `sim-student-r${round}`;
      env.sim.configure({ models: { [model]: profile } });
      const next = await runTapir(['round', 'next', campaignId, '--student-model', model], env.childEnv);
      expect(next.code).toBe(0);
      expect(next.stdout).toContain(`round ${round}: student ${model}`);
      // The human status shows every round side by side.
      expect(next.stdout).toMatch(/rounds \(\d of 3; difficulty signal mfd\)/);
      statusAfter.push(await status());
      manifests.push(await exportRound(round));
    }

    const final = statusAfter[2]!;
    expect(final.campaign.round).toBe(3);
    expect(final.campaign.status).toBe('completed');
    expect(final.rounds.map((r) => r.studentModel)).toEqual(['sim-student', 'sim-student-r2', 'sim-student-r3']);
    for (const r of final.rounds) {
      expect(r.state).toBe('completed');
      expect(r.measured).toBe(ITEMS);
      expect(r.plan?.planned).toBeGreaterThan(0);
      expect(r.mfd.histogram.reduce((a, b) => a + b.count, 0)).toBe(ITEMS);
    }
    const human = await runTapir(['status', campaignId], env.childEnv);
    process.stdout.write(`\n${human.stdout}\n`);
  });

  test('the hard share of the trained categories falls from round to round', () => {
    const final = statusAfter[2]!;
    const share = (round: number) => {
      const r = final.rounds[round - 1]!;
      let measured = 0;
      let hard = 0;
      for (const [category, m] of Object.entries(r.categories)) {
        if (!trained.has(category)) continue;
        measured += m.measured;
        hard += m.hard;
      }
      return hard / measured;
    };
    expect(trained.size).toBeGreaterThan(3);
    expect(share(2)).toBeLessThan(share(1));
    expect(share(3)).toBeLessThan(share(2));
    // The manifest tells the same story per category.
    const last = manifests[2]!;
    const math = last.categoryDifficulty['Math'];
    expect(math?.['1']).toBeGreaterThan(math?.['3'] ?? Infinity);
    expect(last.rounds.map((r) => r.studentModel)).toEqual(['sim-student', 'sim-student-r2', 'sim-student-r3']);
  });

  test('each round, read back from its stage files, holds its scheduled hard share or names what limited it, and no round shrinks', () => {
    const schedule = [0.3, 0.5, 0.7];
    readBack.forEach((back, i) => {
      const round = back.manifest.rounds[i]!;
      expect(round.round).toBe(i + 1);
      expect(round.hardShareTarget).toBe(schedule[i]);
      expect(round.exportedHardShare).toBe(Math.round(back.share * 1000) / 1000);
      const met = Math.abs(back.share - schedule[i]!) <= 0.02;
      // A missed share is never silent: the manifest names the categories that bound it.
      if (!met) {
        expect({ round: i + 1, share: back.share, limitedBy: round.limitedBy.length > 1 }).toEqual({ round: i + 1, share: back.share, limitedBy: true });
        const named = round.limitedBy.slice(1).map((line) => line.split(':')[0]!);
        const categories = new Set(back.stages.flatMap((s) => s.rows.map((r) => r.category)));
        for (const category of named) expect(categories.has(category)).toBe(true);
      } else expect(round.limitedBy).toEqual([]);
      // Without a configured size a round is never smaller than the one before.
      if (i > 0) expect(back.rows).toBeGreaterThanOrEqual(readBack[i - 1]!.rows);
    });
    expect(readBack).toHaveLength(3);
  });

  test('teacher and refined answers are bought once across all rounds', async () => {
    const db = env.pipeline.services.db.$client;
    const paid = await db.query<{ purpose: string; sent: string; items: string }>(
      `select purpose, count(*) as sent, count(distinct item_id) as items from llm_calls
        where campaign_id = $1 and status <> 'served' and purpose in ('answer-teacher', 'refine') group by purpose`,
      [campaignId],
    );
    for (const row of paid.rows) expect(Number(row.sent)).toBe(Number(row.items));
    const teacher = paid.rows.find((r) => r.purpose === 'answer-teacher');
    expect(Number(teacher?.sent)).toBe(ITEMS);
    // Every round re-asked its own student, once per item.
    const students = await db.query<{ model: string; n: string }>(
      `select model, count(distinct item_id) as n from llm_calls where campaign_id = $1 and purpose = 'answer-student' and status = 'completed' group by model order by model`,
      [campaignId],
    );
    expect(students.rows.map((r) => [r.model, Number(r.n)])).toEqual([
      ['sim-student', ITEMS],
      ['sim-student-r2', ITEMS],
      ['sim-student-r3', ITEMS],
    ]);
  });

  test('a round beyond rounds.count, or before the current one is finished, is refused', async () => {
    const beyond = await runTapir(['round', 'next', campaignId, '--student-model', 'sim-student-r4'], env.childEnv);
    expect(beyond.code).toBe(1);
    expect(beyond.stderr).toContain('rounds.count');
    const fresh = await runTapir(['campaign', 'create', '--config', join(dir, 'campaign.yaml'), '--data', join(dir, 'pool.jsonl')], env.childEnv);
    const freshId = fresh.stdout.trim().split('\n').pop()!.replace(/^campaign /, '');
    const early = await runTapir(['round', 'next', freshId, '--student-model', 'sim-student-r2', '--detach'], env.childEnv);
    expect(early.code).toBe(1);
    expect(early.stderr).toContain('round 1 of campaign');
    expect(early.stderr).toContain('is not finished');
    const badUrl = await runTapir(['round', 'next', campaignId, '--student-model', 'x', '--student-base-url', 'ftp://x'], env.childEnv);
    expect(badUrl.code).toBe(2);
  });
});
