import { z } from 'zod';

/** Record formats a source may name (the file's storage, JSONL/CSV/Parquet/..., is detected). */
export const SOURCE_RECORD_FORMATS = ['auto', 'alpaca', 'sharegpt', 'openai'] as const;
/** Fields `columns:` may map to a file's column names. */
export const SOURCE_COLUMN_FIELDS = ['instruction', 'input', 'output', 'category', 'teacherAnswer', 'studentAnswer'] as const;

const text = z.string({ error: 'expected text' }).trim().min(1, { error: 'expected non-empty text' });
const share = z.number({ error: 'expected a number from 0 to 1' }).min(0, { error: 'expected a number from 0 to 1' }).max(1, { error: 'expected a number from 0 to 1' });

const columnsSchema = z.strictObject(
  Object.fromEntries(SOURCE_COLUMN_FIELDS.map((f) => [f, text.optional()])) as Record<(typeof SOURCE_COLUMN_FIELDS)[number], z.ZodOptional<typeof text>>,
  { error: (iss) => (iss.code === 'unrecognized_keys' ? `expected only ${SOURCE_COLUMN_FIELDS.join(', ')} (tapir's field: the file's column)` : 'expected a mapping of field: column') },
);

export const sourceSchema = z.strictObject(
  {
    // Items record it; status and the manifest report by it.
    name: text.regex(/^[A-Za-z0-9._-]+$/, { error: 'expected a name of letters, digits, ".", "_" or "-"' }),
    // A file (JSONL, JSON, CSV, TSV, Parquet, any of them gzipped) or a Hugging Face dataset folder.
    file: text,
    format: z.enum(SOURCE_RECORD_FORMATS, { error: `expected one of ${SOURCE_RECORD_FORMATS.map((f) => `"${f}"`).join(', ')}` }).default('auto'),
    // Target share of the curriculum rows, relative to the other sources' weights.
    weight: z.number({ error: 'expected a number > 0' }).gt(0, { error: 'expected a number > 0' }).optional(),
    minShare: share.optional(),
    maxShare: share.optional(),
    // The first maxRows good rows of the source (file order, before duplicates collapse).
    maxRows: z.int({ error: 'expected an integer >= 1' }).min(1, { error: 'expected an integer >= 1' }).optional(),
    columns: columnsSchema.optional(),
    // Which split of a dataset folder (default train).
    split: text.optional(),
  },
  { error: (iss) => (iss.code === 'invalid_type' ? 'expected a mapping with at least name and file' : undefined) },
);

export type SourceConfig = z.output<typeof sourceSchema>;

/**
 * The pool's sources in config order, which is also the order of preference between exact
 * duplicates (docs/decisions.md). Weights are all-or-none so that a share is never a guess.
 */
export const sourcesSchema = z
  .array(sourceSchema, { error: 'expected a list of { name, file, ... } entries' })
  .min(1, { error: 'expected at least one source' })
  .superRefine((sources, ctx) => {
    const seen = new Map<string, number>();
    sources.forEach((s, i) => {
      const key = s.name.toLowerCase();
      if (seen.has(key)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `"${s.name}" is already the name of source ${seen.get(key)! + 1}` });
      else seen.set(key, i);
      if (s.minShare !== undefined && s.maxShare !== undefined && s.minShare > s.maxShare) {
        ctx.addIssue({ code: 'custom', path: [i, 'minShare'], message: `expected at most maxShare (${s.maxShare}), got ${s.minShare}` });
      }
    });
    const weighted = sources.filter((s) => s.weight !== undefined).length;
    if (weighted > 0 && weighted < sources.length) {
      const i = sources.findIndex((s) => s.weight === undefined);
      ctx.addIssue({ code: 'custom', path: [i, 'weight'], message: 'give every source a weight, or none (shares then follow the pool)' });
    }
    const minSum = sources.reduce((sum, s) => sum + (s.minShare ?? 0), 0);
    if (minSum > 1 + 1e-9) {
      ctx.addIssue({ code: 'custom', path: [sources.findIndex((s) => s.minShare !== undefined), 'minShare'], message: `the sources' minShare add up to ${+minSum.toFixed(4)}, more than 1` });
    }
    if (sources.every((s) => s.maxShare !== undefined)) {
      const maxSum = sources.reduce((sum, s) => sum + (s.maxShare ?? 0), 0);
      if (maxSum < 1 - 1e-9) ctx.addIssue({ code: 'custom', path: [0, 'maxShare'], message: `the sources' maxShare add up to ${+maxSum.toFixed(4)}, less than 1` });
    }
  });
