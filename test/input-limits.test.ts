import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { runTapir, type CliResult } from './support/run-tapir';
import { createTestEnv, type TestEnv } from './support/test-env';

/**
 * Limits on what tapir takes in (issue 20): rows too long or too large, nesting and alias bombs,
 * prompts beyond a model's context, and models without a price. Each refusal exits 2 naming the
 * file and line or the config field; where the claim is bounded memory, the CLI's peak RSS is
 * measured (process.resourceUsage().maxRSS, written by a --require hook at exit).
 */
const STACK_LINE = /^\s+at .+(\(.+:\d+:\d+\)|:\d+:\d+)$/m;

describe('input limits', () => {
  let env: TestEnv;
  let dir: string;
  let rssHook: string;

  const configLines = (extra: string[] = [], models: { student?: string; context?: number } = {}): string => {
    const context = models.context === undefined ? '' : `, contextTokens: ${models.context}`;
    return [
      'name: input-limits',
      'seed: 7',
      'models:',
      `  teacher: { provider: openai, model: sim-teacher, baseURL: ${env.simUrl}/v1, apiKeyEnv: TAPIR_SIM_KEY${context} }`,
      `  student: { provider: openai-compatible, model: ${models.student ?? 'sim-student'}, baseURL: ${env.simUrl}/v1${context} }`,
      `  judge: { provider: anthropic, model: sim-judge, baseURL: ${env.simUrl}, apiKeyEnv: TAPIR_SIM_KEY${context} }`,
      ...extra,
    ].join('\n') + '\n';
  };

  async function file(name: string, content: string): Promise<string> {
    const path = join(dir, name);
    await writeFile(path, content);
    return path;
  }

  /** Runs tapir and reports its peak resident memory in MB. */
  async function measured(args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<CliResult & { peakMb: number }> {
    const rssFile = join(dir, `rss-${Date.now()}-${Math.random().toString(36).slice(2)}.txt`);
    const result = await runTapir(args, { ...env.childEnv, ...extraEnv, NODE_OPTIONS: `--require ${rssHook}`, TAPIR_TEST_RSS_FILE: rssFile }, 300_000);
    const kb = Number(await readFile(rssFile, 'utf8'));
    return { ...result, peakMb: Math.round(kb / 1024) };
  }

  function expectRefused(result: CliResult, ...mentions: (string | RegExp)[]): void {
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 2, stderr: expect.stringMatching(/^tapir: /) });
    expect(result.stderr + result.stdout).not.toMatch(STACK_LINE);
    for (const m of mentions) expect(result.stderr).toEqual(typeof m === 'string' ? expect.stringContaining(m) : expect.stringMatching(m));
  }

  const campaignIdOf = (result: CliResult) => /^campaign (\S+)$/.exec(result.stdout.trim().split('\n').pop()!)![1]!;
  const create = (config: string, data: string, ...extra: string[]) =>
    runTapir(['campaign', 'create', '--config', config, '--data', data, ...extra], env.childEnv);

  beforeAll(async () => {
    env = await createTestEnv();
    dir = await mkdtemp(join(tmpdir(), 'tapir-input-limits-'));
    rssHook = await file(
      'rss-hook.js',
      "process.on('exit', () => require('fs').writeFileSync(process.env.TAPIR_TEST_RSS_FILE, String(process.resourceUsage().maxRSS)));\n",
    );
  });

  afterAll(async () => {
    await env?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('rows over import.maxInstructionChars or import.maxRowBytes: --strict refuses naming the lines, otherwise they are skipped and listed', async () => {
    const config = await file('limits.yaml', configLines(['import: { maxInstructionChars: 100, maxRowBytes: 2000 }']));
    const rows = [
      { instruction: 'Add 2 and 3.' },
      { instruction: 'x'.repeat(101) },
      { instruction: 'Name a prime.' },
      { instruction: 'short', output: 'y'.repeat(3000) },
      { instruction: 'Name a colour.' },
    ];
    const data = await file('limits.jsonl', rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
    const strict = await create(config, data, '--strict');
    expectRefused(strict, `${data}:2: instruction is 101 characters, more than import.maxInstructionChars = 100`, `${data}:4: line is larger than`, 'import.maxRowBytes = 2000');

    const lenient = await create(config, data);
    expect(lenient.code).toBe(0);
    expect(lenient.stdout).toMatch(/imported 3 item/);
    expect(lenient.stdout).toMatch(/bad rows\s+2/);
    expect(lenient.stdout).toContain(`${data}:2:`);
    expect(lenient.stdout).toContain(`${data}:4:`);
  });

  test('a 1 GB single line: skipped to the next newline in bounded memory (refused under --strict, listed otherwise)', async () => {
    const data = join(dir, 'one-gigabyte-line.jsonl');
    const out = createWriteStream(data);
    const write = async (text: string | Buffer) => {
      if (!out.write(text)) await once(out, 'drain');
    };
    await write('{"instruction": "Add 2 and 3."}\n{"instruction": "');
    const mebibyte = Buffer.alloc(1024 * 1024, 'Summarise this. ');
    for (let i = 0; i < 1024; i++) await write(mebibyte);
    await write('"}\n{"instruction": "Name a prime."}\n');
    out.end();
    await once(out, 'finish');
    try {
      const config = await file('default-limits.yaml', configLines());
      const strict = await measured(['campaign', 'create', '--config', config, '--data', data, '--strict']);
      expectRefused(strict, `${data}:2: line is larger than the 8 MiB limit (import.maxRowBytes = 8388608)`);
      const lenient = await measured(['campaign', 'create', '--config', config, '--data', data]);
      expect(lenient.code).toBe(0);
      expect(lenient.stdout).toMatch(/imported 2 item/);
      expect(lenient.stdout).toContain(`${data}:2: line is larger than`);
      // Node, the drivers and the CLI take ~100 MB; a 1 GB line read whole would take over 2 GB.
      expect(strict.peakMb).toBeLessThan(250);
      expect(lenient.peakMb).toBeLessThan(250);
      process.stdout.write(`1 GB line: peak RSS ${strict.peakMb} MB (--strict), ${lenient.peakMb} MB (lenient)\n`);
    } finally {
      await rm(data, { force: true });
    }
  }, 600_000);

  test('a data row nested 100,000 deep is a bad row naming its line, in JSONL and in a JSON array', async () => {
    const config = await file('deep-data.yaml', configLines());
    const deep = '{"instruction": "deep", "extra": ' + '['.repeat(100_000) + ']'.repeat(100_000) + '}';
    const jsonl = await file('deep.jsonl', ['{"instruction": "Add 2 and 3."}', deep, '{"instruction": "Name a prime."}'].join('\n') + '\n');
    expectRefused(await create(config, jsonl, '--strict'), `${jsonl}:2: row nests objects/arrays more than 64 levels deep`);
    const array = await file('deep.json', '[\n{"instruction": "Add 2 and 3."},\n' + deep + ',\n{"instruction": "Name a prime."}\n]\n');
    expectRefused(await create(config, array, '--strict'), `${array}:3: row nests objects/arrays more than 64 levels deep`);
    const lenient = await create(config, jsonl);
    expect(lenient.code).toBe(0);
    expect(lenient.stdout).toMatch(/imported 2 item/);
  });

  test('a YAML alias bomb and a config nested 100,000 deep are refused with exit 2 in bounded memory', async () => {
    const data = await file('good.jsonl', '{"instruction": "Add 2 and 3."}\n');
    const letters = 'abcdefghij';
    let bomb = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
    for (let i = 1; i < letters.length; i++) bomb += `${letters[i]}: &${letters[i]} [${Array(9).fill(`*${letters[i - 1]}`).join(',')}]\n`;
    const bombFile = await file('bomb.yaml', configLines() + bomb);
    const bombRun = await measured(['campaign', 'create', '--config', bombFile, '--data', data]);
    expectRefused(bombRun, bombFile, /alias/i);

    const deepFile = await file('deep.yaml', configLines() + `refine: ${'{a: '.repeat(100_000)}1${'}'.repeat(100_000)}\n`);
    const deepRun = await measured(['campaign', 'create', '--config', deepFile, '--data', data]);
    expectRefused(deepRun, `${deepFile}:7`, 'nests more than 64 levels deep');

    const bigFile = await file('big.yaml', configLines() + `# ${'x'.repeat(2 * 1024 * 1024)}\n`);
    expectRefused(await create(bigFile, data), bigFile, /more than the 1024 KiB/);
    expect(bombRun.peakMb).toBeLessThan(250);
    expect(deepRun.peakMb).toBeLessThan(250);
    process.stdout.write(`config refusals: peak RSS ${bombRun.peakMb} MB (alias bomb), ${deepRun.peakMb} MB (100,000 deep)\n`);
  }, 120_000);

  test('a prompt beyond the model context fails as too_long before any request reaches the provider', async () => {
    // The clean step's length and repetition rules would drop this row before any model saw it; this test is about the context check.
    const config = await file('context.yaml', configLines(['clean: { enabled: false }'], { context: 2000 }));
    // Under import.maxInstructionChars (32,000) but ~6,000 tokens, beyond contextTokens 2000.
    const data = await file('too-long.jsonl', JSON.stringify({ instruction: 'Summarise this text. '.repeat(1000) }) + '\n');
    const created = await create(config, data, '--strict');
    expect(created.code).toBe(0);
    const id = campaignIdOf(created);
    const requestsBefore = env.sim.stats().requests;
    // --no-preflight: its probes would reach the provider, and this test counts what does.
    const run = await runTapir(['run', id, '--no-preflight'], env.childEnv, 180_000);
    expect(run.stderr + run.stdout).not.toMatch(STACK_LINE);
    // Its only item failed, so the round planned no rows: not a success (issue 18).
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('completed with no rows planned: 1 of 1 items failed');
    const status = JSON.parse((await runTapir(['status', id, '--json'], env.childEnv)).stdout) as {
      items: { failed: number };
      failures: { reason: string; count: number }[];
      llm: unknown[];
    };
    expect(status.items.failed).toBe(1);
    expect(status.failures).toEqual([expect.objectContaining({ count: 1, reason: expect.stringMatching(/^too_long: .*models\.\w+\.contextTokens \(2000\)/) })]);
    expect(status.llm).toEqual([]); // no ledger row: nothing was sent, nothing paid
    expect(env.sim.stats().requests).toBe(requestsBefore); // and the provider saw nothing
  }, 240_000);

  describe('a model without a price', () => {
    test('with budget.maxUsd set, campaign create refuses naming the model and models.<role>.pricing', async () => {
      const config = await file('unpriced-budget.yaml', configLines(['budget: { maxUsd: 5 }'], { student: 'my-local-finetune' }));
      const data = await file('priced.jsonl', '{"instruction": "Add 2 and 3."}\n');
      const before = (JSON.parse((await runTapir(['list', '--json'], env.childEnv)).stdout) as unknown[]).length;
      expectRefused(await create(config, data), 'models.student.pricing', '"my-local-finetune"', 'budget.maxUsd');
      expect((JSON.parse((await runTapir(['list', '--json'], env.childEnv)).stdout) as unknown[]).length).toBe(before);
      // Priced in the config, the same campaign is accepted.
      const priced = await file(
        'priced-budget.yaml',
        configLines(['budget: { maxUsd: 5 }'], { student: 'my-local-finetune' }).replace(
          'model: my-local-finetune,',
          'model: my-local-finetune, pricing: { inputPerMTok: 0.1, outputPerMTok: 0.2 },',
        ),
      );
      const accepted = await create(priced, data);
      expect(accepted.code).toBe(0);
      expect(accepted.stderr).not.toContain('no price');
    });

    test('without a budget it is counted at $0 with a warning in create, run and status', async () => {
      const config = await file('unpriced.yaml', configLines([], { student: 'my-local-finetune' }));
      const data = await file('unpriced.jsonl', '{"instruction": "Add 2 and 3."}\n{"instruction": "Name a prime."}\n');
      const warning = 'warning: no price is known for models.student.model "my-local-finetune"';
      const created = await create(config, data);
      expect(created.code).toBe(0);
      expect(created.stderr).toContain(warning);
      const id = campaignIdOf(created);
      const run = await runTapir(['run', id, '--detach'], env.childEnv);
      expect(run.code).toBe(0);
      expect(run.stderr).toContain(warning);
      const table = await runTapir(['status', id], env.childEnv);
      expect(table.stdout).toContain(warning);
      const json = JSON.parse((await runTapir(['status', id, '--json'], env.childEnv)).stdout) as { warnings: string[] };
      expect(json.warnings).toEqual([expect.stringContaining(warning)]);
      // Giving it a dollar budget later is refused as at create.
      expectRefused(await runTapir(['resume', id, '--budget', '5', '--detach'], env.childEnv), 'models.student.pricing', '--budget 5 is given');
      // The simulator's own models are priced: no warning for them.
      const simOnly = await create(await file('sim-only.yaml', configLines()), data);
      expect(simOnly.stderr).not.toContain('warning');
    });
  });
});
