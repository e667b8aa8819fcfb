import { randomBytes } from 'node:crypto';
import { basename } from 'node:path';
import { configHash, instructionKey, matchCategory, type CampaignConfig } from '@tapir/core';
import { campaigns, importErrors, rounds, type Db } from '@tapir/db';
import { loadAnswerIndex, readPool, type PoolFormat, type PoolRecord } from '@tapir/formats';
import { sql } from 'drizzle-orm';

export type OutputUse = 'none' | 'teacher' | 'student';

export interface ImportOptions {
  config: CampaignConfig;
  dataFile: string;
  format?: PoolFormat | 'auto';
  strict?: boolean;
  teacherAnswersFile?: string;
  studentAnswersFile?: string;
  /** What a row's own `output` is: ignored (default), the teacher's answer or the student's. */
  outputAs?: OutputUse;
}

export interface BadRow {
  file: string;
  line: number;
  message: string;
}

export interface ImportSummary {
  file: string;
  rowsRead: number;
  imported: number;
  duplicates: number;
  badRows: number;
  badRowSamples: BadRow[];
  categoriesFromData: number;
  categoriesNotInTaxonomy: number;
  teacherAnswersImported: number;
  studentAnswersImported: number;
}

/** `--strict` saw bad rows: nothing was written. */
export class ImportRejectedError extends Error {
  constructor(
    readonly badRows: BadRow[],
    headline = `--strict: ${badRows.length} bad row(s), nothing imported:`,
  ) {
    const shown = badRows.slice(0, 20).map((b) => `  ${b.file}:${b.line}: ${b.message}`);
    const more = badRows.length > 20 ? [`  ... and ${badRows.length - 20} more`] : [];
    super([headline, ...shown, ...more].join('\n'));
    this.name = 'ImportRejectedError';
  }
}

const BATCH = 2000;
const SAMPLE_LIMIT = 50;

export function newCampaignId(): string {
  return `c${Date.now().toString(36).slice(-5)}${randomBytes(4).toString('hex')}`;
}

interface PendingRow {
  key: string;
  line: number;
  record: PoolRecord;
  duplicates: number;
}

async function loadJoin(file: string | undefined, format: ImportOptions['format']) {
  if (!file) return undefined;
  const index = await loadAnswerIndex(file, { format: format ?? 'auto' });
  return { file, ...index };
}

/**
 * Creates a campaign and imports its pool in one transaction: either the campaign exists with
 * every good row, or (on any failure, or bad rows under --strict) nothing was written.
 */
