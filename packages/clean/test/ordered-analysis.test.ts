import { setTimeout as sleep } from 'node:timers/promises';
import { OrderedAnalysis, type AnalyseBatch } from '../src/ordered-analysis';
import { packAnalyses } from '../src/packed-analyses';
import type { CleanRowText, RowAnalysis } from '../src/row-analyser';

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** An analysis that records the row's text in its identity, so the test can tell whose it is. */
function analysisOf(row: CleanRowText): RowAnalysis {
  const n = Number(row.instruction);
  return { drop: null, identity: [n, 0], shingles: new Uint32Array(0), signature: { keys: new Uint32Array(0), sketch: new Int32Array(0) } };
}

describe('ordered analysis', () => {
  test('rows come out in the order they went in, with their own analyses, however late each batch answers', async () => {
    const random = rng(4);
    let inFlight = 0;
    let maxInFlight = 0;
    const analyse: AnalyseBatch = async (rows) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await sleep(Math.floor(random() * 5));
      inFlight--;
      return packAnalyses(rows.map(analysisOf));
    };
    const settled: [number, number | null][] = [];
    const ordered = new OrderedAnalysis<number>(analyse, (item, analysis) => void settled.push([item, analysis && !analysis.drop ? analysis.identity[0] : null]), 7, 3);
    for (let i = 0; i < 500; i++) {
      // Every fifth row needs no analysis (a row already judged in the first pass).
      const waiting = ordered.push(i, i % 5 === 0 ? null : { instruction: String(i), input: '', answers: [] });
      if (waiting) await waiting;
    }
    await ordered.finish();
    expect(settled.map(([item]) => item)).toEqual(Array.from({ length: 500 }, (_, i) => i));
    for (const [item, analysed] of settled) expect(analysed).toBe(item % 5 === 0 ? null : item);
    expect(maxInFlight).toBeLessThanOrEqual(4);
  });

  test('the last short batch is marked as not full', async () => {
    const fullness: boolean[] = [];
    const ordered = new OrderedAnalysis<number>(
      async (rows, full) => {
        fullness.push(full);
        return packAnalyses(rows.map(analysisOf));
      },
      () => undefined,
      10,
      2,
    );
    for (let i = 0; i < 25; i++) await ordered.push(i, { instruction: String(i), input: '', answers: [] });
    await ordered.finish();
    expect(fullness).toEqual([true, true, false]);
  });

  test("a failed batch fails the caller's wait, not the process", async () => {
    const ordered = new OrderedAnalysis<number>(
      async () => {
        throw new Error('worker died');
      },
      () => undefined,
      2,
      1,
    );
    await expect(
      (async () => {
        for (let i = 0; i < 10; i++) await ordered.push(i, { instruction: String(i), input: '', answers: [] });
        await ordered.finish();
      })(),
    ).rejects.toThrow('worker died');
  });
});
