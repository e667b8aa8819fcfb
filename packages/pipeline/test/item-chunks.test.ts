import { chunkJobs, chunkRange, completeChunks, itemStepJobs } from '../src/item-batches';
import { chunkOf, isChunkJob, ITEM_CHUNK_SIZE, itemOrChunkJobSchema, jobId } from '../src/job-catalog';
import { defaultStepRegistry } from '../src/steps/registry';
import { createRng, type Rng } from '@tapir/core';

const sortedUnique = (xs: number[]) => [...new Set(xs)].sort((a, b) => a - b);

function randomIds(rng: Rng, n: number, max: number): number[] {
  return sortedUnique(Array.from({ length: n }, () => 1 + Math.floor(rng.next() * max)));
}

describe('item chunks', () => {
  test('every id falls in the range of its chunk, and ranges tile the ids without overlap', () => {
    for (let id = 0; id < 200; id++) {
      const { first, end } = chunkRange(chunkOf(id));
      expect(id).toBeGreaterThanOrEqual(first);
      expect(id).toBeLessThan(end);
      expect(end - first).toBe(ITEM_CHUNK_SIZE);
    }
    expect(chunkRange(3).first).toBe(chunkRange(2).end);
  });

  test('chunkJobs: one job per distinct chunk, in order of first appearance, covering every id', () => {
    const rng = createRng(7);
    for (let trial = 0; trial < 200; trial++) {
      const ids = Array.from({ length: Math.floor(rng.next() * 60) }, () => 1 + Math.floor(rng.next() * 300));
      const jobs = chunkJobs('c1', 2, ids);
      expect(new Set(jobs.map((j) => j.chunk)).size).toBe(jobs.length);
      expect(jobs.map((j) => j.chunk)).toEqual([...new Set(ids.map(chunkOf))]);
      for (const id of ids) expect(jobs.some((j) => j.chunk === chunkOf(id))).toBe(true);
      for (const job of jobs) {
        expect(job).toEqual({ campaignId: 'c1', chunk: job.chunk, round: 2 });
        expect(itemOrChunkJobSchema.safeParse(job).success).toBe(true);
      }
    }
  });

  test('a chunk job id names its chunk and differs from every one-item job id', () => {
    const chunk = jobId('answer-teacher', { campaignId: 'c1', round: 1, chunk: 3 });
    expect(chunk).toBe('c1.answer-teacher.r1.c3');
    expect(chunk).not.toBe(jobId('answer-teacher', { campaignId: 'c1', round: 1, itemId: 3 }));
    expect(chunk).not.toBe(jobId('answer-teacher', { campaignId: 'c1', round: 1, chunk: 4 }));
    expect(chunk).not.toBe(jobId('answer-teacher', { campaignId: 'c2', round: 1, chunk: 3 }));
  });

  test('job schemas: exactly the chunked item steps take a chunk; they still take a single item', () => {
    for (const step of defaultStepRegistry.steps) {
      const chunked = step.unit === 'item' && step.chunked;
      // A step takes a chunk when the chunk survives parsing (zod drops keys a schema lacks).
      const parsed = step.schema.safeParse({ campaignId: 'c', chunk: 0, round: 1 });
      expect([step.name, parsed.success && isChunkJob(parsed.data as object)]).toEqual([step.name, chunked]);
      if (step.unit === 'item') expect(step.schema.safeParse({ campaignId: 'c', itemId: 5, round: 1 }).success).toBe(true);
    }
    expect(itemOrChunkJobSchema.safeParse({ campaignId: 'c', chunk: -1, round: 1 }).success).toBe(false);
  });

  test('itemStepJobs: seed items go by chunk, expansion-born items each on their own, every due item carried once (property)', () => {
    const rng = createRng(5);
    for (let trial = 0; trial < 200; trial++) {
      const due = randomIds(rng, Math.floor(rng.next() * 50), 300).map((id) => ({ id, expanded: rng.next() < 0.2 }));
      const jobs = itemStepJobs('c', 1, due, true);
      const chunks = jobs.filter(isChunkJob).map((j) => j.chunk);
      const singles = jobs.filter((j) => !isChunkJob(j)).map((j) => (j as { itemId: number }).itemId);
      expect(new Set(chunks).size).toBe(chunks.length);
      expect(singles.sort((a, b) => a - b)).toEqual(due.filter((d) => d.expanded).map((d) => d.id));
      for (const d of due.filter((x) => !x.expanded)) expect(chunks).toContain(chunkOf(d.id));
      for (const chunk of chunks) expect(due.some((d) => !d.expanded && chunkOf(d.id) === chunk)).toBe(true);
      // Unchunked steps carry every item on its own.
      expect(itemStepJobs('c', 1, due, false).map((j) => (j as { itemId: number }).itemId)).toEqual(due.map((d) => d.id));
    }
  });

  /**
   * Pages through ascending pending ids the way the refine feed does and checks what a feed must:
   * every id is in exactly one added chunk, no chunk is added twice, and the walk ends.
   */
  function feed(pending: number[], pageSize: number): { chunks: number[]; counted: number } {
    const chunks: number[] = [];
    let counted = 0;
    let after = 0;
    for (let guard = 0; guard < 10_000; guard++) {
      const page = pending.filter((id) => id > after).slice(0, pageSize);
      if (page.length === 0) return { chunks, counted };
      const { ids, after: next } = completeChunks(page, page.length === pageSize);
      expect(next).toBeGreaterThan(after);
      chunks.push(...chunkJobs('c', 1, ids).map((j) => j.chunk));
      counted += ids.length;
      after = next;
      if (page.length < pageSize) return { chunks, counted };
    }
    throw new Error('the feed did not end');
  }

  test('completeChunks: paging covers every pending id once and never adds a chunk twice (property)', () => {
    const rng = createRng(11);
    for (let trial = 0; trial < 300; trial++) {
      const pending = randomIds(rng, Math.floor(rng.next() * 120), 400);
      const pageSize = 1 + Math.floor(rng.next() * 40);
      const { chunks, counted } = feed(pending, pageSize);
      expect(new Set(chunks).size).toBe(chunks.length);
      expect(sortedUnique(chunks)).toEqual(sortedUnique(pending.map(chunkOf)));
      // Counts are exact unless a page is smaller than a chunk.
      if (pageSize >= 2 * ITEM_CHUNK_SIZE) expect(counted).toBe(pending.length);
      else expect(counted).toBeLessThanOrEqual(pending.length);
    }
  });

  test('completeChunks: a full page leaves its last chunk to the next one; a short page is taken whole', () => {
    const ids = [1, 2, 3, 9, 10, 17, 18];
    expect(completeChunks(ids, true)).toEqual({ ids: [1, 2, 3, 9, 10], after: 10 });
    expect(completeChunks(ids, false)).toEqual({ ids, after: 18 });
    // A full page inside one chunk: taken, and the next page starts after the chunk's range.
    expect(completeChunks([17, 18, 19], true)).toEqual({ ids: [17, 18, 19], after: 23 });
  });
});
