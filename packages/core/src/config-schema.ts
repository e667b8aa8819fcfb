import { z } from 'zod';
import { enumOf, intAtLeast, nonEmptyText, numberAbove, numberAtLeast, numberFromTo, optionalSection, sectionError, shareAboveZero } from './config-fields';
import { apiKeyEnvSchema } from './api-key-env';
import { cleanSection } from './clean-config';
import { DEFAULT_TAXONOMY, OTHERS, categoryKey, matchCategory } from './taxonomy';
import { INSTRUCTION_PLACEHOLDER } from './prompts/refine';
import { DIFFICULTY_COMBINES, DIFFICULTY_SIGNALS } from './difficulty';
import { DEFAULT_MAX_TOKENS_RETRY } from './truncation';
import { CONVERSATION_TURNS, DEFAULT_SYNTHESIS_AUDIENCES, DEFAULT_SYNTHESIS_FORMS } from './synthesis-settings';
import { inWords, PROVIDER_TRAITS, PROVIDERS, providersWith } from './providers';
import { providerTakes, STRUCTURED_OUTPUT_SETTINGS } from './structured-output';
import { sourcesSchema } from './sources-schema';

export const MODEL_ROLES = ['teacher', 'student', 'judge'] as const;
export type ModelRole = (typeof MODEL_ROLES)[number];

/** Lion's referee runs at 0.2 so that repeated judgements agree; answers use a normal sampling temperature. */
export const DEFAULT_TEMPERATURE: Readonly<Record<ModelRole, number>> = { teacher: 0.7, student: 0.7, judge: 0.2 };

/**
 * Default cap on extra copies of one item when rebalancing up-samples a short category: each item
 * appears at most 1 + 3 times. Beyond a few copies the student memorises the item instead of
 * learning the task, so a bigger gap is better left as a shortfall and filled with more data.
 */
export const DEFAULT_MAX_REPEATS = 3;

/** How long a role may find its endpoint down before the campaign pauses (`models.<role>.outagePauseMs`). */
export const DEFAULT_OUTAGE_PAUSE_MS = 10 * 60_000;

/**
 * Default share of hard items per curriculum round. TAPIR raises the hard share from round to
 * round while re-judging with the re-trained student; the papers give no numbers, so these are a
 * gentle start (easy items still dominate round 1, against forgetting) rising to mostly hard.
 */
/**
 * Longest instruction (with its input) a pool row may have. Real instruction sets stay far below
 * (Alpaca's longest is under 1,000 characters); a longer prompt is sent to every model of every
 * round, so it is stopped at import rather than paid for several times.
 */
export const DEFAULT_MAX_INSTRUCTION_CHARS = 32_000;

/** Largest pool row read, in UTF-8 bytes (the readers' default too). */
export const DEFAULT_MAX_ROW_BYTES = 8 * 1024 * 1024;

/**
 * Share of a round's items that may fail (with a reason) while `tapir run` still exits 0. A few
 * failures are normal at scale (a prompt too long, a reply cut off); more than this says something
 * is wrong with a model or its endpoint, and a pipeline script should stop before fine-tuning.
 */
export const DEFAULT_MAX_FAILED_SHARE = 0.05;

export const DEFAULT_HARD_SHARE: readonly number[] = [0.3, 0.5, 0.7];

const rateLimitSchema = z.strictObject(
  { rpm: intAtLeast(1).optional(), tpm: intAtLeast(1).optional() },
  { error: (iss) => (iss.code === 'invalid_type' ? 'expected a mapping with rpm and/or tpm (requests / tokens per minute)' : undefined) },
);

const breakerSchema = z.strictObject(
  { openAfterFailures: intAtLeast(1).optional(), failureWindowMs: intAtLeast(1).optional() },
  { error: (iss) => (iss.code === 'invalid_type' ? 'expected a mapping with openAfterFailures and/or failureWindowMs' : undefined) },
);

const budgetSchema = z.strictObject(
  { maxUsd: numberAtLeast(0).optional(), maxTokens: intAtLeast(1).optional() },
  { error: (iss) => (iss.code === 'invalid_type' ? 'expected a mapping with maxUsd and/or maxTokens' : undefined) },
);

