import { randomBytes } from 'node:crypto';
import { basename, resolve } from 'node:path';
import { setImmediate as setImmediatePromise } from 'node:timers/promises';
import { configHash, HexKeySet, instructionKey, matchCategory, type CampaignConfig, type SourceConfig } from '@tapir/core';
import { campaigns, CopyRowBuffer, copyRowsIn, importErrors, rounds, withClientTransaction, type Db } from '@tapir/db';
import { loadAnswerIndex, readSourceBatches, resolveSourceFiles, type ColumnMapping, type PoolFormat, type PoolRecord } from '@tapir/formats';
import { sourceNameFromFile } from './source-name';
import { sql } from 'drizzle-orm';

export type OutputUse = 'none' | 'teacher' | 'student';

/** One source of the pool, in import (= preference) order. */
export interface ImportSource {
  name: string;
  /** A file or a Hugging Face dataset folder. */
  file: string;
  format?: PoolFormat | 'auto';
  columns?: ColumnMapping;
  split?: string;
  /** The first maxRows good rows (file order, before duplicates collapse). */
  maxRows?: number;
}

export interface ImportOptions {
  config: CampaignConfig;
  /** The pool as one file (one source named after it); ignored when `sources` is given. */
  dataFile?: string;
  /** The pool's sources in preference order (config `sources:`, or several --data). */
  sources?: ImportSource[];
  /** Record format of dataFile. */
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

/** Per source, in the campaign's import summary; `files` is what items' source_shard indexes. */
export interface SourceImportSummary {
  name: string;
  file: string;
  files: string[];
  split?: string;
  rowsRead: number;
  imported: number;
  /** Rows of this source that collapsed into an item already kept (from it or an earlier source). */
  duplicates: number;
  badRows: number;
  /** True when maxRows stopped the reading early. */
  cappedAtMaxRows: boolean;
}

export interface ImportSummary {
  /** The first source's file (the one file before sources existed). */
  file: string;
  sources: SourceImportSummary[];
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
/** Longest stretch of parsing between turns of the event loop (see the read loop). */
const EVENT_LOOP_TURN_MS = 4;
const ITEM_COLUMNS = ['campaign_id', 'seq', 'key', 'instruction', 'input', 'category', 'category_source', 'source', 'source_shard', 'source_line', 'system', 'follow_ups'] as const;

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
  rows: CopyRowBuffer;
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

/** The sources to read: `sources`, else the config's `sources:` (paths as written), else the one dataFile. */
function importSources(opts: ImportOptions): ImportSource[] {
  if (opts.sources && opts.sources.length > 0) return opts.sources;
  const configured = opts.config.sources;
  if (configured && opts.dataFile) {
    throw new Error(`the config's sources: and a data file (${opts.dataFile}) both name the pool; use one`);
  }
  if (configured) return sourcesFromConfig(configured, '.');
  if (!opts.dataFile) throw new Error('createCampaign: give dataFile or sources');
  return [{ name: sourceNameFromFile(opts.dataFile), file: opts.dataFile, format: opts.format ?? 'auto' }];
}

/** The config's `sources:` as import sources, relative paths taken from `baseDir` (the config file's folder). */
export function sourcesFromConfig(configured: readonly SourceConfig[], baseDir: string): ImportSource[] {
  return configured.map((source) => ({
    name: source.name,
    file: resolve(baseDir, source.file),
    format: source.format,
    ...(source.columns ? { columns: source.columns as ColumnMapping } : {}),
    ...(source.split ? { split: source.split } : {}),
    ...(source.maxRows !== undefined ? { maxRows: source.maxRows } : {}),
  }));
}

/** The kept copy of a duplicated key, when a later copy replaced it (see createCampaign). */
interface Replacement {
  key: string;
  source: string;
  shard: number | null;
  line: number;
}

/**
 * Creates a campaign and imports its pool in one transaction: either the campaign exists with
 * every good row, or (on any failure, or bad rows under --strict) nothing was written.
 *
 * Sources are read one after another in their order, each file (a dataset folder's shards one by
 * one) streamed. The campaign is new, so the only duplicates are within the pool: they are found
 * here, with a compact set of every key, and one copy of each row goes to PostgreSQL by COPY while
 * the next batch is parsed. The kept copy of an exact duplicate is the first one read (the
 * earlier source in order, else the earlier row), unless a later copy brings an answer and the
 * kept one has none: then the later copy's answer and origin (source, shard, line) replace it,
 * since an answer is paid-for work. At a million rows the unique index on (campaign, key) is most
 * of what PostgreSQL does; ON CONFLICT and JSON parameters cost more than the rows themselves.
 */
export async function createCampaign(db: Db, opts: ImportOptions): Promise<{ campaignId: string; summary: ImportSummary }> {
  const { config } = opts;
  const sources = importSources(opts);
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
  // Every source's files are listed before anything is read, so a wrong folder or split fails fast.
  const sourceFiles = await Promise.all(sources.map((source) => resolveSourceFiles(source.file, source.split)));

  const campaignId = newCampaignId();
  const summary: ImportSummary = {
    file: sources[0]!.file,
    sources: sources.map((source, i) => ({
      name: source.name,
      file: source.file,
      files: sourceFiles[i]!.files,
      ...(sourceFiles[i]!.split ? { split: sourceFiles[i]!.split } : {}),
      rowsRead: 0,
      imported: 0,
      duplicates: 0,
      badRows: 0,
      cappedAtMaxRows: false,
    })),
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
      name: config.name ?? basename(sources[0]!.file),
      config,
      configHash: configHash(config),
      seed: config.seed,
      status: 'created',
      budgetUsd: config.budget.maxUsd ?? null,
      budgetTokens: config.budget.maxTokens ?? null,
    });
    await tx.insert(rounds).values({ campaignId, round: 1, studentModel: config.models.student.model });

