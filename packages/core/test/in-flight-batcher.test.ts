import { InFlightBatcher, createRng } from '@tapir/core';

/** A batch function whose calls the test finishes by hand. */
function manualBatches<I, O>(answer: (inputs: I[]) => O[]) {
  const calls: { inputs: I[]; finish: () => void; fail: (e: unknown) => void }[] = [];
  const run = (inputs: I[]) =>
    new Promise<O[]>((resolve, reject) => {
      calls.push({ inputs, finish: () => resolve(answer(inputs)), fail: reject });
    });
  return { calls, run };
}
const flush = () => new Promise((r) => setImmediate(r));

describe('InFlightBatcher', () => {
  test('idle: an input goes out at once, alone', async () => {
    const { calls, run } = manualBatches((xs: number[]) => xs.map((x) => x * 2));
    const b = new InFlightBatcher(run, { maxBatch: 10, maxInFlight: 1 });
    const p = b.submit(4);
    expect(calls.map((c) => c.inputs)).toEqual([[4]]);
    calls[0]!.finish();
    await expect(p).resolves.toBe(8);
  });

  test('inputs arriving while the limit is reached go together in the next call, split at maxBatch', async () => {
    const { calls, run } = manualBatches((xs: number[]) => xs.map((x) => -x));
    const b = new InFlightBatcher(run, { maxBatch: 3, maxInFlight: 1 });
    const ps = [1, 2, 3, 4, 5].map((x) => b.submit(x));
    expect(calls.map((c) => c.inputs)).toEqual([[1]]);
    calls[0]!.finish();
    await flush();
    expect(calls.map((c) => c.inputs)).toEqual([[1], [2, 3, 4]]);
    calls[1]!.finish();
    await flush();
    expect(calls.map((c) => c.inputs)).toEqual([[1], [2, 3, 4], [5]]);
    calls[2]!.finish();
    await expect(Promise.all(ps)).resolves.toEqual([-1, -2, -3, -4, -5]);
  });

  test('a failed batch rejects each of its inputs, and later batches still run', async () => {
    const { calls, run } = manualBatches((xs: string[]) => xs.map((x) => x.toUpperCase()));
    const b = new InFlightBatcher(run, { maxBatch: 5, maxInFlight: 1 });
    const first = b.submit('a');
    const [second, third] = [b.submit('b'), b.submit('c')];
    calls[0]!.finish();
    await flush();
    calls[1]!.fail(new Error('connection lost'));
    await expect(second).rejects.toThrow('connection lost');
    await expect(third).rejects.toThrow('connection lost');
    await expect(first).resolves.toBe('A');
    const fourth = b.submit('d');
    calls[2]!.finish();
    await expect(fourth).resolves.toBe('D');
  });

  test('a batch function returning the wrong number of results rejects the batch', async () => {
    const b = new InFlightBatcher(async (xs: number[]) => xs.slice(1), { maxBatch: 5, maxInFlight: 1 });
    await expect(b.submit(1)).rejects.toThrow(/returned 0 result\(s\) for 1 input/);
  });

  test('property: every input gets its own result exactly once; never more than maxInFlight calls run, none above maxBatch', async () => {
    const gen = createRng(9);
    for (let run = 0; run < 30; run++) {
      const maxBatch = 1 + gen.int(6);
      const maxInFlight = 1 + gen.int(3);
      let running = 0;
      let peak = 0;
      const sizes: number[] = [];
      const b = new InFlightBatcher(
        async (xs: number[]) => {
          running++;
          peak = Math.max(peak, running);
          sizes.push(xs.length);
          for (let i = gen.int(3); i > 0; i--) await flush();
          running--;
          return xs.map((x) => x + 1000);
        },
        { maxBatch, maxInFlight },
      );
      const inputs = Array.from({ length: 1 + gen.int(40) }, (_, i) => i);
      const results = await Promise.all(
        inputs.map(async (x) => {
          for (let i = gen.int(3); i > 0; i--) await flush();
          return b.submit(x);
        }),
      );
      expect(results).toEqual(inputs.map((x) => x + 1000));
      expect(peak).toBeLessThanOrEqual(maxInFlight);
      expect(Math.max(...sizes)).toBeLessThanOrEqual(maxBatch);
      expect(sizes.reduce((a, c) => a + c, 0)).toBe(inputs.length);
    }
  });

  test('refuses nonsense limits', () => {
    expect(() => new InFlightBatcher(async (x: number[]) => x, { maxBatch: 0, maxInFlight: 1 })).toThrow(RangeError);
    expect(() => new InFlightBatcher(async (x: number[]) => x, { maxBatch: 1, maxInFlight: 1.5 })).toThrow(RangeError);
  });
});
