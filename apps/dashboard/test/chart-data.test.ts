import { categoryStageMatrix, cumulativeTimeline, mergePrometheusText, modelEndpoints, projectSpend } from '../src';
import { ifdHistograms } from '../src/ifd-histograms';
import { createRng } from '@tapir/core';

describe('spend projection', () => {
  const base = { llm: [{ role: 'teacher', costUsd: 3 }, { role: 'judge', costUsd: 1 }], budget: { maxUsd: 10, spentUsd: 4 }, status: 'running' };

  test('spend over the share of known work settled, per role on the same share', () => {
    const p = projectSpend({ ...base, steps: [{ done: 30, failed: 10, total: 100 }, { done: 0, failed: 0, total: 60 }] });
    expect(p.workDone).toBeCloseTo(40 / 160);
    expect(p.projectedUsd).toBeCloseTo(16);
    expect(p.overBudget).toBe(true);
    expect(p.roles).toEqual([{ role: 'teacher', spentUsd: 3, projectedUsd: 12 }, { role: 'judge', spentUsd: 1, projectedUsd: 4 }]);
    expect(p.roles.reduce((a, r) => a + r.projectedUsd!, 0)).toBeCloseTo(p.projectedUsd!);
  });

  test('nothing done yet: no projection; a completed round projects what it spent', () => {
    expect(projectSpend({ ...base, steps: [{ done: 0, failed: 0, total: 10 }] })).toMatchObject({ workDone: 0, projectedUsd: null, overBudget: false });
    expect(projectSpend({ ...base, steps: [] })).toMatchObject({ workDone: null, projectedUsd: null });
    expect(projectSpend({ ...base, status: 'completed', steps: [{ done: 3, failed: 0, total: 10 }] })).toMatchObject({ workDone: 1, projectedUsd: 4, overBudget: false });
  });

  test('no budget is never over it; done beyond the total counts as the total', () => {
    const p = projectSpend({ ...base, budget: { maxUsd: null, spentUsd: 4 }, steps: [{ done: 15, failed: 0, total: 10 }, { done: 0, failed: 0, total: 10 }] });
    expect(p).toMatchObject({ workDone: 0.5, projectedUsd: 8, budgetUsd: null, overBudget: false });
  });

  test('property: the projection is never below the spend, and reaches it exactly when all work is settled', () => {
    const rand = createRng(11);
    const rng = () => rand.next();
    for (let i = 0; i < 300; i++) {
      const steps = Array.from({ length: 1 + Math.floor(rng() * 5) }, () => {
        const total = Math.floor(rng() * 50);
        const done = Math.floor(rng() * (total + 1));
        return { done, failed: Math.floor(rng() * (total - done + 1)), total };
      });
      const spent = Math.round(rng() * 1e4) / 100;
      const p = projectSpend({ steps, llm: [{ role: 'teacher', costUsd: spent }], budget: { maxUsd: null, spentUsd: spent }, status: 'running' });
      if (p.projectedUsd === null) continue;
      expect(p.projectedUsd).toBeGreaterThanOrEqual(spent - 1e-6);
      if (p.workDone === 1) expect(p.projectedUsd).toBeCloseTo(spent, 6);
    }
  });
});

describe('progress timeline', () => {
  test('cumulative per step on a shared axis, ending at each step total, never falling', () => {
    const rows = [
      { step: 'judge', bucket: 2, count: 5 },
      { step: 'answer-teacher', bucket: 0, count: 3 },
      { step: 'judge', bucket: 0, count: 1 },
      { step: 'answer-teacher', bucket: 3, count: 4 },
    ];
    const t = cumulativeTimeline(rows, 0, 4000, 4);
    expect(t.times).toEqual(['1970-01-01T00:00:01.000Z', '1970-01-01T00:00:02.000Z', '1970-01-01T00:00:03.000Z', '1970-01-01T00:00:04.000Z']);
    expect(t.steps).toEqual([
      { step: 'answer-teacher', cumulative: [3, 3, 3, 7] },
      { step: 'judge', cumulative: [1, 1, 6, 6] },
    ]);
  });

  test('buckets out of range are clamped in, so no request is lost', () => {
    const t = cumulativeTimeline([{ step: 's', bucket: -3, count: 2 }, { step: 's', bucket: 99, count: 1 }], 0, 1000, 5);
    expect(t.steps[0]!.cumulative).toEqual([2, 2, 2, 2, 3]);
  });

  test('property: the last point of each step is the sum of its counts', () => {
    const rand = createRng(5);
    const rng = () => rand.next();
    const rows = Array.from({ length: 200 }, () => ({ step: `s${Math.floor(rng() * 4)}`, bucket: Math.floor(rng() * 70) - 5, count: Math.floor(rng() * 9) }));
    const t = cumulativeTimeline(rows, 1_000, 61_000, 60);
    for (const s of t.steps) {
      expect(s.cumulative.at(-1)).toBe(rows.filter((r) => r.step === s.step).reduce((a, r) => a + r.count, 0));
      for (let i = 1; i < s.cumulative.length; i++) expect(s.cumulative[i]!).toBeGreaterThanOrEqual(s.cumulative[i - 1]!);
    }
  });
});