    const seen = new HexKeySet(1 << 16);
    /** Keys whose kept copy came with an answer: a later copy never replaces those. */
    const answered = new HexKeySet(1 << 10);
    /** Extra copies per key and the sources they came from, only for keys seen more than once. */
    const extraCopies = new Map<string, { copies: number; sources: Set<string> }>();
    const replacements = new Map<string, Replacement>();
    // Two buffers taken in turn: one fills while the other is in flight (see CopyRowBuffer).
    let spareRows = new CopyRowBuffer();
    let batch: Batch = { rows: new CopyRowBuffer(), answers: [] };

    const send = async (full: Batch) => {
      if (full.rows.count > 0) await copyRowsIn(client, 'items', ITEM_COLUMNS, full.rows.view());
      if (full.answers.length === 0) return;
      await tx.execute(sql`
        insert into answers (campaign_id, item_id, kind, round, text, source)
        select ${campaignId}, i.id, a.kind, a.round, a.text, 'import'
          from json_to_recordset(${JSON.stringify(full.answers)}::json) as a(key text, kind text, round int, text text)
          join items i on i.campaign_id = ${campaignId} and i.key = a.key
        on conflict do nothing`);
    };

    let inFlight: Promise<void> = Promise.resolve();
    let lastTurn = performance.now();
    for (let s = 0; s < sources.length; s++) {
      const source = sources[s]!;
      const perSource = summary.sources[s]!;
      reading: for await (const { file, shard, events } of readSourceBatches(sourceFiles[s]!, {
        format: source.format ?? 'auto',
        maxRowBytes: config.import.maxRowBytes,
        maxInstructionChars: config.import.maxInstructionChars,
        ...(source.columns ? { columns: source.columns } : {}),
      })) {
        for (const event of events) {
          if (event.kind === 'error') {
            bad.push({ file, line: event.line, message: event.message });
            perSource.badRows++;
            continue;
          }
          if (source.maxRows !== undefined && perSource.rowsRead >= source.maxRows) {
            // A row past the cap exists: the source was cut, not merely this long.
            perSource.cappedAtMaxRows = true;
            break reading; // closes the reader and its file
          }
          summary.rowsRead++;
          perSource.rowsRead++;
          const { record } = event;
          const key = instructionKey(record.instruction, record.input);
          const teacher = record.teacherAnswer ?? teacherJoin?.answers.get(key) ?? (opts.outputAs === 'teacher' ? record.output : undefined);
          const student = record.studentAnswer ?? studentJoin?.answers.get(key) ?? (opts.outputAs === 'student' ? record.output : undefined);
          const withNul = nulField(record, [teacher, student]);
          if (withNul) {
            bad.push({ file, line: event.line, message: `${withNul} contains a NUL character (U+0000), which PostgreSQL text cannot store` });
            perSource.badRows++;
            continue;
          }
          const hasAnswer = teacher !== undefined || student !== undefined;
          if (!seen.add(key)) {
            summary.duplicates++;
            perSource.duplicates++;
            const extra = extraCopies.get(key) ?? { copies: 0, sources: new Set<string>() };
            extra.copies++;
            extra.sources.add(source.name);
            extraCopies.set(key, extra);
            if (hasAnswer && answered.add(key)) {
              replacements.set(key, { key, source: source.name, shard, line: event.line });
              pushAnswers(batch, summary, key, teacher, student);
            }
          } else {
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
            batch.rows.appendRow([
              campaignId,
              summary.imported,
              key,
              record.instruction,
              record.input,
              category,
              category ? 'data' : null,
              source.name,
              shard,
              event.line,
              record.system ?? null,
              keepFollowUps && followUps.length > 0 ? JSON.stringify(followUps) : null,
            ]);
            summary.imported++;
            perSource.imported++;
            if (hasAnswer) {
              answered.add(key);
              pushAnswers(batch, summary, key, teacher, student);
            }
          }
          if (batch.rows.count >= batchRows || batch.answers.length >= batchRows) {
            // Parse and hash the next batch while PostgreSQL takes this one.
            await inFlight; // the other buffer's COPY is confirmed: it can be filled again
            inFlight = send(batch);
            inFlight.catch(() => undefined); // awaited below; this only keeps a failure from going unhandled meanwhile
            const sent = batch.rows;
            spareRows.clear();
            batch = { rows: spareRows, answers: [] };
            spareRows = sent;
          }
        }
        // The COPY in flight is written to the socket only as fast as the kernel takes it, each
        // further part on a later turn of the event loop. A reader whose batches come from memory
        // (Parquet column windows, 1,024 rows a time) would hold the loop for whole windows and
        // leave PostgreSQL waiting for its data, so the loop gets a turn every few milliseconds.
        if (performance.now() - lastTurn >= EVENT_LOOP_TURN_MS) {
          await setImmediatePromise();
          lastTurn = performance.now();
        }
      }
    }
    await inFlight;
    if (batch.rows.count > 0 || batch.answers.length > 0) await send(batch);

