import {
  buildAnswerMessages,
  buildClassifyMessages,
  buildJudgeMessages,
  refinePromptFor,
  type CampaignConfig,
  type ChatMessage,
  type ModelRole,
} from '@tapir/core';
import { createProvider, type ChatProvider } from '@tapir/llm';
import { sql } from 'drizzle-orm';
import type { BenchEnv } from './env';

/**
 * The baseline of scenario 1: a plain script that sends the requests a finished tapir campaign
 * sent (one per ledger row that was really sent), rebuilt with @tapir/core's prompt builders and
 * sent through the same SDK clients (@tapir/llm createProvider) with the same per-role
 * concurrency and the same dependencies (judge after both answers, refine after every judge),
 * but with no queue and no database.
 */

interface ItemRequests {
  instruction: string;
  input: string;
  category: string;
  teacherAnswer: string;
  studentAnswer: string;
  calls: Record<string, number>;
}

class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly limit: number) {}
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((r) => this.waiting.push(r));
    this.active++;
    try {
      return await task();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}

export interface BaselineResult {
  requests: number;
  failed: number;
  seconds: number;
  byRole: Record<string, number>;
}

/** Reads what to replay from the ledger (outside the timed part). */
async function loadPlan(env: BenchEnv, campaignId: string): Promise<Map<number, ItemRequests>> {
  const db = env.pipeline.services.db;
  const items = await db.execute<{ id: number; instruction: string; input: string | null; category: string | null }>(
    sql`select id, instruction, input, category from items where campaign_id = ${campaignId}`,
  );
  const answers = await db.execute<{ item_id: number; kind: string; text: string }>(
    sql`select item_id, kind, text from answers where campaign_id = ${campaignId} and kind in ('teacher', 'student')`,
  );
  const calls = await db.execute<{ item_id: number; purpose: string; n: string }>(
    sql`select item_id, purpose, count(*) as n from llm_calls
         where campaign_id = ${campaignId} and status <> 'served' group by item_id, purpose`,
  );
  const plan = new Map<number, ItemRequests>();
  for (const i of items.rows) {
    plan.set(i.id, { instruction: i.instruction, input: i.input ?? '', category: i.category ?? 'Others', teacherAnswer: '', studentAnswer: '', calls: {} });
  }
  for (const a of answers.rows) {
    const p = plan.get(a.item_id);
    if (!p) continue;
    if (a.kind === 'teacher') p.teacherAnswer = a.text;
    else p.studentAnswer = a.text;
  }
  for (const c of calls.rows) {
    const p = plan.get(c.item_id);
    if (p) p.calls[c.purpose] = Number(c.n);
  }
  return plan;
}

export async function runBaseline(env: BenchEnv, campaignId: string, config: CampaignConfig): Promise<BaselineResult> {
  const plan = await loadPlan(env, campaignId);
  const roles: ModelRole[] = ['teacher', 'student', 'judge'];
  const providers = Object.fromEntries(roles.map((r) => [r, createProvider(config.models[r])])) as Record<ModelRole, ChatProvider>;
  const limits = Object.fromEntries(roles.map((r) => [r, new Semaphore(config.models[r].concurrency)])) as Record<ModelRole, Semaphore>;
  const names = config.taxonomy.categories.map((c) => c.name);
  const byRole: Record<string, number> = { teacher: 0, student: 0, judge: 0 };
  let failed = 0;

  const send = (role: ModelRole, messages: ChatMessage[], temperature?: number) =>
    limits[role].run(async () => {
      byRole[role]!++;
      try {
        await providers[role].complete({
          messages,
          temperature: temperature ?? config.models[role].temperature,
          maxTokens: config.models[role].maxTokens,
        });
      } catch {
        failed++;
      }
    });
  const times = (n: number | undefined, f: (k: number) => Promise<void>) => Array.from({ length: n ?? 0 }, (_, k) => f(k));

  const started = performance.now();
  await Promise.all(
    [...plan.values()].map(async (p) => {
      await Promise.all([
        ...times(p.calls.classify, () => send('judge', buildClassifyMessages(p.instruction, p.input, names), 0)),
        ...times(p.calls['answer-teacher'], () => send('teacher', buildAnswerMessages(p.instruction, p.input))),
        ...times(p.calls['answer-student'], () => send('student', buildAnswerMessages(p.instruction, p.input))),
      ]);
      const question = p.input ? `${p.instruction}\n\n${p.input}` : p.instruction;
      // Forward and swapped orders alternate; re-asks (salted in tapir) are the same request on the wire.
      await Promise.all(
        times(p.calls.judge, (k) =>
          send('judge', k % 2 === 0 ? buildJudgeMessages(question, p.teacherAnswer, p.studentAnswer) : buildJudgeMessages(question, p.studentAnswer, p.teacherAnswer)),
        ),
      );
    }),
  );
  // The planner's barrier: refinements start once every item is judged.
  await Promise.all(
    [...plan.values()].flatMap((p) =>
      times(p.calls.refine, () => send('teacher', refinePromptFor(p.category, config.refine.prompts).build(p.instruction, p.input))),
    ),
  );
  const seconds = (performance.now() - started) / 1000;
  const requests = Object.values(byRole).reduce((a, b) => a + b, 0);
  return { requests, failed, seconds, byRole };
}
