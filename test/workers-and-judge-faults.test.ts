import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseCampaignConfig } from '@tapir/core';
import { judgments, llmCalls } from '@tapir/db';
import { campaignStatus, createCampaign, reconcileCampaign } from '@tapir/pipeline';
import { and, eq } from 'drizzle-orm';
import { createTestEnv, simConfigYaml, waitFor, type TestEnv } from './support/test-env';

const TAPIR = resolve(__dirname, '../apps/cli/bin/tapir.js');
const SAMPLE = resolve(__dirname, '../samples/seed-pool.jsonl');

async function samplePool(dir: string, lines: number, from = 0): Promise<string> {
  const rows = (await readFile(SAMPLE, 'utf8')).split('\n').filter(Boolean).slice(from, from + lines);
  const file = join(dir, `pool-${from}-${lines}.jsonl`);
  await writeFile(file, rows.join('\n') + '\n');
  return file;
}

describe('a judge that often answers out of format', () => {
  let env: TestEnv;

  beforeAll(async () => {
    env = await createTestEnv({ faults: { malformedJudgeRate: 0.35 } });
  });
  afterAll(async () => {
    await env?.close();
  });

  test('is asked again (bounded); items that never parse fail with the reason, the rest complete', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tapir-judge-'));
    const config = parseCampaignConfig(simConfigYaml(env.simUrl, 'judge: { maxParseAttempts: 3 }'), 'faults.yaml');
    const { campaignId } = await createCampaign(env.pipeline.services.db, { config, dataFile: await samplePool(dir, 80) });
    await reconcileCampaign(env.pipeline.services, campaignId);
    env.startWorkers();
    const status = await waitFor('completion', async () => {
      const s = await campaignStatus(env.pipeline.services.db, campaignId);
      return s?.campaign.status === 'completed' ? s : undefined;
    });
    for (const f of status.failures) {
      expect(f.step).toBe('judge');
      expect(f.reason).toMatch(/judge reply unparseable after 3 attempts/);
    }
    const judgeCalls = await env.pipeline.services.db
      .select({ id: llmCalls.id })
      .from(llmCalls)
      .where(and(eq(llmCalls.campaignId, campaignId), eq(llmCalls.purpose, 'judge')));
    // Re-asks happened, and never more than the bound allows.
    expect(judgeCalls.length).toBeGreaterThan(2 * status.mfd.count);
    expect(judgeCalls.length).toBeLessThanOrEqual(2 * 3 * 80);
    const stored = await env.pipeline.services.db.select({ detail: judgments.detail }).from(judgments);
    const reasked = stored.filter((j) => {
      const d = j.detail as { forward: { replies: string[] }; swapped: { replies: string[] } };
      return d.forward.replies.length > 1 || d.swapped.replies.length > 1;
    });
    expect(reasked.length).toBeGreaterThan(0);
    expect(status.mfd.count + status.items.failed).toBe(80);
  });
});

describe('standalone workers', () => {
  let env: TestEnv;

  beforeAll(async () => {
    env = await createTestEnv();
  });
  afterAll(async () => {
    await env?.close();
  });

  test('two `tapir worker` processes finish a detached run and stop gracefully on SIGTERM', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tapir-workers-'));
    const config = parseCampaignConfig(simConfigYaml(env.simUrl), 'workers.yaml');
    const { campaignId } = await createCampaign(env.pipeline.services.db, { config, dataFile: await samplePool(dir, 60, 100) });

    const detached = await new Promise<{ code: number; stdout: string }>((done) =>
      execFile(process.execPath, [TAPIR, 'run', campaignId, '--detach'], { env: env.childEnv }, (err, stdout) =>
        done({ code: err ? 1 : 0, stdout }),
      ),
    );
    expect(detached.code).toBe(0);
    expect(detached.stdout).toContain('enqueued');

    const workers = [0, 1].map(() =>
      spawn(process.execPath, [TAPIR, 'worker', '--concurrency', '16'], { env: { ...env.childEnv, TAPIR_LOG_LEVEL: 'warn' }, stdio: 'ignore' }),
    );
    const exits = workers.map((w) => new Promise<number | null>((done) => w.on('exit', (code) => done(code))));
    await waitFor('the workers to complete the campaign', async () =>
      (await campaignStatus(env.pipeline.services.db, campaignId))?.campaign.status === 'completed' ? true : undefined,
    );
    for (const w of workers) w.kill('SIGTERM');
    expect(await Promise.all(exits)).toEqual([0, 0]);
  });
});