describe('category x stage matrix', () => {
  test('a full grid, categories largest first, every stage present even when empty', () => {
    const m = categoryStageMatrix(
      [
        { category: 'Math', stage: 1, count: 2 },
        { category: 'Code', stage: 3, count: 9 },
        { category: 'Math', stage: 2, count: 5 },
      ],
      4,
    );
    expect(m).toEqual({ categories: ['Code', 'Math'], stages: [1, 2, 3, 4], cells: [[0, 0, 9, 0], [2, 5, 0, 0]], max: 9 });
  });

  test('the cells add up to the rows; no plan gives an empty grid', () => {
    const rows = [{ category: 'A', stage: 1, count: 3 }, { category: 'A', stage: 1, count: 4 }, { category: 'B', stage: 2, count: 1 }];
    expect(categoryStageMatrix(rows, 2).cells.flat().reduce((a, n) => a + n, 0)).toBe(8);
    expect(categoryStageMatrix([], 3)).toEqual({ categories: [], stages: [1, 2, 3], cells: [], max: 0 });
  });
});

describe('IFD histograms', () => {
  test('every bin per round, rounds in order, counts kept', () => {
    const h = ifdHistograms([{ round: 2, bin: 0, count: 1 }, { round: 1, bin: 3, count: 4 }, { round: 1, bin: 9, count: 2 }], 4, 0.1);
    expect(h.map((r) => r.round)).toEqual([1, 2]);
    expect(h[0]!.histogram).toEqual([
      { from: 0, to: 0.1, count: 0 },
      { from: 0.1, to: 0.2, count: 0 },
      { from: 0.2, to: 0.3, count: 0 },
      { from: 0.3, to: 0.4, count: 6 },
    ]);
    expect(h[1]!.histogram.map((b) => b.count)).toEqual([1, 0, 0, 0]);
  });
});

describe('Prometheus families', () => {
  const block = (queue: string) =>
    [
      '# HELP bullmq_job_count Number of jobs in the queue by state',
      '# TYPE bullmq_job_count gauge',
      `bullmq_job_count{queue="${queue}", state="waiting"} 1`,
      '# HELP bullmq_job_completed_total Total number of completed jobs',
      '# TYPE bullmq_job_completed_total counter',
      `bullmq_job_completed_total{queue="${queue}"} 7`,
    ].join('\n');

  test('each family declared once with every queue sample under it, in order', () => {
    expect(mergePrometheusText([block('a'), block('b')])).toBe(
      [
        '# HELP bullmq_job_count Number of jobs in the queue by state',
        '# TYPE bullmq_job_count gauge',
        'bullmq_job_count{queue="a", state="waiting"} 1',
        'bullmq_job_count{queue="b", state="waiting"} 1',
        '# HELP bullmq_job_completed_total Total number of completed jobs',
        '# TYPE bullmq_job_completed_total counter',
        'bullmq_job_completed_total{queue="a"} 7',
        'bullmq_job_completed_total{queue="b"} 7',
        '',
      ].join('\n'),
    );
  });

  test('histogram samples stay with their family; nothing in, nothing out', () => {
    const text = mergePrometheusText(['# TYPE h histogram\nh_bucket{le="1"} 1\nh_sum 2\nh_count 1', '# TYPE h histogram\nh_count 3']);
    expect(text).toBe('# TYPE h histogram\nh_bucket{le="1"} 1\nh_sum 2\nh_count 1\nh_count 3\n');
    expect(mergePrometheusText([])).toBe('');
  });
});

describe('model endpoints', () => {
  const config = (student = 'sim-student') => ({
    models: {
      teacher: { provider: 'openai', model: 'gpt-x', apiKeyEnv: 'K' },
      student: { provider: 'openai-compatible', model: student, baseURL: 'http://gpu:8000/v1' },
      judge: { provider: 'anthropic', model: 'claude-x', apiKeyEnv: 'K' },
    },
  });

  test('each endpoint once, round students included; unparseable configs skipped', () => {
    const found = modelEndpoints([
      { config: config(), students: [{ model: 'sim-student', baseUrl: null }, { model: 'student-r2', baseUrl: 'http://gpu2:8000/v1' }] },
      { config: config(), students: [] },
      { config: { nonsense: true }, students: [] },
    ]);
    expect(found.map((e) => `${e.provider} ${e.model} ${e.baseUrl}`).sort()).toEqual([
      'anthropic claude-x ',
      'openai gpt-x ',
      'openai-compatible sim-student http://gpu:8000/v1',
      'openai-compatible student-r2 http://gpu2:8000/v1',
    ]);
    expect(new Set(found.map((e) => e.key)).size).toBe(4);
  });
});
