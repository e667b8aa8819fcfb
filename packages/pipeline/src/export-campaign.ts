import { cleanCounts } from './clean-counts';
import { mkdir, unlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { campaignConfigSchema, roundLimits, summarize, TRUNCATED_REASON_LIKE, type CategoryFill, type PlanSummary } from '@tapir/core';
import { importedSourceOrder, itemSourceFile, itemsBySource, sourceStatuses, type SourceStatus } from './source-report';
import { ledgerTotals, type LedgerTotals } from './ledger-usage';
import { roundMeasurements } from './round-measurements';
import { campaigns, exportsTable, rounds, type Db } from '@tapir/db';
import {
  bareOpenaiRow,
  CHECKED_AGAINST,
  exportRowId,
  formatExportRow,
  JsonlWriter,
  llamaFactoryDatasetInfo,
  parquetFileName,
  parquetLayout,
  scoreColumns,
  trainingOutput,
  writeParquetStages,
  type CardRound,
  type CardStage,
  type ExportFormat,
} from '@tapir/formats';
import { and, eq, sql } from 'drizzle-orm';
import { lineageLine } from './export-lineage-line';
import { acceptedExpansions, exportPlanPage } from './export-plan-rows';
import { writeTrainerHandoff, type HandoffFiles } from './export-handoff';
import { writeJsonAtomically, type ManifestFile } from './write-file-atomically';

export type { ManifestFile } from './write-file-atomically';

export interface ExportOptions {
  campaignId: string;
  outDir: string;
  format: ExportFormat;
  round?: number;
  /** OpenAI rows with only `messages`, as OpenAI's fine-tuning upload takes them (openai format only). */
  bare?: boolean;
  /** Also write each stage as Parquet (stage-K.parquet). */
  parquet?: boolean;
}

export interface StageManifest extends CardStage {
  file: string;
  /** The stage's Parquet copy (`--parquet`), the same rows in the same order; null without it. */
  parquetFile: string | null;
  mfd: { mean: number | null; min: number | null; max: number | null };
  /** Rows written by the teacher from a topic (origin synthesized). */
  synthesizedRows: number;
  /** Rows that are whole conversations (a system prompt, follow-up turns). */
  conversations: StageConversations;
  /** Planned rows left out because no answer of theirs was whole (a campaign from before cut answers were dropped). */
  truncatedRowsLeftOut: number;
}

/** How much of the stage's conversations its rows carry. */
export interface StageConversations {
  withSystemPrompt: number;
  multiTurn: number;
  /** Follow-up exchanges written (user turn and the teacher's reply in context). */
  followUpTurns: number;
  /** Follow-up turns the items kept but the rows do not carry: the refinement fell back to the
   * teacher's first answer (no refined reply to continue from), or a reply was cut off. */
  followUpTurnsCut: number;
}

/** Answers cut off at the token limit and dropped (`truncated`), so that none became training data. */
export interface ManifestTruncated {
  /** Items whose teacher answer was still cut after the re-ask: out of every round. */
  teacherAnswers: number;
  /** Items of this round's plan whose refined answer was still cut: they fell back to the teacher's answer. */
  refinements: number;
  /** New instructions of this round rejected as cut off. */
  expansions: number;
}

export interface ManifestRound extends CardRound {
  mfdMean: number | null;
  ifdMean: number | null;
  planned: number | null;
  /** How each category's rows were filled (seeds, expansion, synthesis, repeats); absent for rounds planned before issue 16. */
  fill?: Record<string, CategoryFill>;
}

export const LINEAGE_FILE = 'lineage.jsonl';

export interface ExportManifest {
  tool: 'tapir';
  campaignId: string;
  campaignName: string;
  round: number;
  format: ExportFormat;
  /** The rows have only `messages` (`--bare`): id, category and scores are in lineage.jsonl alone. */
  bare: boolean;
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
  truncated: ManifestTruncated;
  /** Items the clean step dropped from the pool before any model saw them, by reason (and contaminated ones by benchmark). */
  clean: { kept: number; dropped: number; droppedByReason: Record<string, number>; contaminatedByBenchmark: Record<string, number> };
  /** lineage.jsonl: one line per row of the stage files, in the same order, matched by `id`. */
  lineage: { file: string; rows: number; rowId: string };
  /** The trainer configs and the dataset card, and the trainer versions they were checked against. */
  handoff: HandoffFiles & { checkedAgainst: typeof CHECKED_AGAINST };
  /** Every file of the export but the manifest itself, by name. */
  files: Record<string, ManifestFile>;
  /** Per source in import order: items, the exported round's hard share, planned and wanted rows (issue 16). */
  sources: SourceStatus[];
  /** The campaign's requests: sent, served from the ledger, and what crashes may have cost
   * (requests abandoned by a stopped worker, and those of them answered again: maybe billed twice). */
  requests: LedgerTotals;
}

/** The campaign or round cannot be exported (yet); the CLI shows the message and exits 1. */
export class ExportNotReadyError extends Error {}

/** The export's options contradict each other; the CLI shows the message and exits 2. */
export class ExportOptionError extends Error {}

const PAGE = 2000;

/**
 * A round that planned no rows (every item failed, or nothing was selected) is refused before
 * anything is written: empty stage files would read as a curriculum of nothing and be trained on.
 */
async function assertRoundHasRows(db: Db, campaignId: string, round: number): Promise<void> {
  const [planned] = (
    await db.execute<{ n: string }>(sql`select count(*) as n from plan_entries where campaign_id = ${campaignId} and round = ${round}`)
  ).rows;
  if (Number(planned?.n ?? 0) > 0) return;
  const failures = (
    // By step and error kind (the reason up to its first ':'): the details differ item by item.
    await db.execute<{ step: string; kind: string; n: string }>(sql`
      select fail_step as step, split_part(fail_reason, ':', 1) as kind, count(*) as n from items
       where campaign_id = ${campaignId} and fail_step is not null
       group by 1, 2 order by count(*) desc, 1, 2 limit 3`)
  ).rows;
  const why =
    failures.length > 0
      ? `its items failed (${failures.map((f) => `${f.n} at ${f.step}: ${f.kind.slice(0, 200)}`).join('; ')}); fix the cause, then \`tapir retry-failed ${campaignId}\` and \`tapir run ${campaignId}\``
      : 'no item was selected (see `tapir status` for the MFD histogram and the selection)';
  throw new ExportNotReadyError(`campaign ${campaignId} round ${round} has no rows to export: ${why}. Nothing was written.`);
}

/**
 * Writes stage-1.jsonl ... stage-K.jsonl (easy to hard), lineage.jsonl, manifest.json and a
 * dataset_info.json for LLaMA-Factory. Rows stream from PostgreSQL page by page. The training
 * target is the refined answer; an item whose refinement failed for good falls back to the
 * teacher's first answer, counted per stage as refineFallbacks. Every row carries its stable id
 * (exportRowId), and its lineage line says where it came from; nothing in either depends on when
 * the export ran, so exporting a round again writes the same bytes (the manifest's exportedAt
 * aside).
 */
export async function exportCampaign(db: Db, opts: ExportOptions): Promise<{ manifest: ExportManifest; files: string[] }> {
  if (opts.bare && opts.format !== 'openai') throw new ExportOptionError(`--bare writes OpenAI rows with only messages; it needs --format openai, not ${opts.format}`);
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
  const summary = roundRow.planSummary as PlanSummary | null;
  const hardShareTarget = summary?.hardShareTarget ?? null;
  const stageCount = Math.max(
    config.curriculum.stages,
    Number((await db.execute<{ k: number }>(sql`select coalesce(max(stage), 0) as k from plan_entries where campaign_id = ${campaign.id} and round = ${round}`)).rows[0]?.k ?? 0),
  );

  await assertRoundHasRows(db, campaign.id, round);

  await mkdir(opts.outDir, { recursive: true });
  const fileOf = (source: string | null, shard: number | null) => itemSourceFile(campaign.importSummary, source, shard);
  const expansions = await acceptedExpansions(db, campaign.id);
  const promptVersions: Record<string, number> = {};
  const stages: StageManifest[] = [];
  const files: string[] = [];
  const described: Record<string, ManifestFile> = {};
  const lineage = new JsonlWriter(join(opts.outDir, LINEAGE_FILE));
  let hasSystem = false;
  let hasHistory = false;
  try {
    for (let stage = 1; stage <= stageCount; stage++) {
      const file = `stage-${stage}.jsonl`;
      const writer = new JsonlWriter(join(opts.outDir, file));
      const perCategory: Record<string, number> = {};
      const mfds: number[] = [];
      const difficulties: number[] = [];
      let hardRows = 0;
      let expandedRows = 0;
      let synthesizedRows = 0;
      const conversations: StageConversations = { withSystemPrompt: 0, multiTurn: 0, followUpTurns: 0, followUpTurnsCut: 0 };
      let fallbacks = 0;
      let truncatedLeftOut = 0;
      let afterPosition = -1;
      try {
        for (;;) {
          const page = await exportPlanPage(db, { campaignId: campaign.id, round, stage }, afterPosition, PAGE);
          for (const row of page) {
            if (row.refined === null && row.teacher === null) throw new ExportNotReadyError(`item ${row.item_id} has neither a refined nor a teacher answer`);
            // A cut answer never trains: the steps drop them before they are stored; this keeps
            // the export honest for answers stored before they did.
            const output = trainingOutput(row.refined_cut ? null : row.refined, row.teacher_cut ? null : row.teacher);
            if (output === null) {
              truncatedLeftOut++;
              continue;
            }
            if (output.from === 'teacher') fallbacks++;
            else promptVersions[row.refined_version ?? 'unknown'] = (promptVersions[row.refined_version ?? 'unknown'] ?? 0) + 1;
            const id = exportRowId({ campaignId: campaign.id, round, stage, itemKey: row.item_key, repeatIndex: row.repeat_index });
            perCategory[row.category] = (perCategory[row.category] ?? 0) + 1;
            if (row.mfd !== null) mfds.push(row.mfd);
            difficulties.push(row.difficulty);
            if (row.hard) hardRows++;
            if (row.origin === 'expanded') expandedRows++;
            if (row.origin === 'synthesized') synthesizedRows++;
            // The follow-up replies continue the refined answer; after a fallback to the teacher's
            // first answer they would answer a conversation the row does not show.
            const followUps = output.from === 'refined' ? (row.follow_ups ?? []) : [];
            if (row.system !== null) conversations.withSystemPrompt++;
            if (followUps.length > 0) conversations.multiTurn++;
            conversations.followUpTurns += followUps.length;
            conversations.followUpTurnsCut += row.follow_up_count - followUps.length;
            hasSystem ||= row.system !== null;
            hasHistory ||= followUps.length > 0;
            const exportRow = {
              id,
              instruction: row.instruction,
              input: row.input,
              output: output.text,
              category: row.category,
              stage,
              mfd: row.mfd,
              ifd: row.ifd,
              itemId: row.item_id,
              system: row.system,
              followUps,
            };
            await writer.write(opts.bare ? bareOpenaiRow(exportRow) : formatExportRow(opts.format, exportRow));
            const expansion = expansions.get(row.item_id) ?? null;
            await lineage.write(lineageLine(row, { id, round, stage, trainingOutput: output.from, fileOf, expansion, followUps }));
          }
          if (page.length < PAGE) break;
          afterPosition = page[page.length - 1]!.position;
        }
        await writer.close();
        described[file] = writer.written;
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
        parquetFile: null,
        count,
        perCategory,
        mfd: { mean: stats.mean, min: stats.min, max: stats.max },
        difficulty: { mean: order.mean, min: order.min, max: order.max },
        hardShareTarget,
        exportedHardShare: count === 0 ? null : Math.round((hardRows / count) * 1000) / 1000,
        expandedRows,
        synthesizedRows,
        conversations,
        refineFallbacks: fallbacks,
        truncatedRowsLeftOut: truncatedLeftOut,
      });
      files.push(join(opts.outDir, file));
    }
    await lineage.close();
  } catch (err) {
    await lineage.abort();
    throw err;
  }
  described[LINEAGE_FILE] = lineage.written;
  files.push(join(opts.outDir, LINEAGE_FILE));

  if (!opts.parquet) {
    // A copy left by an earlier export with --parquet would contradict this one's stage files.
    for (const stage of stages) await unlink(join(opts.outDir, parquetFileName(stage.file))).catch(() => undefined);
  } else {
    const layout = parquetLayout({ format: opts.format, bare: opts.bare ?? false, scores: scoreColumns(config.difficulty.signal) });
    const written = await writeParquetStages(stages.map((stage) => join(opts.outDir, stage.file)), layout);
    stages.forEach((stage, i) => {
      const parquet = written[i]!;
      stage.parquetFile = parquetFileName(stage.file);
      described[stage.parquetFile] = { bytes: parquet.bytes, sha256: parquet.sha256 };
      files.push(parquet.path);
    });
  }

  const history = (await roundMeasurements(db, campaign.id, config)).filter((r) => r.round <= round);
  const summaries = new Map(
    (
      await db
        .select({ round: rounds.round, planSummary: rounds.planSummary })
        .from(rounds)
        .where(eq(rounds.campaignId, campaign.id))
    ).map((r) => [r.round, r.planSummary as PlanSummary | null]),
  );
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
    bare: opts.bare ?? false,
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
      ...manifestShares(summaries.get(r.round) ?? null, r.hardShare),
      mfdMean: r.mfd.mean,
      ifdMean: r.ifd?.mean ?? null,
      planned: r.plan?.planned ?? null,
      ...(summaries.get(r.round)?.fill ? { fill: summaries.get(r.round)!.fill! } : {}),
    })),
    categoryDifficulty,
    totalRows: stages.reduce((a, s) => a + s.count, 0),
    stages,
    truncated: await truncatedCounts(db, campaign.id, round),
    clean: await manifestClean(db, campaign.id),
    lineage: { file: LINEAGE_FILE, rows: lineage.rowsWritten, rowId: '<campaign>:r<round>:s<stage>:<item key>:<repeat index>' },
    handoff: { llamaFactory: null, axolotl: null, datasetCard: '', cardDataFiles: 'jsonl', checkedAgainst: CHECKED_AGAINST },
    files: described,
    requests: await ledgerTotals(db, campaign.id),
    sources: sourceStatuses(importedSourceOrder(campaign.importSummary), await itemsBySource(db, campaign.id), summary),
  };
  const datasetName = (stage: number): string => `tapir_${campaign.id}_r${round}_stage${stage}`;
  const datasetInfo = llamaFactoryDatasetInfo(
    opts.format,
    stages.map((s) => ({ name: datasetName(s.stage), fileName: s.file })),
    { system: hasSystem, history: hasHistory },
  );
  described['dataset_info.json'] = await writeJsonAtomically(join(opts.outDir, 'dataset_info.json'), datasetInfo);
  files.push(join(opts.outDir, 'dataset_info.json'));
  const handoff = await writeTrainerHandoff(
    {
      exportDir: resolve(opts.outDir),
      format: opts.format,
      bare: opts.bare ?? false,
      studentModel: roundRow.studentModel,
      campaignId: campaign.id,
      round,
      stages: stages.map((s) => ({ stage: s.stage, file: s.file, rows: s.count, datasetName: datasetName(s.stage) })),
    },
    manifest,
    opts.parquet ?? false,
  );
  manifest.handoff = { ...handoff.files, checkedAgainst: CHECKED_AGAINST };
  for (const [name, file] of Object.entries(handoff.written)) {
    described[name] = file;
    files.push(join(opts.outDir, name));
  }
  await writeJsonAtomically(join(opts.outDir, 'manifest.json'), manifest);
  files.push(join(opts.outDir, 'manifest.json'));
  await db.insert(exportsTable).values({ campaignId: campaign.id, round, format: opts.format, dir: opts.outDir, manifest });
  return { manifest, files };
}

