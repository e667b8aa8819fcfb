import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { cleanEmbeddingsSchema, cleanPerplexitySchema, cleanQualityRatingSchema, parseCampaignConfig, type CleanModelConfig } from '@tapir/core';
import { applyModelFilters, createCampaign, type BenchmarkQuestion, type CleanCandidate, type CleanDrop } from '@tapir/pipeline';
import { editableQuestion, lightEdit, realBenchmarkQuestions, SHARED_QUESTION_FILES } from './support/light-edits';
import { sharedDataAvailable } from './support/shared-data';
import { createTestEnv, simConfigYaml, type TestEnv } from './support/test-env';

const SAMPLE = resolve(__dirname, '../samples/seed-pool.jsonl');
const CLEAN_ROWS = 80;
const CONTAMINATED_ROWS = 24;
const DUPLICATE_ROWS = 8;
/** Keyboard mash: a language model finds it very unlikely (perplexity drop). */
const MASHED = ['xkcd qwrtz bbfg hjkl mnbv zxcv plmk', 'Wrtx bzzk fjdsl qqrst plmnb vcxz', 'a3f9 b7k2 c1x8 d4q6 e5z0 f2w7 g8h3'];
/** Real words or no words at all: likely enough text, but the judge rates it low (quality-rating drop). */
const DEGENERATE = ['the the the the the the the the the the the the', '#$%^ &*() @@!! ~~~ ^^^ %%% ### $$$ ***'];

const haveData = sharedDataAvailable(...SHARED_QUESTION_FILES);
const suite = haveData ? describe : describe.skip;

interface Planted {
  contaminated: Map<string, string>; // instruction -> benchmark name
  duplicates: Map<string, string>; // instruction -> instruction of the original
}

/**
 * The model-based clean filters end to end: embeddings from the simulator's /v1/embeddings through
 * the openai SDK and the ledger, stored in PostgreSQL; perplexity from the student's prompt
 * log-probabilities; quality ratings from the judge. One campaign for the file.
 */