const pricingSchema = z.strictObject(
  { inputPerMTok: numberAtLeast(0), outputPerMTok: numberAtLeast(0) },
  { error: (iss) => (iss.code === 'invalid_type' ? 'expected a mapping with inputPerMTok and outputPerMTok (USD per million tokens)' : undefined) },
);

function modelRoleSchema(role: ModelRole) {
  return z
    .strictObject(
      {
        provider: z.enum(PROVIDERS, { error: `expected one of ${PROVIDERS.map((p) => `"${p}"`).join(', ')}` }),
        model: nonEmptyText,
        baseURL: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }).optional(),
        apiKeyEnv: apiKeyEnvSchema.optional(),
        concurrency: intAtLeast(1).default(8),
        temperature: numberFromTo(0, 2).default(DEFAULT_TEMPERATURE[role]),
        maxTokens: intAtLeast(1).default(1024),
        // A reply cut off at maxTokens is asked again once with maxTokens times this (the teacher's
        // answers, refinements and expansions; a multiplier, so it follows maxTokens; 1 = no re-ask).
        maxTokensRetry: numberAtLeast(1).default(DEFAULT_MAX_TOKENS_RETRY),
        timeoutMs: intAtLeast(1).default(120_000),
        pricing: pricingSchema.optional(),
        // When known, a prompt estimated above it fails as too_long before any request is sent.
        contextTokens: intAtLeast(1).optional(),
        // The endpoint's limits, shared by every worker through Redis; 429s lower them further.
        rateLimit: rateLimitSchema.optional(),
        // The endpoint's circuit breaker (shared by every worker through Redis): how many outage
        // errors in a row, within how long, mean the endpoint is down. Defaults: 5 within 30 s.
        breaker: breakerSchema.optional(),
        // An endpoint down this long (or refusing the key at once) pauses the campaign.
        outagePauseMs: intAtLeast(1).default(DEFAULT_OUTAGE_PAUSE_MS),
        // How a role that wants a structured reply (the judge) asks for it; see structured-output.ts.
        structuredOutput: enumOf(STRUCTURED_OUTPUT_SETTINGS).default('auto'),
      },
      { error: (iss) => (iss.code === 'invalid_type' ? 'expected a mapping with at least provider and model' : undefined) },
    )
    .superRefine((m, ctx) => {
      if (PROVIDER_TRAITS[m.provider].needsApiKey && m.apiKeyEnv === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['apiKeyEnv'],
          message: `required for provider ${m.provider}: name the environment variable that holds the API key`,
        });
      }
      if ((m.structuredOutput === 'json_schema' || m.structuredOutput === 'tool') && !providerTakes(m.provider, m.structuredOutput)) {
        ctx.addIssue({
          code: 'custom',
          path: ['structuredOutput'],
          message: `provider ${m.provider} takes structured replies as "${PROVIDER_TRAITS[m.provider].structuredReply}", not "${m.structuredOutput}" (or use "auto" or "off")`,
        });
      }
    });
}

const categorySchema = z.strictObject(
  { name: nonEmptyText, weight: z.number({ error: 'expected a number > 0' }).gt(0, { error: 'expected a number > 0' }) },
  { error: (iss) => (iss.code === 'invalid_type' ? 'expected a mapping with name and weight' : undefined) },
);

const categoriesSchema = z
  .array(categorySchema, { error: 'expected a list of { name, weight } entries' })
  .min(1, { error: 'expected at least one category' })
  .superRefine((categories, ctx) => {
    const firstByKey = new Map<string, number>();
    categories.forEach((c, i) => {
      const key = categoryKey(c.name);
      if (key === '') {
        ctx.addIssue({ code: 'custom', path: [i, 'name'], message: 'a category name needs at least one letter or digit' });
        return;
      }
      const first = firstByKey.get(key);
      if (first !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: [i, 'name'],
          message: `duplicate category "${c.name}": same as entry ${first} ("${categories[first]?.name}") when case, spaces and punctuation are ignored`,
        });
      } else firstByKey.set(key, i);
    });
    if (!firstByKey.has(categoryKey(OTHERS))) {
      ctx.addIssue({
        code: 'custom',
        message: `must include a category named "${OTHERS}": instructions that fit no category, and unparseable classifications, go there`,
      });
    }
  })
  // Classification falls back to exactly "Others", so a variant spelling is normalised to it.
  .transform((categories) =>
    categories.map((c) => (categoryKey(c.name) === categoryKey(OTHERS) ? { ...c, name: OTHERS } : c)),
  );

