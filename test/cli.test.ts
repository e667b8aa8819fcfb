import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { hardShareForRound, parseCampaignConfig, targetSizeForRound } from '@tapir/core';
import { runTapir } from './support/run-tapir';
import { createTestEnv, simConfigYaml, type TestEnv } from './support/test-env';

const SAMPLE = resolve(__dirname, '../samples/seed-pool.jsonl');

const noStackTrace = (text: string) => expect(text).not.toMatch(/^\s+at .+\(.+:\d+:\d+\)$/m);

describe('the tapir command', () => {
  let env: TestEnv;
  let dir: string;

  beforeAll(async () => {
    env = await createTestEnv();
    dir = await mkdtemp(join(tmpdir(), 'tapir-cli-'));
    const sample = (await readFile(SAMPLE, 'utf8')).split('\n').filter(Boolean).slice(0, 40);
    await writeFile(join(dir, 'pool.jsonl'), sample.join('\n') + '\n');
    await writeFile(join(dir, 'campaign.yaml'), simConfigYaml(env.simUrl, 'curriculum: { stages: 2 }'));
  });

  afterAll(async () => {
    await env?.close();
  });

  test('init writes a config that validates as written', async () => {
    const file = join(dir, 'init.yaml');
    const init = await runTapir(['init', file, '--sim-url', env.simUrl], env.childEnv);
    expect(init.code).toBe(0);
    const written = parseCampaignConfig(await readFile(file, 'utf8'), file);
    expect(written.models.teacher.baseURL).toBe(`${env.simUrl}/v1`);
    expect(written.expansion.enabled).toBe(false);
    expect(targetSizeForRound(written, 1)).toBeUndefined();
    // The tapir preset: expansion on and a size per round that grows while the hard share rises.
    const preset = join(dir, 'tapir.yaml');
    expect((await runTapir(['init', preset, '--preset', 'tapir', '--sim-url', env.simUrl], env.childEnv)).code).toBe(0);
    const tapir = parseCampaignConfig(await readFile(preset, 'utf8'), preset);
    expect(tapir.expansion.enabled).toBe(true);
    const sizes = [1, 2, 3].map((r) => targetSizeForRound(tapir, r)!);
    const shares = [1, 2, 3].map((r) => hardShareForRound(tapir, r));
    for (let r = 1; r < 3; r++) {
      expect(sizes[r]!).toBeGreaterThan(sizes[r - 1]!);
      expect(shares[r]!).toBeGreaterThan(shares[r - 1]!);
    }
    const unknown = await runTapir(['init', join(dir, 'x.yaml'), '--preset', 'lion'], env.childEnv);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('--preset must be one of default, tapir');
    const again = await runTapir(['init', file], env.childEnv);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already exists');
  });

  test('a config error names the file, the line and the field, and exits 2', async () => {
    const bad = join(dir, 'bad.yaml');
    await writeFile(bad, simConfigYaml(env.simUrl, 'curriculum:\n  stages: three\n  bogus: 1'));
    const result = await runTapir(['campaign', 'create', '--config', bad, '--data', join(dir, 'pool.jsonl')], env.childEnv);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('bad.yaml');
    expect(result.stderr).toMatch(/curriculum\.stages/);
    expect(result.stderr).toMatch(/bogus/);
    expect(result.stderr).toMatch(/:\d+:/);
    noStackTrace(result.stderr);
  });

  test('--strict with a bad line imports nothing and names the line', async () => {
    const pool = join(dir, 'bad-pool.jsonl');
    await writeFile(pool, '{"instruction": "Add 2 and 3."}\n{not json}\n{"instruction": 5}\n');
    const before = JSON.parse((await runTapir(['list', '--json'], env.childEnv)).stdout) as unknown[];
    const strict = await runTapir(['campaign', 'create', '--config', join(dir, 'campaign.yaml'), '--data', pool, '--strict'], env.childEnv);
    expect(strict.code).toBe(2);
    expect(strict.stderr).toContain('bad-pool.jsonl:2');
    expect(strict.stderr).toContain('bad-pool.jsonl:3');
    const after = JSON.parse((await runTapir(['list', '--json'], env.childEnv)).stdout) as unknown[];
    expect(after).toHaveLength(before.length);

    const lenient = await runTapir(['campaign', 'create', '--config', join(dir, 'campaign.yaml'), '--data', pool], env.childEnv);
    expect(lenient.code).toBe(0);
    expect(lenient.stdout).toMatch(/bad rows\s+2/);
    expect(lenient.stdout.trim().split('\n').pop()).toMatch(/^campaign \S+$/);
  });

  test('create, run, status --json and export work as a user runs them', async () => {
    const created = await runTapir(
      ['campaign', 'create', '--config', join(dir, 'campaign.yaml'), '--data', join(dir, 'pool.jsonl')],
      env.childEnv,
    );
    expect(created.code).toBe(0);
    const id = /^campaign (\S+)$/.exec(created.stdout.trim().split('\n').pop()!)![1]!;

    const run = await runTapir(['run', id], env.childEnv);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('completed');

    const status = await runTapir(['status', id, '--json'], env.childEnv);
    expect(status.code).toBe(0);
    const json = JSON.parse(status.stdout) as { campaign: { status: string }; steps: unknown[]; llm: unknown[]; mfd: { histogram: unknown[] } };
    expect(json.campaign.status).toBe('completed');
    expect(json.steps).toHaveLength(7); // clean (issue 15), classify, teacher, student, judge, plan, refine
    expect(json.llm.length).toBe(3);

    const out = join(dir, 'export');
    const exported = await runTapir(['export', id, '--out', out, '--format', 'openai'], env.childEnv);
    expect(exported.code).toBe(0);
    const manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8')) as { stages: unknown[]; format: string };
    expect(manifest.format).toBe('openai');
    expect(manifest.stages).toHaveLength(2);
  });

  test('unreachable services are named with how to start them, exit 1, no stack trace', async () => {
    const pg = await runTapir(['list'], { ...env.childEnv, DATABASE_URL: 'postgres://postgres@127.0.0.1:1/tapir' });
    expect(pg.code).toBe(1);
    expect(pg.stderr).toContain('PostgreSQL is not reachable at postgres://postgres@127.0.0.1:1/tapir');
    expect(pg.stderr).toContain('docker compose up -d postgres');
    noStackTrace(pg.stderr);

    const redis = await runTapir(['run', 'whatever'], { ...env.childEnv, REDIS_URL: 'redis://127.0.0.1:1' });
    expect(redis.code).toBe(1);
    expect(redis.stderr).toContain('Redis is not reachable at redis://127.0.0.1:1');
    noStackTrace(redis.stderr);
  });

  test('usage errors exit 2', async () => {
    expect((await runTapir(['run'], env.childEnv)).code).toBe(2);
    expect((await runTapir(['export', 'x'], env.childEnv)).code).toBe(2);
    expect((await runTapir(['campaign', 'create', '--config', join(dir, 'campaign.yaml')], env.childEnv)).code).toBe(2);
    expect((await runTapir(['--help'], env.childEnv)).code).toBe(0);
  });
});
