import { inWords, PROVIDERS, providersWith } from './providers';

/**
 * The example configs `tapir init --preset` writes. `default` shows every setting at its default;
 * `tapir` is TAPIR's escalating curriculum: expansion on (the teacher grows the seed set from the
 * hard items, by task ratio) and a size per round that grows while the hard share rises.
 */
export const CONFIG_PRESETS = ['default', 'tapir'] as const;
export type ConfigPreset = (typeof CONFIG_PRESETS)[number];

/**
 * The tapir preset's rows per round, sized for the bundled 300-item sample: round 1 as large as
 * the sample, then a third more each round. Scale it to your pool.
 */
export const TAPIR_PRESET_SIZES: readonly number[] = [300, 400, 500];

export interface ExampleConfigOptions {
  /** Where the local LLM simulator listens; the example's three models all point at it. */
  simulatorURL?: string;
  /** Which example; default `default`. */
  preset?: ConfigPreset;
}

function modelBlock(role: string, comments: string[], lines: string[]): string[] {
  return [...comments.map((c) => `  # ${c}`), `  ${role}:`, ...lines.map((l) => `    ${l}`)];
}

const PROVIDER_COMMENT = [`# API flavour: ${inWords(PROVIDERS)}. Required.`];
const MODEL_COMMENT = ['# Model name as the provider knows it. Required.'];
const BASE_URL_COMMENT = ["# Endpoint override. Optional; default: the provider's public API."];
const API_KEY_ENV_COMMENT = [
  '# NAME of the environment variable holding the API key (never the key itself).',
  `# Required for ${inWords(providersWith('needsApiKey'), 'and')}, optional for ${inWords(providersWith('needsApiKey', false))}.`,
];

// Settings every role shares, with their defaults spelled out once per role so each block reads alone.
function commonModelSettings(temperature: number, temperatureWhy: string): string[] {
  return [
    '# Parallel requests to this model. Default 8.',
    'concurrency: 8',
    `# Sampling temperature, 0..2. Default ${temperature}${temperatureWhy}.`,
    `temperature: ${temperature}`,
    '# Upper bound on generated tokens per reply. Default 1024.',
    'maxTokens: 1024',
    '# The teacher\'s answers, refinements and new instructions cut off at maxTokens are asked',
    '# again once with maxTokens times this; still cut, they are dropped as truncated (never',
    '# training data). 1 turns the re-ask off. The student and the judge do not use it. Default 2.',
    'maxTokensRetry: 2',
    '# Per-request timeout in milliseconds. Default 120000.',
    'timeoutMs: 120000',
    '# Optional: USD per million tokens for cost and budgets. Default: tapir\'s vendored price',
    '# list (packages/llm/data/model-prices.json). A model it does not list is refused when',
    '# budget.maxUsd is set, and counted at $0 with a warning otherwise.',
    '# pricing:',
    '#   inputPerMTok: 2.5',
    '#   outputPerMTok: 10',
    '# Optional: the model\'s context size in tokens. A prompt estimated above it fails as',
    '# too_long before any request. Default: the price list\'s value when it has one.',
    '# contextTokens: 128000',
    '# Optional: the endpoint\'s rate limits, shared by every worker through Redis. A 429 slows',
    '# the endpoint further for as long as its retry-after says. Default: none (429s still slow it).',
    '# rateLimit:',
    '#   rpm: 500      # requests per minute',
    '#   tpm: 200000   # tokens per minute (prompt + maxTokens reserved per request)',
    '# An endpoint down (refused, reset, DNS, timeouts, 5xx) longer than this pauses the',
    '# campaign with the reason; a 401/403 pauses it at once. `tapir resume` continues.',
    '# Until then its jobs wait; no item fails for it. Default 600000 (10 minutes).',
    'outagePauseMs: 600000',
    '# Optional: when the endpoint counts as down: this many outage errors in a row (no answer',
    '# between them) within failureWindowMs. Default: 5 within 30000.',
    '# breaker:',
    '#   openAfterFailures: 5',
    '#   failureWindowMs: 30000',
  ];
}

/**
 * A complete, commented campaign config whose models point at the local simulator, for
 * `tapir init` and the demo. Every field is listed with what it does and its default.
 */