const refinePromptSchema = z
  .string({ error: `expected a prompt template containing ${INSTRUCTION_PLACEHOLDER}` })
  .refine((t) => t.includes(INSTRUCTION_PLACEHOLDER), {
    error: `the template must contain ${INSTRUCTION_PLACEHOLDER} where the instruction goes`,
  });

const baseSchema = z.strictObject(
  {
    name: nonEmptyText.optional(),
    seed: z.int({ error: 'expected an integer' }).default(42),
    models: z.strictObject(
      { teacher: modelRoleSchema('teacher'), student: modelRoleSchema('student'), judge: modelRoleSchema('judge') },
      sectionError('teacher, student and judge'),
    ),
    taxonomy: optionalSection(
      z.strictObject(
        { categories: categoriesSchema.prefault(() => DEFAULT_TAXONOMY.map((c) => ({ ...c }))) },
        sectionError('categories'),
      ),
    ),
    selection: optionalSection(
      z.strictObject(
        {
          delta: numberFromTo(-10, 10).default(1),
          // No default: when set it overrides rounds.hardShare with 1 - easyShare in every round.
          easyShare: z
            .number({ error: 'expected a number >= 0 and < 1' })
            .min(0, { error: 'expected a number >= 0 and < 1' })
            .lt(1, { error: 'expected a number >= 0 and < 1' })
            .optional(),
        },
        sectionError('delta, easyShare'),
      ),
    ),
    // Curriculum rounds: the student is re-trained between rounds and judged again (docs/method.md, step 11).
    rounds: optionalSection(
      z.strictObject(
        {
          count: intAtLeast(1).default(3),
          // Share of hard items per round; the last value repeats for rounds beyond the list.
          hardShare: z
            .array(shareAboveZero(), { error: 'expected a list of numbers > 0 and <= 1, one per round' })
            .min(1, { error: 'expected a non-empty list of numbers > 0 and <= 1, one per round' })
            .default(() => [...DEFAULT_HARD_SHARE]),
          // Rows per round: one number for every round, or one per round (the last repeats).
          // Absent: each round is as large as its selection, and never smaller than the round before.
          targetSize: z
            .union([intAtLeast(1), z.array(intAtLeast(1)).min(1, { error: 'expected a non-empty list of integers >= 1, one per round' })], {
              error: 'expected an integer >= 1 or a non-empty list of integers >= 1, one per round',
            })
            .optional(),
        },
        sectionError('count, hardShare, targetSize'),
      ),
    ),
    // Instruction expansion: the teacher writes new instructions like the hard ones (docs/method.md, step 8).
    expansion: optionalSection(
      z.strictObject(
        {
          enabled: z.boolean({ error: 'expected true or false' }).default(false),
          // Lion samples new instructions at 1.0 for variety.
          temperature: numberFromTo(0, 2).default(1),
          // Candidates requested per missing row, since the filters drop some.
          oversample: numberAtLeast(1).default(1.5),
          maxPerRound: intAtLeast(1).default(1000),
          // After this many passes a category still short is filled by repetition instead.
          maxPasses: intAtLeast(1).default(2),
          // Lion drops outputs of 3 words or fewer.
          minWords: intAtLeast(1).default(4),
          // Lion drops outputs with ROUGE-L > 0.7 against the pool.
          maxRougeL: shareAboveZero().default(0.7),
        },
        sectionError('enabled, temperature, oversample, maxPerRound, maxPasses, minWords, maxRougeL'),
      ),
    ),
    // Topic-seeded synthesis (phi-1.5): the teacher writes instructions for categories with no seeds.
    synthesis: optionalSection(
      z.strictObject(
        {
          enabled: z.boolean({ error: 'expected true or false' }).default(false),
          // A file of topics, one per line ([Category] headers scope the lines after them); absent: the bundled list.
          topics: nonEmptyText.optional(),
          // Categories to synthesize for whatever the pool holds; absent: those with weight > 0 and no seeds.
          categories: z.array(nonEmptyText, { error: 'expected a list of category names' }).optional(),
          audiences: z.array(nonEmptyText, { error: 'expected a non-empty list of audiences' }).min(1, { error: 'expected a non-empty list of audiences' }).default(() => [...DEFAULT_SYNTHESIS_AUDIENCES]),
          forms: z.array(nonEmptyText, { error: 'expected a non-empty list of forms' }).min(1, { error: 'expected a non-empty list of forms' }).default(() => [...DEFAULT_SYNTHESIS_FORMS]),
          // Variety comes from the topic, audience and form; 1.0 as for expansion.
          temperature: numberFromTo(0, 2).default(1),
          // Requests per missing row, since the filters drop some.
          oversample: numberAtLeast(1).default(1.25),
          maxPerRound: intAtLeast(1).default(1000),
          // Filters as for expansion (Lion's): too short, or too close to the pool.
          minWords: intAtLeast(1).default(4),
          maxRougeL: shareAboveZero().default(0.7),
        },
        sectionError('enabled, topics, categories, audiences, forms, temperature, oversample, maxPerRound, minWords, maxRougeL'),
      ),
    ),
    difficulty: optionalSection(
      z.strictObject(
        {
          signal: enumOf(DIFFICULTY_SIGNALS).default('mfd'),
          combine: enumOf(DIFFICULTY_COMBINES).default('and'),
          ifd: optionalSection(
            z.strictObject(
              {
                delta: numberAbove(0).default(0.75),
                // Cherry LLM drops IFD > 1: the instruction does not help predict the answer.
                max: numberAbove(0).default(1),
              },
              sectionError('delta, max'),
            ),
          ),
        },
        sectionError('signal, combine, ifd'),
      ),
    ),
    // What a pool row may be; a row over a limit is a bad row (--strict refuses the file).
    import: optionalSection(
      z.strictObject(
        {
          maxInstructionChars: intAtLeast(1).default(DEFAULT_MAX_INSTRUCTION_CHARS),
          maxRowBytes: intAtLeast(1).default(DEFAULT_MAX_ROW_BYTES),
          // first: the first exchange is the item and later turns are counted as cut; all: the
          // follow-up user turns are kept and the teacher answers them in context at refinement.
          turns: enumOf(CONVERSATION_TURNS).default('first'),
        },
        sectionError('maxInstructionChars, maxRowBytes, turns'),
      ),
    ),
    // The pool's sources, mixed by share (sources-schema.ts); absent: the one --data file(s) of `campaign create`.
    sources: sourcesSchema.optional(),
    // Spend limits of the whole campaign; the campaign pauses before a request that would cross one.
    budget: optionalSection(budgetSchema),
    rebalance: optionalSection(
      z.strictObject(
        {
          targetSize: intAtLeast(1).optional(),
          // Extra copies allowed per item when a category is short; 0 forbids repetition.
          maxRepeats: z
            .int({ error: 'expected an integer >= 0 (extra copies allowed per item; 0 = no repetition)' })
            .min(0, { error: 'expected an integer >= 0 (extra copies allowed per item; 0 = no repetition)' })
            .default(DEFAULT_MAX_REPEATS),
        },
        sectionError('targetSize, maxRepeats'),
      ),
    ),
    curriculum: optionalSection(z.strictObject({ stages: intAtLeast(1).default(3) }, sectionError('stages'))),
    // Rows out of the pool before any model sees them (issue 15; clean-config.ts).
    clean: cleanSection(),
    judge: optionalSection(z.strictObject({ maxParseAttempts: intAtLeast(1).default(3) }, sectionError('maxParseAttempts'))),
    // What a finished run may leave behind and still count as a success (its exit code).
    limits: optionalSection(
      z.strictObject(
        {
          maxFailedShare: z
            .number({ error: 'expected a number from 0 to 1' })
            .min(0, { error: 'expected a number from 0 to 1' })
            .max(1, { error: 'expected a number from 0 to 1' })
            .default(DEFAULT_MAX_FAILED_SHARE),
        },
        sectionError('maxFailedShare'),
      ),
    ),
    refine: optionalSection(
      z.strictObject(
        {
          prompts: z
            .record(z.string(), refinePromptSchema, { error: 'expected a mapping of category: template' })
            .prefault({}),
        },
        sectionError('prompts'),
      ),
    ),
  },
  { error: (iss) => (iss.code === 'invalid_type' ? 'expected a mapping with at least a models: section' : undefined) },
);