    summary.badRows = bad.length;
    summary.badRowSamples = bad.slice(0, SAMPLE_LIMIT);
    if (bad.length > 0 && opts.strict) throw new ImportRejectedError(bad);
    if (summary.imported === 0) {
      const what = sources.length === 1 ? sources[0]!.file : `${sources.length} sources`;
      throw new ImportRejectedError(bad, `${what}: no usable rows (${bad.length} bad), no campaign created`);
    }
    const order = sources.map((source) => source.name);
    const duplicated = [...extraCopies].map(([key, extra]) => ({ key, copies: extra.copies, sources: [...extra.sources] }));
    for (let i = 0; i < duplicated.length; i += batchRows) {
      // Every copy's source, the kept one's included, distinct and in source order.
      await tx.execute(sql`
        update items set duplicate_count = d.copies,
               duplicate_sources = array(
                 select x.name from (
                   select distinct name from unnest(array_append(array(select json_array_elements_text(d.sources)), items.source)) as u(name)
                 ) as x order by array_position(${`{${order.join(',')}}`}::text[], x.name))
          from json_to_recordset(${JSON.stringify(duplicated.slice(i, i + batchRows))}::json) as d(key text, copies int, sources json)
         where items.campaign_id = ${campaignId} and items.key = d.key`);
    }
    const replaced = [...replacements.values()];
    for (let i = 0; i < replaced.length; i += batchRows) {
      await tx.execute(sql`
        update items set source = r.source, source_shard = r.shard, source_line = r.line
          from json_to_recordset(${JSON.stringify(replaced.slice(i, i + batchRows))}::json) as r(key text, source text, shard int, line int)
         where items.campaign_id = ${campaignId} and items.key = r.key`);
    }
    for (let i = 0; i < bad.length; i += batchRows) {
      await tx.insert(importErrors).values(bad.slice(i, i + batchRows).map((b) => ({ campaignId, ...b })));
    }
    await tx.update(campaigns).set({ importSummary: summary }).where(sql`${campaigns.id} = ${campaignId}`);
  });
  return { campaignId, summary };
}

function pushAnswers(batch: Batch, summary: ImportSummary, key: string, teacher: string | undefined, student: string | undefined): void {
  if (teacher !== undefined) {
    summary.teacherAnswersImported++;
    batch.answers.push({ key, kind: 'teacher', round: 0, text: teacher });
  }
  if (student !== undefined) {
    summary.studentAnswersImported++;
    batch.answers.push({ key, kind: 'student', round: 1, text: student });
  }
}