export async function createCampaign(db: Db, opts: ImportOptions): Promise<{ campaignId: string; summary: ImportSummary }> {
  const { config } = opts;
  const categoryNames = config.taxonomy.categories.map((c) => c.name);
  const [teacherJoin, studentJoin] = await Promise.all([
    loadJoin(opts.teacherAnswersFile, 'auto'),
    loadJoin(opts.studentAnswersFile, 'auto'),
  ]);
  const bad: BadRow[] = [];
  for (const join of [teacherJoin, studentJoin]) {
    for (const e of join?.errors ?? []) bad.push({ file: join!.file, line: e.line, message: e.message });
  }

  const campaignId = newCampaignId();
  const summary: ImportSummary = {
    file: opts.dataFile,
    rowsRead: 0,
    imported: 0,
    duplicates: 0,
    badRows: 0,
    badRowSamples: [],
    categoriesFromData: 0,
    categoriesNotInTaxonomy: 0,
    teacherAnswersImported: 0,
    studentAnswersImported: 0,
  };

  await db.transaction(async (tx) => {
    await tx.insert(campaigns).values({
      id: campaignId,
      name: config.name ?? basename(opts.dataFile),
      config,
      configHash: configHash(config),
      seed: config.seed,
      status: 'created',
      budgetUsd: config.budget.maxUsd ?? null,
      budgetTokens: config.budget.maxTokens ?? null,
    });
    await tx.insert(rounds).values({ campaignId, round: 1, studentModel: config.models.student.model });

    let seq = 0;
    let batch = new Map<string, PendingRow>();

    const flush = async () => {
      if (batch.size === 0) return;
      const rows = [...batch.values()];
      batch = new Map();
      const values = rows.map((r) => {
        const category = r.record.category ? matchCategory(r.record.category, categoryNames) : null;
        if (r.record.category && !category) summary.categoriesNotInTaxonomy++;
        return {
          seq: seq++,
          key: r.key,
          instruction: r.record.instruction,
          input: r.record.input,
          category,
          category_source: category ? 'data' : null,
          source_line: r.line,
          duplicate_count: r.duplicates,
        };
      });
      // The whole batch travels as one JSON parameter: one round trip, no per-value query
      // building (drizzle's builder was most of the import's time).
      const inserted = (
        await tx.execute<{ id: number; key: string; category: string | null; inserted: boolean }>(sql`
          insert into items (campaign_id, seq, key, instruction, input, category, category_source, source_line, duplicate_count)
          select ${campaignId}, r.seq, r.key, r.instruction, r.input, r.category, r.category_source, r.source_line, r.duplicate_count
            from jsonb_to_recordset(${JSON.stringify(values)}::jsonb)
                 as r(seq int, key text, instruction text, input text, category text, category_source text, source_line int, duplicate_count int)
          on conflict (campaign_id, key) do update set duplicate_count = items.duplicate_count + excluded.duplicate_count + 1
          returning id, key, category, (xmax = 0) as inserted`)
      ).rows;
      const idByKey = new Map(inserted.map((r) => [r.key, r]));
      const answerRows: { item_id: number; kind: string; round: number; text: string }[] = [];
      for (const r of rows) {
        const row = idByKey.get(r.key)!;
        if (!row.inserted) {
          summary.duplicates += 1 + r.duplicates;
          continue;
        }
        summary.imported++;
        summary.duplicates += r.duplicates;
        if (row.category) summary.categoriesFromData++;
        const teacher =
          r.record.teacherAnswer ?? teacherJoin?.answers.get(r.key) ?? (opts.outputAs === 'teacher' ? r.record.output : undefined);
        const student =
          r.record.studentAnswer ?? studentJoin?.answers.get(r.key) ?? (opts.outputAs === 'student' ? r.record.output : undefined);
        if (teacher !== undefined) {
          summary.teacherAnswersImported++;
          answerRows.push({ item_id: row.id, kind: 'teacher', round: 0, text: teacher });
        }
        if (student !== undefined) {
          summary.studentAnswersImported++;
          answerRows.push({ item_id: row.id, kind: 'student', round: 1, text: student });
        }
      }
      if (answerRows.length > 0) {
        await tx.execute(sql`
          insert into answers (campaign_id, item_id, kind, round, text, source)
          select ${campaignId}, a.item_id, a.kind, a.round, a.text, 'import'
            from jsonb_to_recordset(${JSON.stringify(answerRows)}::jsonb) as a(item_id int, kind text, round int, text text)
          on conflict do nothing`);
      }
    };

    let inFlight: Promise<void> = Promise.resolve();
    for await (const event of readPool(opts.dataFile, { format: opts.format ?? 'auto' })) {
      if (event.kind === 'error') {
        bad.push({ file: opts.dataFile, line: event.line, message: event.message });
        continue;
      }
      summary.rowsRead++;
      const key = instructionKey(event.record.instruction, event.record.input);
      const seen = batch.get(key);
      if (seen) seen.duplicates++;
      else batch.set(key, { key, line: event.line, record: event.record, duplicates: 0 });
      if (batch.size >= BATCH) {
        // Parse and hash the next batch while PostgreSQL inserts this one.
        await inFlight;
        inFlight = flush();
        inFlight.catch(() => undefined); // awaited below; this only keeps a failure from going unhandled meanwhile
      }
    }
    await inFlight;
    await flush();

    summary.badRows = bad.length;
    summary.badRowSamples = bad.slice(0, SAMPLE_LIMIT);
    if (bad.length > 0 && opts.strict) throw new ImportRejectedError(bad);
    if (summary.imported === 0) {
      throw new ImportRejectedError(bad, `${opts.dataFile}: no usable rows (${bad.length} bad), no campaign created`);
    }
    for (let i = 0; i < bad.length; i += BATCH) {
      await tx.insert(importErrors).values(bad.slice(i, i + BATCH).map((b) => ({ campaignId, ...b })));
    }
    await tx.update(campaigns).set({ importSummary: summary }).where(sql`${campaigns.id} = ${campaignId}`);
  });
  return { campaignId, summary };
}
