import { randomBytes } from 'node:crypto';
import { basename } from 'node:path';
import { configHash, HexKeySet, instructionKey, matchCategory, type CampaignConfig } from '@tapir/core';
import { campaigns, copyRowsIn, copyTextRow, importErrors, rounds, withClientTransaction, type Db } from '@tapir/db';
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
  /** Rows per COPY batch (tests use small batches to cross batch boundaries). */
  batchRows?: number;
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
  /** Conversations: how import.turns treated them (absent in summaries of older campaigns). */
  conversations?: ConversationSummary;
}

export interface ConversationSummary {
  /** import.turns */
  turns: 'first' | 'all';
  /** Items with a system prompt, kept and given to teacher and student. */
  withSystemPrompt: number;
  /** Items whose conversation went on after the first exchange. */
  multiTurn: number;
  /** User turns after the first exchange, in all imported items. */
  followUpTurns: number;
  /** Of those, the ones not imported (import.turns: first): never dropped without this count. */
  followUpTurnsCut: number;
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

/** Rows per COPY: large enough that per-statement costs vanish, small enough to pipeline. */
const DEFAULT_BATCH_ROWS = 5000;
const SAMPLE_LIMIT = 50;
const ITEM_COLUMNS = ['campaign_id', 'seq', 'key', 'instruction', 'input', 'category', 'category_source', 'source_line', 'system', 'follow_ups'] as const;

export function newCampaignId(): string {
  return `c${Date.now().toString(36).slice(-5)}${randomBytes(4).toString('hex')}`;
}

interface PendingAnswer {
  key: string;
  kind: 'teacher' | 'student';
  round: number;
  text: string;
}

/** A batch of new items, COPY-encoded, and the answers that come with them. */
interface Batch {
  rows: string;
  count: number;
  answers: PendingAnswer[];
}

async function loadJoin(file: string | undefined, maxRowBytes: number) {
  if (!file) return undefined;
  const index = await loadAnswerIndex(file, { format: 'auto', maxRowBytes });
  return { file, ...index };
}

function nulField(record: PoolRecord, answers: readonly (string | undefined)[]): string | undefined {
  if (record.instruction.includes('\u0000')) return 'instruction';
  if (record.input.includes('\u0000')) return 'input';
  if (record.category?.includes('\u0000')) return 'category';
  if (record.system?.includes('\u0000')) return 'system prompt';
  if (record.followUps?.some((t) => t.includes('\u0000'))) return 'a follow-up turn';
  if (answers.some((a) => a?.includes('\u0000'))) return 'answer';
  return undefined;
}

/**
 * Creates a campaign and imports its pool in one transaction: either the campaign exists with
 * every good row, or (on any failure, or bad rows under --strict) nothing was written.
 *
 * The campaign is new, so the only duplicates are within the file: they are found here, with a
 * compact set of every key, and the first copy of each row goes to PostgreSQL by COPY while the
 * next batch is parsed. At a million rows the unique index on (campaign, key) is most of what
 * PostgreSQL does; ON CONFLICT and JSON parameters cost more than the rows themselves.
 */
export async function createCampaign(db: Db, opts: ImportOptions): Promise<{ campaignId: string; summary: ImportSummary }> {
  const { config } = opts;
  const batchRows = opts.batchRows ?? DEFAULT_BATCH_ROWS;
  const categoryNames = config.taxonomy.categories.map((c) => c.name);
  const [teacherJoin, studentJoin] = await Promise.all([
    loadJoin(opts.teacherAnswersFile, config.import.maxRowBytes),
    loadJoin(opts.studentAnswersFile, config.import.maxRowBytes),
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
    conversations: { turns: config.import.turns, withSystemPrompt: 0, multiTurn: 0, followUpTurns: 0, followUpTurnsCut: 0 },
  };
  const conversations = summary.conversations!;
  const keepFollowUps = config.import.turns === 'all';

  await withClientTransaction(db, async (client, tx) => {
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

    const seen = new HexKeySet(1 << 16);
    /** Extra copies per key, only for keys seen more than once. */
    const extraCopies = new Map<string, number>();
    let batch: Batch = { rows: '', count: 0, answers: [] };

    const send = async (full: Batch) => {
      await copyRowsIn(client, 'items', ITEM_COLUMNS, full.rows);
      if (full.answers.length === 0) return;
      await tx.execute(sql`
        insert into answers (campaign_id, item_id, kind, round, text, source)
        select ${campaignId}, i.id, a.kind, a.round, a.text, 'import'
          from json_to_recordset(${JSON.stringify(full.answers)}::json) as a(key text, kind text, round int, text text)
          join items i on i.campaign_id = ${campaignId} and i.key = a.key
        on conflict do nothing`);
    };

    let inFlight: Promise<void> = Promise.resolve();
    for await (const event of readPool(opts.dataFile, {
      format: opts.format ?? 'auto',
      maxRowBytes: config.import.maxRowBytes,
      maxInstructionChars: config.import.maxInstructionChars,
    })) {
      if (event.kind === 'error') {
        bad.push({ file: opts.dataFile, line: event.line, message: event.message });
        continue;
      }
      summary.rowsRead++;
      const { record } = event;
      const key = instructionKey(record.instruction, record.input);
      const teacher = record.teacherAnswer ?? teacherJoin?.answers.get(key) ?? (opts.outputAs === 'teacher' ? record.output : undefined);
      const student = record.studentAnswer ?? studentJoin?.answers.get(key) ?? (opts.outputAs === 'student' ? record.output : undefined);
      const withNul = nulField(record, [teacher, student]);
      if (withNul) {
        bad.push({ file: opts.dataFile, line: event.line, message: `${withNul} contains a NUL character (U+0000), which PostgreSQL text cannot store` });
        continue;
      }
      if (!seen.add(key)) {
        summary.duplicates++;
        extraCopies.set(key, (extraCopies.get(key) ?? 0) + 1);
        continue;
      }
      const category = record.category ? matchCategory(record.category, categoryNames) : null;
      if (record.category && !category) summary.categoriesNotInTaxonomy++;
      if (category) summary.categoriesFromData++;
      const followUps = record.followUps ?? [];
      if (record.system !== undefined) conversations.withSystemPrompt++;
      if (followUps.length > 0) {
        conversations.multiTurn++;
        conversations.followUpTurns += followUps.length;
        if (!keepFollowUps) conversations.followUpTurnsCut += followUps.length;
      }
      batch.rows += copyTextRow([
        campaignId,
        summary.imported,
        key,
        record.instruction,
        record.input,
        category,
        category ? 'data' : null,
        event.line,
        record.system ?? null,
        keepFollowUps && followUps.length > 0 ? JSON.stringify(followUps) : null,
      ]);
      batch.count++;
      summary.imported++;
      if (teacher !== undefined) {
        summary.teacherAnswersImported++;
        batch.answers.push({ key, kind: 'teacher', round: 0, text: teacher });
      }
      if (student !== undefined) {
        summary.studentAnswersImported++;
        batch.answers.push({ key, kind: 'student', round: 1, text: student });
      }
      if (batch.count >= batchRows) {
        // Parse and hash the next batch while PostgreSQL takes this one.
        await inFlight;
        inFlight = send(batch);
        inFlight.catch(() => undefined); // awaited below; this only keeps a failure from going unhandled meanwhile
        batch = { rows: '', count: 0, answers: [] };
      }
    }
    await inFlight;
    if (batch.count > 0) await send(batch);

    summary.badRows = bad.length;
    summary.badRowSamples = bad.slice(0, SAMPLE_LIMIT);
    if (bad.length > 0 && opts.strict) throw new ImportRejectedError(bad);
    if (summary.imported === 0) {
      throw new ImportRejectedError(bad, `${opts.dataFile}: no usable rows (${bad.length} bad), no campaign created`);
    }
    const duplicated = [...extraCopies].map(([key, copies]) => ({ key, copies }));
    for (let i = 0; i < duplicated.length; i += batchRows) {
      await tx.execute(sql`
        update items set duplicate_count = d.copies
          from json_to_recordset(${JSON.stringify(duplicated.slice(i, i + batchRows))}::json) as d(key text, copies int)
         where items.campaign_id = ${campaignId} and items.key = d.key`);
    }
    for (let i = 0; i < bad.length; i += batchRows) {
      await tx.insert(importErrors).values(bad.slice(i, i + batchRows).map((b) => ({ campaignId, ...b })));
    }
    await tx.update(campaigns).set({ importSummary: summary }).where(sql`${campaigns.id} = ${campaignId}`);
  });
  return { campaignId, summary };
}
