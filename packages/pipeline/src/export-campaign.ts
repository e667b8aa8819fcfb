import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { campaignConfigSchema, summarize } from '@tapir/core';
import { ledgerTotals, type LedgerTotals } from './ledger-usage';
import { roundMeasurements } from './round-measurements';
import { campaigns, exportsTable, rounds, type Db } from '@tapir/db';
import { formatExportRow, JsonlWriter, llamaFactoryDatasetInfo, type ExportFormat } from '@tapir/formats';
import { and, eq, sql } from 'drizzle-orm';

export interface ExportOptions {
  campaignId: string;
  outDir: string;
  format: ExportFormat;
  round?: number;
}

export interface StageManifest {
  stage: number;
  file: string;
  count: number;
  perCategory: Record<string, number>;
  mfd: { mean: number | null; min: number | null; max: number | null };
  /** The stage's ordering value (MFD, or IFD when it is the only signal) and its hard share. */
  difficulty: { mean: number | null; min: number | null; max: number | null };
  hardShare: number | null;
  /** Rows written by the teacher in expansion (origin expanded). */
  expandedRows: number;
  refineFallbacks: number;
}

/** One round of the campaign as the manifest records it: which student, and what it measured. */
export interface ManifestRound {
  round: number;
  studentModel: string;
  measured: number;
  hardShare: number | null;
  mfdMean: number | null;
  ifdMean: number | null;
  planned: number | null;
}

export interface ExportManifest {
  tool: 'tapir';
  campaignId: string;
  campaignName: string;
  round: number;
  format: ExportFormat;
  exportedAt: string;
  configHash: string;
  seed: number;
  models: { teacher: string; student: string; judge: string };
  promptVersions: Record<string, number>;
  difficultySignal: string;
  /** Every round up to the exported one, so a user sees how the student progressed. */
  rounds: ManifestRound[];
  /** Per category, the mean MFD (or IFD with IFD alone) of each round up to this one, keyed by round:
   * falling values are the categories the student has learned. */
  categoryDifficulty: Record<string, Record<string, number | null>>;
  totalRows: number;
  stages: StageManifest[];
  /** The campaign's requests: sent, served from the ledger, and what crashes may have cost
   * (requests abandoned by a stopped worker, and those of them answered again: maybe billed twice). */
  requests: LedgerTotals;
}

/** The campaign or round cannot be exported (yet); the CLI shows the message and exits 1. */
export class ExportNotReadyError extends Error {}

const PAGE = 2000;

type ExportDbRow = {
  position: number;
  item_id: number;
  category: string;
  mfd: number | null;
  ifd: number | null;
  difficulty: number;
  hard: boolean;
  origin: string;
  instruction: string;
  input: string;
  refined: string | null;
  refined_version: string | null;
  teacher: string | null;
};

/**
 * Writes stage-1.jsonl ... stage-K.jsonl (easy to hard), manifest.json and a dataset_info.json
 * for LLaMA-Factory. Rows stream from PostgreSQL page by page. The training target is the refined
 * answer; an item whose refinement failed for good falls back to the teacher's first answer,
 * counted per stage as refineFallbacks.
 */
