export interface ExampleConfigOptions {
  /** Where the local LLM simulator listens; the example's three models all point at it. */
  simulatorURL?: string;
}

function modelBlock(role: string, comments: string[], lines: string[]): string[] {
  return [...comments.map((c) => `  # ${c}`), `  ${role}:`, ...lines.map((l) => `    ${l}`)];
}

const PROVIDER_COMMENT = ['# API flavour: openai, anthropic or openai-compatible. Required.'];
const MODEL_COMMENT = ['# Model name as the provider knows it. Required.'];
const BASE_URL_COMMENT = ["# Endpoint override. Optional; default: the provider's public API."];
const API_KEY_ENV_COMMENT = [
  '# NAME of the environment variable holding the API key (never the key itself).',
  '# Required for openai and anthropic, optional for openai-compatible.',
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
    '# Per-request timeout in milliseconds. Default 120000.',
    'timeoutMs: 120000',
    '# Optional: USD per million tokens for cost and budgets. Default: tapir\'s price table',
    '# for well-known models (packages/llm/src/pricing.ts); unknown models cost 0.',
    '# pricing:',
    '#   inputPerMTok: 2.5',
    '#   outputPerMTok: 10',
    '# Optional: the endpoint\'s rate limits, shared by every worker through Redis. A 429 slows',
    '# the endpoint further for as long as its retry-after says. Default: none (429s still slow it).',
    '# rateLimit:',
    '#   rpm: 500      # requests per minute',
    '#   tpm: 200000   # tokens per minute (prompt + maxTokens reserved per request)',
  ];
}

/**
 * A complete, commented campaign config whose models point at the local simulator, for
 * `tapir init` and the demo. Every field is listed with what it does and its default.
 */
export function exampleConfigYaml(opts: ExampleConfigOptions = {}): string {
  const url = (opts.simulatorURL ?? 'http://127.0.0.1:8787').replace(/\/+$/, '');
  const lines = [
    '# tapir campaign config: task-aware curriculum distillation.',
    '# Every field below is shown with its default; delete a line to use the default.',
    '',
    '# Optional label shown in reports.',
    'name: example-campaign',
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
    '  # Share of the selected pool made of easy items, in [0, 1). Default 0 (hard items only).',
    '  easyShare: 0',
    '',
    '# Resampling the selected pool to the taxonomy weights.',
    'rebalance:',
    '  # Size of the rebalanced set; short categories are up-sampled by repetition.',
    '  # Default: absent, meaning the size of the selected pool.',
    '  # targetSize: 1000',
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