suite('model-based clean filters (applyModelFilters)', () => {
  let env: TestEnv;
  let campaignId: string;
  let items: CleanCandidate[];
  let benchmarks: BenchmarkQuestion[];
  let planted: Planted;
  let config: CleanModelConfig;
  let first: Map<number, CleanDrop>;
  let requestsAfterFirst: number;

  beforeAll(async () => {
    env = await createTestEnv();
    const real = realBenchmarkQuestions().filter((q) => q.benchmark !== 'alpaca-eval');
    benchmarks = real.map((q) => ({ name: q.benchmark, index: q.index, text: q.text }));
    const clean = (await readFile(SAMPLE, 'utf8')).split('\n').filter(Boolean).slice(0, CLEAN_ROWS).map((l) => JSON.parse(l) as { instruction: string; input: string; output: string });
    const editable = real.filter((q) => editableQuestion(q.text));
    // Spread over both benchmarks, every kind of edit.
    const contaminated = Array.from({ length: CONTAMINATED_ROWS }, (_, i) => editable[Math.floor((i * editable.length) / CONTAMINATED_ROWS)]!).map((q, i) => ({ text: lightEdit(q.text, i + 1), benchmark: q.benchmark }));
    // Near-copies of clean rows (8+ words, as for the benchmark questions), without an answer: edits that exact dedup does not merge.
    const duplicates = clean.filter((row) => editableQuestion(row.instruction)).slice(0, DUPLICATE_ROWS).map((row, i) => ({ text: lightEdit(row.instruction, 3 + (i % 3)), of: row }));
    planted = {
      contaminated: new Map(contaminated.map((c) => [c.text, c.benchmark])),
      duplicates: new Map(duplicates.map((d) => [d.text, d.of.instruction])),
    };
    const rows = [
      ...clean,
      ...contaminated.map((c) => ({ instruction: c.text, input: '' })),
      ...duplicates.map((d) => ({ instruction: d.text, input: d.of.input })),
      ...[...MASHED, ...DEGENERATE].map((instruction) => ({ instruction, input: '' })),
    ];
    const file = join(await mkdtemp(join(tmpdir(), 'tapir-clean-models-')), 'pool.jsonl');
    await writeFile(file, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
    const campaignConfig = parseCampaignConfig(simConfigYaml(env.simUrl), 'clean-models.yaml');
    ({ campaignId } = await createCampaign(env.pipeline.services.db, { config: campaignConfig, dataFile: file }));
    const found = await env.pipeline.services.db.$client.query<{ id: number; key: string; instruction: string; input: string; has_answer: boolean; seq: number }>(
      `select i.id, i.key, i.instruction, i.input, i.seq,
              exists (select 1 from answers a where a.item_id = i.id) as has_answer
         from items i where i.campaign_id = $1 order by i.seq`,
      [campaignId],
    );
    items = found.rows.map((r) => ({ itemId: r.id, key: r.key, instruction: r.instruction, input: r.input, hasAnswer: r.has_answer, importOrder: r.seq }));
    expect(items).toHaveLength(rows.length);
    config = {
      embeddings: cleanEmbeddingsSchema.parse({ model: 'sim-embedding', role: 'student', batchSize: 32, dedupCosine: 0.85 }),
      perplexity: cleanPerplexitySchema.parse({ max: 100 }),
      qualityRating: cleanQualityRatingSchema.parse({ min: 5 }),
    };
    first = await applyModelFilters(env.pipeline.services, campaignId, items, benchmarks, config);
    requestsAfterFirst = env.sim.stats().requests;
  });

  afterAll(async () => {
    await env?.close();
  });

  const byInstruction = (text: string) => items.find((i) => i.instruction === text)!;

  test('contaminated paraphrases of MT-Bench and Vicuna questions are dropped, naming the benchmark and the question', () => {
    let right = 0;
    for (const [text, benchmark] of planted.contaminated) {
      const drop = first.get(byInstruction(text).itemId);
      if (drop?.reason !== 'contaminated') continue;
      expect(drop.evidence.rule).toBe('embedding-cosine');
      expect(drop.evidence.threshold).toBe(0.8);
      expect(drop.evidence.score).toBeGreaterThanOrEqual(0.8);
      expect(drop.evidence.benchmarkQuestion).toBeTruthy();
      if (drop.evidence.benchmark === benchmark) right++;
    }
    expect(right / planted.contaminated.size).toBeGreaterThanOrEqual(0.95);
  });

  test('near-copies of a row are dropped as semantic duplicates of the copy that has an answer', () => {
    for (const [text, original] of planted.duplicates) {
      const drop = first.get(byInstruction(text).itemId);
      expect(drop?.reason).toBe('semantic-duplicate');
      expect(drop!.evidence.twinKey).toBe(byInstruction(original).key);
      expect(drop!.evidence.score).toBeGreaterThanOrEqual(0.85);
      expect(first.has(byInstruction(original).itemId)).toBe(false);
    }
  });

  test('garbled rows are dropped for perplexity, degenerate ones by the quality rating, each with score and threshold', () => {
    for (const text of MASHED) {
      const drop = first.get(byInstruction(text).itemId);
      expect(drop?.reason).toBe('perplexity');
      expect(drop!.evidence.threshold).toBe(100);
      expect(drop!.evidence.score).toBeGreaterThan(100);
    }
    for (const text of DEGENERATE) {
      const drop = first.get(byInstruction(text).itemId);
      expect(drop?.reason).toBe('quality-rating');
      expect(drop!.evidence.threshold).toBe(5);
      expect(drop!.evidence.score).toBeLessThan(5);
      expect(drop!.evidence.detail).toMatch(/consistency \d+, readability \d+/);
    }
  });

  test('clean rows are kept (at most 1% dropped)', () => {
    const cleanItems = items.slice(0, CLEAN_ROWS);
    const dropped = cleanItems.filter((i) => first.has(i.itemId));
    expect(dropped.length).toBeLessThanOrEqual(Math.floor(CLEAN_ROWS * 0.01));
  });

  test('every embedding is bought once and stored; a rerun sends nothing and drops the same items', async () => {
    const db = env.pipeline.services.db.$client;
    const stored = await db.query<{ n: string; calls: string }>(`select count(*) as n, count(distinct call_id) as calls from text_embeddings where model = 'sim-embedding'`);
    const texts = new Set([...items.map((i) => (i.input ? `${i.instruction}\n\n${i.input}` : i.instruction)), ...benchmarks.map((b) => b.text)].map((t) => t.replace(/\s+/g, ' ').trim().toLowerCase()));
    expect(Number(stored.rows[0]!.n)).toBe(texts.size);
    const ledger = await db.query<{ n: string; cost: number }>(`select count(*) as n, sum(cost_usd) as cost from llm_calls where role = 'embeddings' and status = 'completed'`);
    expect(Number(ledger.rows[0]!.n)).toBe(Math.ceil(texts.size / 32));
    expect(Number(stored.rows[0]!.calls)).toBe(Number(ledger.rows[0]!.n));
    expect(ledger.rows[0]!.cost).toBeGreaterThan(0);
    expect(env.sim.stats().byKind.embed).toBe(Math.ceil(texts.size / 32));

    const again = await applyModelFilters(env.pipeline.services, campaignId, items, benchmarks, config);
    expect(env.sim.stats().requests).toBe(requestsAfterFirst);
    expect([...again.entries()].sort((a, b) => a[0] - b[0])).toEqual([...first.entries()].sort((a, b) => a[0] - b[0]));
  });

  test('items kept by an earlier pass are copies to keep, not judged again: a near-copy of one is dropped naming it, their own verdicts stand', async () => {
    // The garbled rows would fail perplexity and the rating; passed as kept, they must not be dropped now.
    const garbled = [...MASHED, ...DEGENERATE].map(byInstruction);
    const copies = [...planted.duplicates.keys()].map(byInstruction);
    const originals = [...planted.duplicates.values()].map(byInstruction);
    const kept = [...originals, ...garbled];
    const drops = await applyModelFilters(env.pipeline.services, campaignId, copies, benchmarks, config, kept);
    for (const k of kept) expect(drops.has(k.itemId)).toBe(false);
    const semantic = copies.filter((c) => drops.get(c.itemId)?.reason === 'semantic-duplicate');
    expect(semantic.length).toBeGreaterThanOrEqual(Math.ceil(copies.length * 0.8));
    for (const c of semantic) expect(originals.map((o) => o.key)).toContain(drops.get(c.itemId)!.evidence.twinKey);
  });

  test('with the embeddings endpoint failing half of its requests (500s and 429s), retries finish the job and no batch is paid twice', async () => {
    const flaky = { ...config.embeddings!, model: 'sim-embedding-flaky' };
    env.sim.configure({ models: { 'sim-embedding-flaky': { quality: 5, faults: { serverErrorRate: 0.3, rateLimitRate: 0.2 } } } });
    env.sim.resetStats();
    let result: Map<number, CleanDrop> | undefined;
    let failures = 0;
    for (let attempt = 0; attempt < 30 && result === undefined; attempt++) {
      try {
        result = await applyModelFilters(env.pipeline.services, campaignId, items, benchmarks, { embeddings: flaky });
      } catch (err) {
        failures++; // as the clean step's job would be retried...
        // ...or put back, when five 5xx in a row opened the endpoint's breaker, until its next probe.
        const wait = (err as { postpone?: { afterMs: number } }).postpone?.afterMs ?? 0;
        if (wait > 0) await sleep(wait + 50);
      }
    }
    expect(result).toBeDefined();
    expect(failures).toBeGreaterThan(0);
    const wire = env.sim.stats().wire;
    expect(wire.billedAgain).toBe(0);
    const stored = await env.pipeline.services.db.$client.query<{ n: string }>(`select count(*) as n from text_embeddings where model = 'sim-embedding-flaky'`);
    expect(wire.distinctBilled).toBe(Math.ceil(Number(stored.rows[0]!.n) / 32));
    const semantic = (m: Map<number, CleanDrop>) => [...m.entries()].filter(([, d]) => d.reason === 'contaminated' || d.reason === 'semantic-duplicate').map(([id, d]) => [id, d.reason]).sort();
    expect(semantic(result!)).toEqual(semantic(first));
  });
});
