import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { JUDGE_PROMPT_VERSION, parseCampaignConfig } from '@tapir/core';
import { judgments, llmCalls } from '@tapir/db';
import { campaignStatus, createCampaign, reconcileCampaign } from '@tapir/pipeline';
import { and, eq } from 'drizzle-orm';
import { createTestEnv, waitFor, type TestEnv } from './support/test-env';

const SAMPLE = resolve(__dirname, '../samples/seed-pool.jsonl');
const ITEMS = 24;

interface OrderDetail {
  scores: [number, number];
  replies: string[];
  promptVersion: string;
}

/**
 * The judge asked for a structured reply through each provider's own mechanism, end to end:
 * real SDKs, the simulator answering as the APIs do, the ledger and the judgments in PostgreSQL.
 */
describe('judge structured outputs', () => {
  let env: TestEnv;
  let dir: string;

  beforeAll(async () => {
    // plain-judge stands for a server without structured output: it answers such requests with a 400.
    env = await createTestEnv({ models: { 'plain-judge': { quality: 8, verbosity: 0.8, structuredOutput: false } } });
    dir = await mkdtemp(join(tmpdir(), 'tapir-structured-'));
    const rows = (await readFile(SAMPLE, 'utf8')).split('\n').filter(Boolean).slice(0, ITEMS);
    await writeFile(join(dir, 'pool.jsonl'), rows.join('\n') + '\n');
    env.startWorkers();
  });
  afterAll(async () => {
    await env?.close();
  });

  type Status = NonNullable<Awaited<ReturnType<typeof campaignStatus>>>;
  const completed = (s: Status) => s.campaign.status === 'completed';

  async function runCampaign(name: string, judgeLine: string, done: (s: Status) => boolean = completed) {
    const yaml = `
name: ${name}
seed: 7
models:
  teacher: { provider: openai, model: sim-teacher, baseURL: ${env.simUrl}/v1, apiKeyEnv: TAPIR_SIM_KEY, concurrency: 16 }
  student: { provider: openai-compatible, model: sim-student, baseURL: ${env.simUrl}/v1, concurrency: 16 }
  judge: ${judgeLine}
`;
    const config = parseCampaignConfig(yaml, `${name}.yaml`);
    const { campaignId } = await createCampaign(env.pipeline.services.db, { config, dataFile: join(dir, 'pool.jsonl') });
    await reconcileCampaign(env.pipeline.services, campaignId);
    const status = await waitFor('completion', async () => {
      const s = await campaignStatus(env.pipeline.services.db, campaignId);
      return s && done(s) ? s : undefined;
    });
    const db = env.pipeline.services.db;
    const calls = await db
      .select({ promptVersion: llmCalls.promptVersion, status: llmCalls.status, text: llmCalls.responseText, error: llmCalls.error })
      .from(llmCalls)
      .where(and(eq(llmCalls.campaignId, campaignId), eq(llmCalls.purpose, 'judge')));
    const stored = await db
      .select({ promptVersion: judgments.promptVersion, detail: judgments.detail, teacher: judgments.teacherScore, student: judgments.studentScore })
      .from(judgments)
      .where(eq(judgments.campaignId, campaignId));
    return { status, calls, stored };
  }

  /** Every judgment's scores are the named fields of its stored JSON reply, Assistant 1 first. */
  function expectScoresFromJson(stored: Array<{ detail: unknown; teacher: number; student: number }>): void {
    for (const j of stored) {
      const { forward, swapped } = j.detail as { forward: OrderDetail; swapped: OrderDetail };
      for (const order of [forward, swapped]) {
        const reply = JSON.parse(order.replies[order.replies.length - 1] ?? '') as Record<string, number>;
        expect(order.scores).toEqual([reply.assistant_1_score, reply.assistant_2_score]);
      }
      expect(j.teacher).toBeCloseTo((forward.scores[0] + swapped.scores[1]) / 2, 4);
      expect(j.student).toBeCloseTo((forward.scores[1] + swapped.scores[0]) / 2, 4);
    }
  }

  test('anthropic judge (auto): a forced tool; the ledger holds the tool input as JSON, the judgments read it by name', async () => {
    const { status, calls, stored } = await runCampaign(
      'tool',
      `{ provider: anthropic, model: sim-judge, baseURL: ${env.simUrl}, apiKeyEnv: TAPIR_SIM_KEY, concurrency: 16 }`,
    );
    expect(status.items.failed).toBe(0);
    expect(stored).toHaveLength(ITEMS);
    expect(calls.length).toBe(2 * ITEMS);
    for (const call of calls) {
      expect(call.promptVersion).toBe('judge-pairwise-structured@1+tool');
      expect(Object.keys(JSON.parse(call.text ?? ''))).toEqual(['assistant_1_score', 'assistant_2_score', 'explanation']);
    }
    for (const j of stored) expect(j.promptVersion).toBe('judge-pairwise-structured@1+tool');
    expectScoresFromJson(stored);
  });

  test('openai judge (json_schema set explicitly): response_format; message.content is the JSON object', async () => {
    const { status, calls, stored } = await runCampaign(
      'json-schema',
      `{ provider: openai, model: sim-judge, baseURL: ${env.simUrl}/v1, apiKeyEnv: TAPIR_SIM_KEY, concurrency: 16, structuredOutput: json_schema }`,
    );
    expect(status.items.failed).toBe(0);
    expect(stored).toHaveLength(ITEMS);
    for (const call of calls) expect(call.promptVersion).toBe('judge-pairwise-structured@1+json_schema');
    for (const j of stored) expect(j.promptVersion).toBe('judge-pairwise-structured@1+json_schema');
    expectScoresFromJson(stored);
  });

  test('an endpoint without structured output: auto falls back to text after its 400 and remembers it', async () => {
    const { status, calls, stored } = await runCampaign(
      'fallback',
      `{ provider: openai-compatible, model: plain-judge, baseURL: ${env.simUrl}/v1, concurrency: 4 }`,
    );
    expect(status.items.failed).toBe(0);
    expect(stored).toHaveLength(ITEMS);
    const rejected = calls.filter((c) => c.status === 'failed');
    const text = calls.filter((c) => c.promptVersion === JUDGE_PROMPT_VERSION);
    expect(rejected.length).toBeGreaterThanOrEqual(1);
    for (const c of rejected) {
      expect(c.promptVersion).toBe('judge-pairwise-structured@1+json_schema');
      expect(c.error).toMatch(/400.*response_format/);
    }
    // Requests already on their way when the first 400 came back were structured too (a 400 is not billed).
    expect(rejected.length).toBeLessThanOrEqual(2 * ITEMS);
    expect(text.length).toBe(2 * ITEMS);
    for (const j of stored) expect(j.promptVersion).toBe(JUDGE_PROMPT_VERSION);

    // Remembered for the run: the next campaign on the endpoint asks in text from the start.
    const again = await runCampaign('fallback-again', `{ provider: openai-compatible, model: plain-judge, baseURL: ${env.simUrl}/v1, concurrency: 4 }`);
    expect(again.status.items.failed).toBe(0);
    expect(again.calls.filter((c) => c.status === 'failed')).toEqual([]);
    expect(again.calls.every((c) => c.promptVersion === JUDGE_PROMPT_VERSION)).toBe(true);
  });

  test('with json_schema insisted on, the same endpoint fails the items with its reason, not a silent fallback', async () => {
    const { status, calls } = await runCampaign(
      'insist',
      `{ provider: openai-compatible, model: plain-judge, baseURL: ${env.simUrl}/v1, concurrency: 4, structuredOutput: json_schema }`,
      (s) => s.items.failed === ITEMS,
    );
    expect(status.failures.map((f) => f.step)).toEqual(['judge']);
    expect(status.failures[0]?.reason).toMatch(/response_format/);
    expect(calls.every((c) => c.promptVersion === 'judge-pairwise-structured@1+json_schema')).toBe(true);
  });
});