export function exampleConfigYaml(opts: ExampleConfigOptions = {}): string {
  const url = (opts.simulatorURL ?? 'http://127.0.0.1:8787').replace(/\/+$/, '');
  const tapir = opts.preset === 'tapir';
  const lines = [
    '# tapir campaign config: task-aware curriculum distillation.',
    ...(tapir
      ? [
          "# Preset tapir: TAPIR's escalating curriculum. Expansion is on and every round is larger",
          '# than the one before while its hard share rises; the other fields show their defaults.',
        ]
      : ['# Every field below is shown with its default; delete a line to use the default.']),
    '',
    '# Optional label shown in reports.',
    `name: ${tapir ? 'tapir-campaign' : 'example-campaign'}`,
    '',
    '# Seed for every random choice (sampling easy items, down-sampling categories). Default 42.',
    'seed: 42',
    '',
    '# The three model roles. Required. Here all three point at the local simulator.',
    'models:',
    ...modelBlock('teacher', ['The teacher answers and refines. Here: the simulator via the OpenAI API.'], [
      ...PROVIDER_COMMENT,
      'provider: openai',
      ...MODEL_COMMENT,
      'model: sim-teacher',
      ...BASE_URL_COMMENT,
      `baseURL: ${url}/v1`,
      ...API_KEY_ENV_COMMENT,
      'apiKeyEnv: TAPIR_SIM_KEY',
      ...commonModelSettings(0.7, ''),
    ]),
    '',
    ...modelBlock('student', ['The student is the model being distilled, usually served by vLLM (OpenAI-compatible).'], [
      ...PROVIDER_COMMENT,
      'provider: openai-compatible',
      ...MODEL_COMMENT,
      'model: sim-student',
      ...BASE_URL_COMMENT,
      `baseURL: ${url}/v1`,
      ...API_KEY_ENV_COMMENT,
      '# apiKeyEnv: VLLM_API_KEY',
      ...commonModelSettings(0.7, ''),
    ]),
    '',
    ...modelBlock(
      'judge',
      [
        "The judge classifies instructions into the taxonomy and scores teacher vs student",
        "answers (Lion's pairwise referee).",
        'The Anthropic SDK appends /v1/messages to baseURL itself, so no /v1 here.',
      ],
      [
        ...PROVIDER_COMMENT,
        'provider: anthropic',
        ...MODEL_COMMENT,
        'model: sim-judge',
        ...BASE_URL_COMMENT,
        `baseURL: ${url}`,
        ...API_KEY_ENV_COMMENT,
        'apiKeyEnv: TAPIR_SIM_KEY',
        ...commonModelSettings(0.2, ", low so that repeated judgements agree, as in Lion's referee"),
        '# How the judge is asked for its two scores: auto (a JSON schema for openai and',
        '# openai-compatible, a forced tool for anthropic; plain text when the endpoint refuses it),',
        '# json_schema, tool, or off (plain text, parsed as Lion did). Default auto.',
        'structuredOutput: auto',
      ],
    ),
    '',
    '# Task taxonomy: category names and target weights for rebalancing (weights are relative).',
    '# Default: the 32 DistilQwen2 / EasyDistill categories (Math 0.167, Reasoning 0.167,',
    '# Code Generation 0.083, Code Debug 0.083, Others 0.041, 27 others at 0.017 each).',
    '# To override, list every category you want; "Others" is required.',
    '# taxonomy:',
    '#   categories:',
    '#     - { name: Math, weight: 0.3 }',
    '#     - { name: Reasoning, weight: 0.3 }',
    '#     - { name: Code Generation, weight: 0.3 }',
    '#     - { name: Others, weight: 0.1 }',
    '',
    '# What a pool row may be. A row over a limit is a bad row: skipped and listed, or the',
    '# whole import refused under --strict.',
    'import:',
    '  # Longest instruction (with its input), in characters. Default 32000.',
    '  maxInstructionChars: 32000',
    '  # Largest row (JSONL line or JSON array element), in bytes; a longer one is skipped',
    '  # without being read into memory. Default 8388608 (8 MiB).',
    '  maxRowBytes: 8388608',
    '',
    '# Selecting by Model Fitting Difficulty (MFD = teacher score - student score).',
    '# Spend limits for the whole campaign. Before a request that would cross one, the campaign',
    '# pauses with a message in `tapir status`; `tapir resume <id> --budget USD` raises it.',
    '# Default: no limit.',
    'budget:',
    '  # maxUsd: 25',
    '  # maxTokens: 5000000',
    '',
    'selection:',
    '  # Items with MFD >= delta are hard and always kept. Default 1 (as in Lion).',
    '  delta: 1',
    '  # Share of the selected pool made of easy items, in [0, 1). Default: absent, meaning',
    '  # rounds.hardShare decides; when set, every round uses hard share 1 - easyShare.',
    '  # easyShare: 0.3',
    '',
    '# Curriculum rounds (TAPIR): after each round the student is re-trained, then judged',
    '# again, so each round targets what it still cannot do.',
    'rounds:',
    '  # Number of rounds, 1..count. Default 3.',
    '  count: 3',
    '  # Share of hard items in each stage of round 1, 2, 3, ...; numbers in (0, 1]. The',
    '  # last value repeats for later rounds. Default [0.3, 0.5, 0.7]: easy items, which',
    '  # keep the student from forgetting, give way to hard ones round by round.',
    '  hardShare: [0.3, 0.5, 0.7]',
    '  # Rows per round: one number for every round, or a list with one per round (the last',
    '  # repeats). Replaces rebalance.targetSize (still read; setting both is an error).',
    '  # Default: absent, meaning each round is as large as its selection (every hard item and',
    '  # easy ones up to the hard share), and never smaller than the round before.',
    ...(tapir
      ? [
          `  # Preset tapir: ${TAPIR_PRESET_SIZES.join(', ')}, sized for the bundled 300-item sample; scale it to`,
          '  # your pool. Hard items are grown by expansion before any is repeated.',
          `  targetSize: [${TAPIR_PRESET_SIZES.join(', ')}]`,
        ]
      : ['  # targetSize: [1000, 1500, 2000]']),
    '',
    '# Instruction expansion (Lion): the teacher writes new instructions like the hard ones',
    '# of categories that are short of their target share, before repetition fills the rest.',
    'expansion:',
    '  # Default false: short categories are filled by repetition only.',
    ...(tapir ? ['  # Preset tapir: on, as TAPIR grows each round from its hard seeds.'] : []),
    `  enabled: ${tapir}`,
    '  # Teacher sampling temperature for new instructions, 0..2. Default 1.0 (as in Lion).',
    '  temperature: 1.0',
    '  # Candidates requested per missing row (>= 1), since the filters drop some. Default 1.5.',
    '  oversample: 1.5',
    '  # Most candidates requested per round. Default 1000.',
    '  maxPerRound: 1000',
    '  # Expansion passes per round before repetition fills what is still missing. Default 2.',
    '  maxPasses: 2',
    '  # New instructions with fewer words are dropped. Default 4 (Lion drops 3 words or fewer).',
    '  minWords: 4',
    '  # Dropped when ROUGE-L against any instruction in the pool is above this, (0, 1].',
    '  # Default 0.7 (as in Lion). New instructions that mention "instruction" are dropped too.',
    '  maxRougeL: 0.7',
    '',
    '# Which signal makes an item hard.',
    'difficulty:',
    "  # mfd: the judge's Model Fitting Difficulty (teacher score - student score >= selection.delta).",
    "  # ifd: the student's own Instruction-Following Difficulty (Cherry LLM), from prompt",
    `  #   log-probabilities: needs models.student.provider ${inWords(providersWith('promptLogprobs'))} (e.g. vLLM).`,
    '  # both: both signals. Default mfd.',
    '  signal: mfd',
    '  # With signal both: and = hard when both say hard, or = when either does. Default and.',
    '  combine: and',
    '  # IFD thresholds.',
    '  ifd:',
    '    # Hard when IFD >= delta (> 0, at most max). Default 0.75.',
    '    delta: 0.75',
    '    # Items with IFD above max are dropped: the instruction does not help the student',
    '    # predict the answer (Cherry LLM drops IFD > 1). Default 1.',
    '    max: 1',
    '',
    '# Resampling the selected pool to the taxonomy weights.',
    'rebalance:',
    '  # targetSize: the older spelling of rounds.targetSize as one number (still read).',
    '  # Most extra copies of one item when up-sampling (each item appears at most',
    '  # 1 + maxRepeats times); 0 forbids repetition. Default 3. Repeating an item many',
    '  # times makes the student memorise it rather than learn the task, so a category',
    '  # still short at this cap stays short (reported as a shortfall): fill it with more',
    '  # data or expansion instead.',
    '  maxRepeats: 3',
    '',
    '# Curriculum staging.',
    'curriculum:',
    '  # Number of stages the rebalanced set is cut into, easy to hard. Default 3.',
    '  stages: 3',
    '',
    '# Judge behaviour (the judge model itself is models.judge).',
    'judge:',
    '  # How often to ask the judge again when its reply has no readable scores. Default 3.',
    '  maxParseAttempts: 3',
    '',
    '# Refinement: the teacher re-answers kept instructions with task-specific prompts.',
    'refine:',
    '  # Per-category overrides of the built-in prompts: category name -> template.',
    '  # A template must contain {instruction}; the input is appended unless it uses {input}.',
    '  # Default: {} (built-in prompts only).',
    '  prompts: {}',
    '  # For example:',
    '  # prompts:',
    '  #   Math: |',
    '  #     Solve step by step and end with "Final answer: ...".',
    '  #     {instruction}',
    '',
  ];
  return lines.join('\n');
}