async function truncatedCounts(db: Db, campaignId: string, round: number): Promise<ManifestTruncated> {
  const [row] = (
    await db.execute<{ teacher: number; refine: number; expand: number }>(sql`
      select (select count(*) from items where campaign_id = ${campaignId} and fail_step = 'answer-teacher'
                 and fail_reason like ${TRUNCATED_REASON_LIKE})::int as teacher,
             (select count(distinct p.item_id) from plan_entries p join items i on i.id = p.item_id
               where p.campaign_id = ${campaignId} and p.round = ${round} and p.refine_status = 'failed'
                 and i.fail_reason like ${TRUNCATED_REASON_LIKE})::int as refine,
             (select count(*) from expansions where campaign_id = ${campaignId} and round = ${round} and status = 'rejected'
                 and reason like ${TRUNCATED_REASON_LIKE})::int as expand`)
  ).rows;
  return { teacherAnswers: Number(row?.teacher ?? 0), refinements: Number(row?.refine ?? 0), expansions: Number(row?.expand ?? 0) };
}

/** A round's three hard shares and its limits. Rounds planned before issue 19 recorded plannedHard
 * and planned but not the share itself, so it is computed from them the same way. */
function manifestShares(summary: PlanSummary | null, poolHardShare: number | null): Pick<ManifestRound, 'hardShareTarget' | 'exportedHardShare' | 'poolHardShare' | 'limitedBy'> {
  const exported = summary === null ? null : (summary.hardShareExported ?? (summary.planned === 0 ? null : Math.round((summary.plannedHard / summary.planned) * 1000) / 1000));
  return {
    hardShareTarget: summary?.hardShareTarget ?? null,
    exportedHardShare: exported,
    poolHardShare,
    limitedBy: summary ? roundLimits(summary) : [],
  };
}

async function manifestClean(db: Db, campaignId: string): Promise<ExportManifest['clean']> {
  const { kept, dropped, droppedByReason, contaminatedByBenchmark } = await cleanCounts(db, campaignId);
  return { kept, dropped, droppedByReason, contaminatedByBenchmark };
}
