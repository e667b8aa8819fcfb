import { ConcurrencyLimiter } from '../src/concurrency-limiter';

/** Resolves after `ticks` microtasks: lets a caller arrive at an exact point of a handover. */
async function afterMicrotasks(ticks: number): Promise<void> {
  for (let i = 0; i < ticks; i++) await Promise.resolve();
}

describe('ConcurrencyLimiter', () => {
  test.each([0, 1, 2, 3, 4, 5, 6])(
    'a caller arriving %i microtasks into a slot handover does not push past the limit',
    async (ticks) => {
      const limiter = new ConcurrencyLimiter(1);
      let running = 0;
      let peak = 0;
      const task = (hold: Promise<void>) => async () => {
        running++;
        peak = Math.max(peak, running);
        await hold;
        running--;
      };
      let releaseFirst!: () => void;
      const first = limiter.run(task(new Promise<void>((r) => (releaseFirst = r))));
      const waiter = limiter.run(task(afterMicrotasks(10)));
      releaseFirst();
      await afterMicrotasks(ticks);
      const newcomer = limiter.run(task(afterMicrotasks(10)));
      await Promise.all([first, waiter, newcomer]);
      expect(peak).toBe(1);
      expect(limiter.inFlight).toBe(0);
    },
  );

  test('a failing task frees its slot', async () => {
    const limiter = new ConcurrencyLimiter(1);
    await expect(limiter.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(limiter.run(async () => 7)).resolves.toBe(7);
    expect(limiter.inFlight).toBe(0);
  });
});