/**
 * Checks that span sections: an IFD signal needs a student that returns prompt log-probabilities,
 * and the IFD thresholds must leave room for hard items. Refine prompt keys must name taxonomy
 * categories; they are rewritten to the canonical names so that the pipeline can look them up
 * exactly.
 */
export const campaignConfigSchema = baseSchema
  .superRefine((config, ctx) => {
    const { signal, ifd } = config.difficulty;
    const studentProvider = config.models.student.provider;
    if (signal !== 'mfd' && !PROVIDER_TRAITS[studentProvider].promptLogprobs) {
      const capable = inWords(providersWith('promptLogprobs').map((p) => `"${p}"`));
      ctx.addIssue({
        code: 'custom',
        path: ['difficulty', 'signal'],
        message:
          `signal "${signal}" needs models.student.provider ${capable} (it is "${studentProvider}"): ` +
          "prompt log-probabilities come from an OpenAI-compatible completions endpoint such as vLLM's /v1/completions with echo and logprobs",
      });
    }
    if (ifd.delta > ifd.max) {
      ctx.addIssue({
        code: 'custom',
        path: ['difficulty', 'ifd', 'delta'],
        message: `expected a number <= difficulty.ifd.max (${ifd.max}), got ${ifd.delta}: items with IFD above max are dropped, so none could be hard`,
      });
    }
  })
  .superRefine((config, ctx) => {
    // rebalance.targetSize is the older spelling of one size for every round; two sizes would be
    // a guess at which one was meant.
    if (config.rebalance.targetSize !== undefined && config.rounds.targetSize !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['rebalance', 'targetSize'],
        message: 'set the size in rounds.targetSize only (a number, or a list with one per round); rebalance.targetSize is its older spelling',
      });
    }
  })
  .superRefine((config, ctx) => {
    const names = config.taxonomy.categories.map((c) => c.name);
    const seen = new Map<string, string>();
    for (const key of Object.keys(config.refine.prompts)) {
      const canonical = matchCategory(key, names);
      const path = ['refine', 'prompts', key];
      if (canonical === null) {
        ctx.addIssue({
          code: 'custom',
          path,
          message: `"${key}" is not a taxonomy category; use one of the category names (e.g. ${names.slice(0, 4).join(', ')})`,
        });
      } else if (seen.has(canonical)) {
        ctx.addIssue({ code: 'custom', path, message: `"${key}" and "${seen.get(canonical)}" both mean category "${canonical}"` });
      } else seen.set(canonical, key);
    }
  })
  .superRefine((config, ctx) => {
    const names = config.taxonomy.categories.map((c) => c.name);
    (config.synthesis.categories ?? []).forEach((name, i) => {
      if (matchCategory(name, names) === null) {
        ctx.addIssue({ code: 'custom', path: ['synthesis', 'categories', i], message: `"${name}" is not a taxonomy category` });
      }
    });
  })
  .transform((config) => ({
    ...config,
    refine: {
      ...config.refine,
      prompts: Object.fromEntries(
        Object.entries(config.refine.prompts).map(([k, v]) => [
          matchCategory(k, config.taxonomy.categories.map((c) => c.name)) ?? k,
          v,
        ]),
      ),
    },
  }));

export type CampaignConfig = z.output<typeof campaignConfigSchema>;
export type CampaignConfigInput = z.input<typeof campaignConfigSchema>;
export type ModelRoleConfig = CampaignConfig['models'][ModelRole];
