import {
  DEFAULT_SYNTHESIS_AUDIENCES,
  ConfigError,
  DEFAULT_HARD_SHARE,
  DEFAULT_MAX_REPEATS,
  DEFAULT_TAXONOMY,
  campaignConfigSchema,
  configHash,
  looksLikeSecret,
  parseCampaignConfig,
  type CampaignConfig,
} from '@tapir/core';

const MINIMAL = `
models:
  teacher:
    provider: openai
    model: gpt-4o
    apiKeyEnv: OPENAI_API_KEY
  student:
    provider: openai-compatible
    model: llama-7b
    baseURL: http://localhost:8000/v1
  judge:
    provider: anthropic
    model: claude
    apiKeyEnv: ANTHROPIC_API_KEY
`;

function configError(text: string, fileName = 'campaign.yaml'): ConfigError {
  try {
    parseCampaignConfig(text, fileName);
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

/** The line (1-based) of the first line in `text` containing `needle`. */
function lineOf(text: string, needle: string): number {
  return text.split('\n').findIndex((l) => l.includes(needle)) + 1;
}

describe('parseCampaignConfig: valid configs', () => {
  test('minimal config gets every default', () => {
    const c = parseCampaignConfig(MINIMAL, 'campaign.yaml');
    expect(c.seed).toBe(42);
    expect(c.models.teacher).toEqual({
      provider: 'openai',
      model: 'gpt-4o',
      apiKeyEnv: 'OPENAI_API_KEY',
      concurrency: 8,
      temperature: 0.7,
      maxTokens: 1024,
      maxTokensRetry: 2,
      timeoutMs: 120000,
      outagePauseMs: 600000,
      structuredOutput: 'auto',
    });
    expect(c.models.student.temperature).toBe(0.7);
    expect(c.models.student.apiKeyEnv).toBeUndefined();
    expect(c.models.judge.temperature).toBe(0.2);
    expect(c.taxonomy.categories).toEqual(DEFAULT_TAXONOMY.map((x) => ({ ...x })));
    // easyShare has no default: absent, the rounds.hardShare schedule decides.
    expect(c.selection).toEqual({ delta: 1 });
    expect(c.rounds).toEqual({ count: 3, hardShare: [0.3, 0.5, 0.7] });
    expect(DEFAULT_HARD_SHARE).toEqual([0.3, 0.5, 0.7]);
    expect(c.expansion).toEqual({
      enabled: false,
      temperature: 1,
      oversample: 1.5,
      maxPerRound: 1000,
      maxPasses: 2,
      minWords: 4,
      maxRougeL: 0.7,
    });
    expect(c.synthesis).toEqual({
      enabled: false,
      audiences: [...DEFAULT_SYNTHESIS_AUDIENCES],
      forms: ['exercise', 'question', 'task', 'textbook-style problem with a worked answer'],
      temperature: 1,
      oversample: 1.25,
      maxPerRound: 1000,
      minWords: 4,
      maxRougeL: 0.7,
    });
    expect(c.difficulty).toEqual({ signal: 'mfd', combine: 'and', ifd: { delta: 0.75, max: 1 } });
    expect(c.rebalance).toEqual({ maxRepeats: 3 });
    expect(DEFAULT_MAX_REPEATS).toBe(3);
    expect(c.curriculum).toEqual({ stages: 3 });
    expect(c.judge).toEqual({ maxParseAttempts: 3 });
    expect(c.refine).toEqual({ prompts: {} });
    expect(c.import).toEqual({ maxInstructionChars: 32_000, maxRowBytes: 8 * 1024 * 1024, turns: 'first' });
  });

  test('import limits and a model context size can be set, and are range-checked', () => {
    const c = parseCampaignConfig(`${MINIMAL}import:\n  maxInstructionChars: 500\n  maxRowBytes: 4096\n`, 'c.yaml');
    expect(c.import).toEqual({ maxInstructionChars: 500, maxRowBytes: 4096, turns: 'first' });
    const withContext = parseCampaignConfig(MINIMAL.replace('    model: gpt-4o\n', '    model: gpt-4o\n    contextTokens: 128000\n'), 'c.yaml');
    expect(withContext.models.teacher.contextTokens).toBe(128000);
    expect(withContext.models.student.contextTokens).toBeUndefined();
    expect(configError(`${MINIMAL}import:\n  maxInstructionChars: 0\n`).message).toContain('import.maxInstructionChars: expected an integer >= 1');
    expect(configError(MINIMAL.replace('    model: gpt-4o\n', '    model: gpt-4o\n    contextTokens: lots\n')).message).toContain(
      'models.teacher.contextTokens: expected an integer >= 1',
    );
  });

  test('sections whose lines are all commented out mean defaults', () => {
    const c = parseCampaignConfig(`${MINIMAL}\nrebalance:\n  # targetSize: 5\nselection:\n`, 'c.yaml');
    expect(c.rebalance).toEqual({ maxRepeats: 3 });
    expect(c.selection.delta).toBe(1);
    const d = parseCampaignConfig(
      `${MINIMAL}rounds:\n  # count: 2\nexpansion:\ndifficulty:\n  signal: mfd\n  ifd:\n    # delta: 0.5\n`,
      'c.yaml',
    );
    expect(d.rounds).toEqual({ count: 3, hardShare: [0.3, 0.5, 0.7] });
    expect(d.expansion.enabled).toBe(false);
    expect(d.difficulty.ifd).toEqual({ delta: 0.75, max: 1 });
  });

  test('the default hard-share schedule is a fresh list per config', () => {
    const a = parseCampaignConfig(MINIMAL, 'a.yaml');
    a.rounds.hardShare.push(0.9);
    expect(parseCampaignConfig(MINIMAL, 'b.yaml').rounds.hardShare).toEqual([0.3, 0.5, 0.7]);
    expect(DEFAULT_HARD_SHARE).toEqual([0.3, 0.5, 0.7]);
  });

  test('rounds, expansion and difficulty overrides', () => {
    const text = `${MINIMAL}
rounds: { count: 5, hardShare: [0.2, 1] }
expansion:
  enabled: true
  temperature: 0.9
  oversample: 2
  maxPerRound: 50
  maxPasses: 1
  minWords: 1
  maxRougeL: 1
difficulty:
  signal: both
  combine: or
  ifd: { delta: 0.5, max: 0.5 }
`;
    const c = parseCampaignConfig(text, 'c.yaml');
    expect(c.rounds).toEqual({ count: 5, hardShare: [0.2, 1] });
    expect(c.expansion).toEqual({
      enabled: true,
      temperature: 0.9,
      oversample: 2,
      maxPerRound: 50,
      maxPasses: 1,
      minWords: 1,
      maxRougeL: 1,
    });
    // delta may equal max: an item at exactly max is still usable and hard.
    expect(c.difficulty).toEqual({ signal: 'both', combine: 'or', ifd: { delta: 0.5, max: 0.5 } });
    expect(parseCampaignConfig(`${MINIMAL}difficulty: { signal: ifd }\n`, 'c.yaml').difficulty.signal).toBe('ifd');
  });

  test('easyShare 0 is a setting (hard items only), not the absence of one', () => {
    expect(parseCampaignConfig(`${MINIMAL}selection: { easyShare: 0 }\n`, 'c.yaml').selection).toEqual({ delta: 1, easyShare: 0 });
  });

  test('full config with overrides', () => {
    const text = `${MINIMAL}
name: run-1
seed: 7
taxonomy:
  categories:
    - { name: Math, weight: 2 }
    - { name: Code Debug, weight: 1 }
    - { name: others, weight: 1 }
selection: { delta: 1.5, easyShare: 0.2 }
rebalance: { targetSize: 500, maxRepeats: 0 }
curriculum: { stages: 4 }
judge: { maxParseAttempts: 5 }
refine:
  prompts:
    code_debug: "Fix: {instruction}"
`;
    const c = parseCampaignConfig(text, 'campaign.yaml');
    expect(c.name).toBe('run-1');
    expect(c.seed).toBe(7);
    expect(c.taxonomy.categories.map((x) => x.name)).toEqual(['Math', 'Code Debug', 'Others']);
    expect(c.selection).toEqual({ delta: 1.5, easyShare: 0.2 });
    expect(c.rebalance).toEqual({ targetSize: 500, maxRepeats: 0 });
    expect(c.curriculum.stages).toBe(4);
    expect(c.judge.maxParseAttempts).toBe(5);
    // Keys are rewritten to the canonical category name.
    expect(c.refine.prompts).toEqual({ 'Code Debug': 'Fix: {instruction}' });
  });

  test('structuredOutput: every setting the provider takes; one it cannot take is refused, naming the field', () => {
    const judge = (setting: string) => MINIMAL.replace('    apiKeyEnv: ANTHROPIC_API_KEY\n', `    apiKeyEnv: ANTHROPIC_API_KEY\n    structuredOutput: ${setting}\n`);
    for (const setting of ['auto', 'tool', 'off'] as const) {
      expect(parseCampaignConfig(judge(setting), 'c.yaml').models.judge.structuredOutput).toBe(setting);
    }
    const wrong = configError(judge('json_schema'));
    expect(wrong.message).toContain(`campaign.yaml:${lineOf(judge('json_schema'), 'structuredOutput')}: models.judge.structuredOutput: provider anthropic takes structured replies as "tool", not "json_schema"`);
    expect(configError(judge('yes')).issues[0]?.message).toMatch(/^expected one of "auto", "json_schema", "tool", "off"/);
    const teacher = MINIMAL.replace('    apiKeyEnv: OPENAI_API_KEY\n', '    apiKeyEnv: OPENAI_API_KEY\n    structuredOutput: tool\n');
    expect(configError(teacher).issues[0]?.message).toMatch(/provider openai takes structured replies as "json_schema", not "tool"/);
  });

  test('pricing and per-model settings', () => {
    const text = MINIMAL.replace(
      '    apiKeyEnv: OPENAI_API_KEY\n',
      '    apiKeyEnv: OPENAI_API_KEY\n    concurrency: 2\n    temperature: 0\n    pricing: { inputPerMTok: 2.5, outputPerMTok: 10 }\n',
    );
    const c = parseCampaignConfig(text, 'c.yaml');
    expect(c.models.teacher.concurrency).toBe(2);
    expect(c.models.teacher.temperature).toBe(0);
    expect(c.models.teacher.pricing).toEqual({ inputPerMTok: 2.5, outputPerMTok: 10 });
  });

  test('JSON files are accepted', () => {
    const c = parseCampaignConfig(
      JSON.stringify({
        models: {
          teacher: { provider: 'openai', model: 't', apiKeyEnv: 'K' },
          student: { provider: 'openai-compatible', model: 's' },
          judge: { provider: 'anthropic', model: 'j', apiKeyEnv: 'K' },
        },
      }),
      'campaign.json',
    );
    expect(c.models.student.model).toBe('s');
  });

  test('a byte-order mark is ignored', () => {
    expect(parseCampaignConfig(`\uFEFF${MINIMAL}`, 'c.yaml').seed).toBe(42);
    const json = JSON.stringify({ models: { teacher: { provider: 'openai-compatible', model: 't' }, student: { provider: 'openai-compatible', model: 's' }, judge: { provider: 'openai-compatible', model: 'j' } } });
    expect(parseCampaignConfig(`\uFEFF${json}`, 'c.json').models.judge.model).toBe('j');
  });

  test('the schema is usable directly', () => {
    const parsed: CampaignConfig = campaignConfigSchema.parse({
      models: {
        teacher: { provider: 'openai-compatible', model: 't' },
        student: { provider: 'openai-compatible', model: 's' },
        judge: { provider: 'openai-compatible', model: 'j' },
      },
    });
    expect(parsed.curriculum.stages).toBe(3);
  });
});

describe('parseCampaignConfig: errors name the file, the line and the field', () => {
  test('wrong type', () => {
    const text = MINIMAL.replace('    model: gpt-4o\n', '    model: gpt-4o\n    concurrency: eight\n');
    const e = configError(text);
    const line = lineOf(text, 'concurrency: eight');
    expect(e.message).toContain(`Invalid config campaign.yaml:\ncampaign.yaml:${line}: models.teacher.concurrency: expected an integer >= 1, got "eight"`);
    expect(e.issues).toEqual([{ path: 'models.teacher.concurrency', message: 'expected an integer >= 1, got "eight"', line }]);
  });

  test('out-of-range numbers', () => {
    const text = `${MINIMAL}selection:\n  easyShare: 1\ncurriculum:\n  stages: 0\n`;
    const e = configError(text);
    expect(e.message).toContain(`campaign.yaml:${lineOf(text, 'easyShare')}: selection.easyShare: expected a number >= 0 and < 1, got 1`);
    expect(e.message).toContain(`campaign.yaml:${lineOf(text, 'stages')}: curriculum.stages: expected an integer >= 1, got 0`);
  });

  test('rounds: count is an integer >= 1, hardShare a non-empty list of numbers in (0, 1]', () => {
    const text = `${MINIMAL}rounds:\n  count: 0\n  hardShare: [0.5, 0, 1.5, x]\n`;
    const line = lineOf(text, 'hardShare');
    expect(configError(text).issues).toEqual([
      { path: 'rounds.count', message: 'expected an integer >= 1, got 0', line: lineOf(text, 'count: 0') },
      { path: 'rounds.hardShare[1]', message: 'expected a number > 0 and <= 1, got 0', line },
      { path: 'rounds.hardShare[2]', message: 'expected a number > 0 and <= 1, got 1.5', line },
      { path: 'rounds.hardShare[3]', message: 'expected a number > 0 and <= 1, got "x"', line },
    ]);
    const empty = `${MINIMAL}rounds:\n  hardShare: []\n`;
    expect(configError(empty).issues).toEqual([
      {
        path: 'rounds.hardShare',
        message: 'expected a non-empty list of numbers > 0 and <= 1, one per round, got a list of 0',
        line: lineOf(empty, 'hardShare'),
      },
    ]);
    expect(configError(`${MINIMAL}rounds:\n  hardShare: 0.5\n`).issues[0]).toMatchObject({
      path: 'rounds.hardShare',
      message: 'expected a list of numbers > 0 and <= 1, one per round, got 0.5',
    });
    expect(configError(`${MINIMAL}rounds: 3\n`).issues[0]).toMatchObject({
      path: 'rounds',
      message: 'expected a mapping (count, hardShare, targetSize), got 3',
    });
  });

  test('expansion settings are range-checked', () => {
    const text = `${MINIMAL}expansion:
  enabled: yes please
  temperature: 2.5
  oversample: 0.5
  maxPerRound: 0
  maxPasses: 1.5
  minWords: 0
  maxRougeL: 0
`;
    expect(configError(text).issues).toEqual([
      { path: 'expansion.enabled', message: 'expected true or false, got "yes please"', line: lineOf(text, 'enabled') },
      { path: 'expansion.temperature', message: 'expected a number from 0 to 2, got 2.5', line: lineOf(text, 'temperature: 2.5') },
      { path: 'expansion.oversample', message: 'expected a number >= 1, got 0.5', line: lineOf(text, 'oversample') },
      { path: 'expansion.maxPerRound', message: 'expected an integer >= 1, got 0', line: lineOf(text, 'maxPerRound') },
      { path: 'expansion.maxPasses', message: 'expected an integer >= 1, got 1.5', line: lineOf(text, 'maxPasses') },
      { path: 'expansion.minWords', message: 'expected an integer >= 1, got 0', line: lineOf(text, 'minWords') },
      { path: 'expansion.maxRougeL', message: 'expected a number > 0 and <= 1, got 0', line: lineOf(text, 'maxRougeL') },
    ]);
    expect(configError(`${MINIMAL}expansion:\n  maxRougeL: 1.1\n`).issues[0]?.message).toBe('expected a number > 0 and <= 1, got 1.1');
    const typo = configError(`${MINIMAL}expansion:\n  oversampel: 2\n`);
    expect(typo.issues[0]?.message).toMatch(/^unknown key "oversampel"; did you mean "oversample"\?/);
  });

  test('difficulty: signal and combine are enums, IFD thresholds are numbers > 0', () => {
    const text = `${MINIMAL}difficulty:\n  signal: judge\n  combine: xor\n  ifd:\n    delta: 0\n    max: -1\n`;
    expect(configError(text).issues).toEqual([
      { path: 'difficulty.signal', message: 'expected one of "mfd", "ifd", "both", got "judge"', line: lineOf(text, 'signal') },
      { path: 'difficulty.combine', message: 'expected one of "and", "or", got "xor"', line: lineOf(text, 'combine') },
      { path: 'difficulty.ifd.delta', message: 'expected a number > 0, got 0', line: lineOf(text, 'delta: 0') },
      { path: 'difficulty.ifd.max', message: 'expected a number > 0, got -1', line: lineOf(text, 'max: -1') },
    ]);
    expect(configError(`${MINIMAL}difficulty:\n  ifd: 1\n`).issues[0]).toMatchObject({
      path: 'difficulty.ifd',
      message: 'expected a mapping (delta, max), got 1',
    });
  });

  test('an IFD signal needs an openai-compatible student', () => {
    const student = MINIMAL.replace('    provider: openai-compatible\n', '    provider: openai\n    apiKeyEnv: OPENAI_API_KEY\n');
    for (const signal of ['ifd', 'both']) {
      const text = `${student}difficulty:\n  signal: ${signal}\n`;
      expect(configError(text).issues).toEqual([
        {
          path: 'difficulty.signal',
          message:
            `signal "${signal}" needs models.student.provider "openai-compatible" (it is "openai"): prompt log-probabilities ` +
            "come from an OpenAI-compatible completions endpoint such as vLLM's /v1/completions with echo and logprobs",
          line: lineOf(text, 'signal:'),
        },
      ]);
    }
    // The judge's MFD needs nothing from the student's endpoint.
    expect(parseCampaignConfig(`${student}difficulty:\n  signal: mfd\n`, 'c.yaml').difficulty.signal).toBe('mfd');
  });

  test('difficulty.ifd.delta must not exceed difficulty.ifd.max', () => {
    const text = `${MINIMAL}difficulty:\n  ifd:\n    delta: 1.2\n    max: 1.1\n`;
    expect(configError(text).issues).toEqual([
      {
        path: 'difficulty.ifd.delta',
        message: 'expected a number <= difficulty.ifd.max (1.1), got 1.2: items with IFD above max are dropped, so none could be hard',
        line: lineOf(text, 'delta: 1.2'),
      },
    ]);
    // Against the default max of 1 too.
    expect(configError(`${MINIMAL}difficulty:\n  ifd: { delta: 1.5 }\n`).issues[0]?.path).toBe('difficulty.ifd.delta');
  });

  test('rebalance.maxRepeats must be an integer >= 0', () => {
    for (const bad of ['-1', '1.5', 'three']) {
      const text = `${MINIMAL}rebalance:\n  maxRepeats: ${bad}\n`;
      const e = configError(text);
      const shown = bad === 'three' ? '"three"' : bad;
      expect(e.issues).toEqual([
        {
          path: 'rebalance.maxRepeats',
          message: `expected an integer >= 0 (extra copies allowed per item; 0 = no repetition), got ${shown}`,
          line: lineOf(text, 'maxRepeats'),
        },
      ]);
    }
    expect(parseCampaignConfig(`${MINIMAL}rebalance:\n  maxRepeats: 0\n`, 'c.yaml').rebalance.maxRepeats).toBe(0);
  });

  test('unknown key, with a suggestion and the allowed keys', () => {
    const text = MINIMAL.replace('    model: llama-7b\n', '    model: llama-7b\n    temprature: 0.5\n');
    const e = configError(text);
    expect(e.message).toContain(
      `campaign.yaml:${lineOf(text, 'temprature')}: models.student.temprature: unknown key "temprature"; did you mean "temperature"?`,
    );
    expect(e.message).toContain('allowed here: provider, model, baseURL');
  });

  test('unknown top-level key', () => {
    const text = `${MINIMAL}stages: 3\n`;
    const e = configError(text);
    expect(e.issues[0]).toMatchObject({ path: 'stages', line: lineOf(text, 'stages: 3') });
    expect(e.issues[0]?.message).toMatch(/^unknown key "stages"/);
  });

  test('missing model role', () => {
    const text = MINIMAL.replace(/ {2}judge:\n(?: {4}.*\n)+/, '');
    const e = configError(text);
    expect(e.message).toContain(`campaign.yaml:${lineOf(text, 'models:')}: models.judge: expected a mapping with at least provider and model, but it is missing`);
  });

  test('missing model name and missing models section', () => {
    const e = configError(MINIMAL.replace('    model: claude\n', ''));
    expect(e.message).toMatch(/models\.judge\.model: expected text, but it is missing/);
    const e2 = configError('seed: 1\n');
    expect(e2.message).toContain('campaign.yaml:1: models: expected a mapping (teacher, student and judge), but it is missing');
  });

  test('apiKeyEnv required for hosted providers', () => {
    const text = MINIMAL.replace('    apiKeyEnv: OPENAI_API_KEY\n', '');
    const e = configError(text);
    expect(e.message).toContain(`campaign.yaml:${lineOf(text, 'teacher:')}: models.teacher.apiKeyEnv: required for provider openai`);
  });

  test('a key pasted into apiKeyEnv is rejected and not echoed', () => {
    const secret = 'sk-proj-abcDEF1234567890abcdef1234567890';
    const text = MINIMAL.replace('apiKeyEnv: OPENAI_API_KEY', `apiKeyEnv: ${secret}`);
    const e = configError(text);
    expect(e.message).toContain(`campaign.yaml:${lineOf(text, secret)}: models.teacher.apiKeyEnv: this looks like an API key itself`);
    expect(e.message).toMatch(/put the key in an environment variable/);
    expect(e.message).not.toContain(secret);
    const random = 'A9f8s7d6f5g4h3j2k1l0qWeRtY';
    expect(configError(MINIMAL.replace('apiKeyEnv: OPENAI_API_KEY', `apiKeyEnv: ${random}`)).message).not.toContain(random);
  });

  test('apiKeyEnv that is not a variable name', () => {
    const e = configError(MINIMAL.replace('apiKeyEnv: OPENAI_API_KEY', 'apiKeyEnv: "my key"'));
    expect(e.message).toMatch(/models\.teacher\.apiKeyEnv: expected an environment variable name .*got "my key"/);
  });

  test('bad refine override key and template', () => {
    const text = `${MINIMAL}refine:\n  prompts:\n    Astrology: "{instruction}"\n`;
    const e = configError(text);
    expect(e.message).toContain(`campaign.yaml:${lineOf(text, 'Astrology')}: refine.prompts.Astrology: "Astrology" is not a taxonomy category`);
    const e2 = configError(`${MINIMAL}refine:\n  prompts:\n    Math: "no placeholder"\n`);
    expect(e2.message).toMatch(/refine\.prompts\.Math: the template must contain \{instruction\}/);
    const e3 = configError(`${MINIMAL}refine:\n  prompts:\n    Code Debug: "{instruction}"\n    code-debug: "{instruction}"\n`);
    expect(e3.message).toMatch(/both mean category "Code Debug"/);
  });

  test('refine keys are checked against a custom taxonomy', () => {
    const text = `${MINIMAL}taxonomy:\n  categories:\n    - { name: Math, weight: 1 }\n    - { name: Others, weight: 1 }\nrefine:\n  prompts:\n    Writing: "{instruction}"\n`;
    expect(configError(text).message).toMatch(/refine\.prompts\.Writing: "Writing" is not a taxonomy category/);
  });

  test('taxonomy problems', () => {
    const text = `${MINIMAL}taxonomy:\n  categories:\n    - { name: Math, weight: 1 }\n    - { name: math, weight: 1 }\n    - { name: Code, weight: 0 }\n`;
    const e = configError(text);
    expect(e.message).toMatch(/taxonomy\.categories: must include a category named "Others"/);
    expect(e.message).toContain(`campaign.yaml:${lineOf(text, 'name: math')}: taxonomy.categories[1].name: duplicate category "math"`);
    expect(e.message).toContain(`campaign.yaml:${lineOf(text, 'name: Code')}: taxonomy.categories[2].weight: expected a number > 0, got 0`);
    expect(configError(`${MINIMAL}taxonomy:\n  categories: []\n`).message).toMatch(/expected at least one category/);
  });

  test('several problems are all reported, in line order', () => {
    const text = MINIMAL.replace('provider: openai\n', 'provider: openia\n').replace('model: claude', 'model: 5') + 'seed: x\n';
    const e = configError(text);
    expect(e.issues.map((i) => i.path)).toEqual(['models.teacher.provider', 'models.judge.model', 'seed']);
    expect(e.issues[0]?.message).toBe('expected one of "openai", "anthropic", "openai-compatible", got "openia"');
    const lines = e.issues.map((i) => i.line ?? 0);
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
  });

  test('bad URL', () => {
    const e = configError(MINIMAL.replace('http://localhost:8000/v1', 'localhost:8000'));
    expect(e.message).toMatch(/models\.student\.baseURL: expected an http\(s\) URL, got "localhost:8000"/);
  });

  test('YAML syntax error with line and column', () => {
    const e = configError('models:\n  teacher: [1, 2\nseed: 1\n');
    expect(e.issues).toHaveLength(1);
    expect(e.issues[0]?.message).toMatch(/^YAML syntax error: /);
    expect(e.message).toMatch(/^Invalid config campaign\.yaml:\ncampaign\.yaml:\d+:\d+: YAML syntax error/);
  });

  test('duplicate YAML keys are an error', () => {
    const e = configError(`${MINIMAL}seed: 1\nseed: 2\n`);
    expect(e.message).toMatch(/YAML syntax error: .*unique/i);
  });

  test('JSON syntax error with line and column', () => {
    const e = configError('{\n  "models": {\n    "teacher": 1,\n  }\n}', 'campaign.json');
    expect(e.message).toMatch(/^Invalid config campaign\.json:\ncampaign\.json:4:3: JSON syntax error: /);
  });

  test('JSON validation errors get lines too', () => {
    const text = '{\n  "models": {\n    "teacher": {"provider": "openai", "model": "m", "apiKeyEnv": "K"},\n    "student": {"provider": "openai-compatible", "model": "s"},\n    "judge": {"provider": "x", "model": "j"}\n  }\n}';
    const e = configError(text, 'c.json');
    expect(e.message).toContain('c.json:5: models.judge.provider: expected one of');
  });

  test('a YAML alias bomb is refused as a config problem, without expanding it', () => {
    const letters = 'abcdefghij';
    let bomb = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
    for (let i = 1; i < letters.length; i++) bomb += `${letters[i]}: &${letters[i]} [${Array(9).fill(`*${letters[i - 1]}`).join(',')}]\n`;
    const started = Date.now();
    const e = configError(bomb);
    expect(e.message).toMatch(/YAML aliases refused: .*alias/);
    expect(Date.now() - started).toBeLessThan(2000);
    // A few aliases, as people use them to share a model block, are fine.
    const shared = MINIMAL.replace('  teacher:\n', '  teacher: &m\n') + 'name: shared\n';
    expect(parseCampaignConfig(shared, 'c.yaml').name).toBe('shared');
  });

  test.each([
    ['flow brackets', 'campaign.yaml', `name: [${'['.repeat(100_000)}${']'.repeat(100_000)}]\n`, 1],
    ['JSON', 'campaign.json', `{"name": ${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}}`, 1],
    ['block indentation', 'campaign.yaml', Array.from({ length: 2000 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n') + ' 1\n', 65],
  ])('deep nesting (%s; 100,000 levels, or 2,000 of indentation) is refused with the line, quickly', (_, fileName, text, line) => {
    const started = Date.now();
    const e = configError(text, fileName);
    expect(e.issues).toEqual([expect.objectContaining({ line, message: expect.stringContaining('nests more than 64 levels deep') })]);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  test('nesting up to the limit is not refused for depth', () => {
    const text = `${MINIMAL}refine:\n  prompts:\n    Others: "${'[{'.repeat(40)} {instruction}"\n` + `name: ${'['.repeat(20)}x${']'.repeat(20)}\n`;
    const e = configError(text);
    expect(e.message).not.toContain('nests more than');
  });

  test('empty file and non-mapping root', () => {
    expect(configError('').message).toBe(
      'Invalid config campaign.yaml:\ncampaign.yaml:1: the file is empty; expected a campaign config with at least a models: section',
    );
    expect(configError('- a\n- b\n').message).toContain('campaign.yaml:1: expected a mapping with at least a models: section, got a list of 2');
  });
});

describe('configHash', () => {
  test('independent of key order and formatting; sensitive to values', () => {
    const a = parseCampaignConfig(MINIMAL, 'a.yaml');
    const reordered = `seed: 42\n${MINIMAL.replace(
      '    provider: openai\n    model: gpt-4o\n',
      '    model: gpt-4o\n    provider: openai\n',
    )}`;
    const b = parseCampaignConfig(reordered, 'b.yaml');
    expect(configHash(b)).toBe(configHash(a));
    expect(configHash(a)).toMatch(/^[0-9a-f]{64}$/);
    const c = parseCampaignConfig(`${MINIMAL}seed: 43\n`, 'c.yaml');
    expect(configHash(c)).not.toBe(configHash(a));
  });
});

describe('looksLikeSecret', () => {
  test.each(['sk-abc', 'sk-ant-api03-xyz', 'xai-123', 'Bearer abc', 'ghp_A1b2C3d4E5f6G7h8I9j0K1l2', 'AIzaSyA1b2C3d4E5f6G7h8I9j0'])('%s is a secret', (v) => {
    expect(looksLikeSecret(v)).toBe(true);
  });
  test.each(['OPENAI_API_KEY', 'TAPIR_SIM_KEY', 'ANTHROPIC_API_KEY', 'AZURE_OPENAI_API_KEY_PRODUCTION_EASTUS', 'HF_TOKEN', 'MY_KEY_2024'])(
    '%s is a name',
    (v) => {
      expect(looksLikeSecret(v)).toBe(false);
    },
  );
});

describe('a key pasted into the wrong field', () => {
  test('is never echoed in the error', () => {
    const key = 'sk-tapirSECRET0123456789abcdefXYZ';
    const text = `models:\n  teacher: { provider: openai, model: m, apiKeyEnv: K, temperature: ${key} }\n  student: { provider: openai-compatible, model: s }\n  judge: { provider: openai-compatible, model: j }\n`;
    let message = '';
    try {
      parseCampaignConfig(text, 'leak.yaml');
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain('models.teacher.temperature');
    expect(message).not.toContain('tapirSECRET');
  });
});

describe('conversations and synthesis settings', () => {
  test('import.turns is first or all; anything else names the field', () => {
    expect(parseCampaignConfig(`${MINIMAL}import:\n  turns: all\n`, 'c.yaml').import.turns).toBe('all');
    expect(() => parseCampaignConfig(`${MINIMAL}import:\n  turns: last\n`, 'c.yaml')).toThrow(/import\.turns/);
  });

  test('synthesis.categories must name taxonomy categories; the error names the entry', () => {
    const ok = parseCampaignConfig(`${MINIMAL}synthesis:\n  enabled: true\n  categories: [Math, code generation]\n`, 'c.yaml');
    expect(ok.synthesis.categories).toEqual(['Math', 'code generation']);
    expect(() => parseCampaignConfig(`${MINIMAL}synthesis:\n  categories: [Astrology]\n`, 'c.yaml')).toThrow(/synthesis\.categories\[0\].*Astrology/);
    expect(() => parseCampaignConfig(`${MINIMAL}synthesis:\n  forms: []\n`, 'c.yaml')).toThrow(/synthesis\.forms/);
  });
});