export async function exportCampaign(db: Db, opts: ExportOptions): Promise<{ manifest: ExportManifest; files: string[] }> {
  const [campaign] = await db.select().from(campaigns).where(eq(campaigns.id, opts.campaignId));
  if (!campaign) throw new ExportNotReadyError(`campaign ${opts.campaignId} does not exist (see \`tapir list\`)`);
  const round = opts.round ?? campaign.currentRound;
  const [roundRow] = await db
    .select()
    .from(rounds)
    .where(and(eq(rounds.campaignId, campaign.id), eq(rounds.round, round)));
  if (!roundRow?.completedAt) {
    throw new ExportNotReadyError(
      `campaign ${campaign.id} round ${round} is not finished (status: ${campaign.status}); run \`tapir run ${campaign.id}\` first`,
    );
  }
  const config = campaignConfigSchema.parse(campaign.config);
  const stageCount = Math.max(
    config.curriculum.stages,
    Number((await db.execute<{ k: number }>(sql`select coalesce(max(stage), 0) as k from plan_entries where campaign_id = ${campaign.id} and round = ${round}`)).rows[0]?.k ?? 0),
  );

  await mkdir(opts.outDir, { recursive: true });
  const promptVersions: Record<string, number> = {};
  const stages: StageManifest[] = [];
  const files: string[] = [];
  for (let stage = 1; stage <= stageCount; stage++) {
    const file = `stage-${stage}.jsonl`;
    const writer = new JsonlWriter(join(opts.outDir, file));
    const perCategory: Record<string, number> = {};
    const mfds: number[] = [];
    const difficulties: number[] = [];
    let hardRows = 0;
    let expandedRows = 0;
    let fallbacks = 0;
    let afterPosition = -1;
    try {
      for (;;) {
        const page = await db.execute<ExportDbRow>(sql`
          select p.position, p.item_id, p.category, p.mfd, p.ifd, p.difficulty, p.hard, i.origin, i.instruction, i.input,
                 r.text as refined, r.prompt_version as refined_version, t.text as teacher
            from plan_entries p
            join items i on i.id = p.item_id
            left join answers r on r.item_id = p.item_id and r.kind = 'refined' and r.round = 0
            left join answers t on t.item_id = p.item_id and t.kind = 'teacher' and t.round = 0
           where p.campaign_id = ${campaign.id} and p.round = ${round} and p.stage = ${stage} and p.position > ${afterPosition}
           order by p.position limit ${PAGE}`);
        for (const row of page.rows) {
          const output = row.refined ?? row.teacher;
          if (output === null) throw new ExportNotReadyError(`item ${row.item_id} has neither a refined nor a teacher answer`);
          if (row.refined === null) fallbacks++;
          else promptVersions[row.refined_version ?? 'unknown'] = (promptVersions[row.refined_version ?? 'unknown'] ?? 0) + 1;
          perCategory[row.category] = (perCategory[row.category] ?? 0) + 1;
          if (row.mfd !== null) mfds.push(row.mfd);
          difficulties.push(row.difficulty);
          if (row.hard) hardRows++;
          if (row.origin === 'expanded') expandedRows++;
          await writer.write(
            formatExportRow(opts.format, {
              instruction: row.instruction,
              input: row.input,
              output,
              category: row.category,
              stage,
              mfd: row.mfd,
              ifd: row.ifd,
              itemId: row.item_id,
            }),
          );
        }
        if (page.rows.length < PAGE) break;
        afterPosition = page.rows[page.rows.length - 1]!.position;
      }
      await writer.close();
    } catch (err) {
      await writer.abort();
      throw err;
    }
    const stats = summarize(mfds);
    const order = summarize(difficulties);
    const count = difficulties.length;
    stages.push({
      stage,
      file,
      count,
      perCategory,
      mfd: { mean: stats.mean, min: stats.min, max: stats.max },
      difficulty: { mean: order.mean, min: order.min, max: order.max },
      hardShare: count === 0 ? null : Math.round((hardRows / count) * 1000) / 1000,
      expandedRows,
      refineFallbacks: fallbacks,
    });
    files.push(join(opts.outDir, file));
  }

  const history = (await roundMeasurements(db, campaign.id, config)).filter((r) => r.round <= round);
  const useIfd = config.difficulty.signal === 'ifd';
  const categoryDifficulty: Record<string, Record<string, number | null>> = {};
  for (const r of history) {
    for (const [category, m] of Object.entries(r.categories)) {
      (categoryDifficulty[category] ??= {})[String(r.round)] = useIfd ? m.ifdMean : m.mfdMean;
    }
  }
  const manifest: ExportManifest = {
    tool: 'tapir',
    campaignId: campaign.id,
    campaignName: campaign.name,
    round,
    format: opts.format,
    exportedAt: new Date().toISOString(),
    configHash: campaign.configHash,
    seed: campaign.seed,
    models: { teacher: config.models.teacher.model, student: roundRow.studentModel, judge: config.models.judge.model },
    promptVersions,
    difficultySignal: config.difficulty.signal,
    rounds: history.map((r) => ({
      round: r.round,
      studentModel: r.studentModel,
      measured: r.measured,
      hardShare: r.hardShare,
      mfdMean: r.mfd.mean,
      ifdMean: r.ifd?.mean ?? null,
      planned: r.plan?.planned ?? null,
    })),
    categoryDifficulty,
    totalRows: stages.reduce((a, s) => a + s.count, 0),
    stages,
    requests: await ledgerTotals(db, campaign.id),
  };
  const datasetInfo = llamaFactoryDatasetInfo(
    opts.format,
    stages.map((s) => ({ name: `tapir_${campaign.id}_r${round}_stage${s.stage}`, fileName: s.file })),
  );
  await writeJsonAtomically(join(opts.outDir, 'dataset_info.json'), datasetInfo);
  await writeJsonAtomically(join(opts.outDir, 'manifest.json'), manifest);
  files.push(join(opts.outDir, 'dataset_info.json'), join(opts.outDir, 'manifest.json'));
  await db.insert(exportsTable).values({ campaignId: campaign.id, round, format: opts.format, dir: opts.outDir, manifest });
  return { manifest, files };
}

async function writeJsonAtomically(path: string, value: unknown): Promise<void> {
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, JSON.stringify(value, null, 2) + '\n');
  await rename(temp, path);
}
