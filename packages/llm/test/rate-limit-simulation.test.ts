import { randomBytes } from 'node:crypto';
import IORedis, { type Redis } from 'ioredis';
import { SlidingWindowRateLimiter } from '../../../apps/llm-sim/src/rate-limiter';
import { EndpointRateLimiter, type EndpointRateState } from '../src/rate-limit';

/**
 * The benchmark scenarios, simulated: workers with unlimited demand drive the shared limiter
 * (through the real Redis, on a simulated clock) against the simulator's own sliding-window
 * limiter, with network latency both ways, and report every 429 back with the simulator's
 * retry-after. Set RATE_LIMIT_SIM_REPORT=1 to print the figures.
 */
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `tapirtest:rl:${randomBytes(5).toString('hex')}`;
const connections: Redis[] = [];
const T0 = 1_700_000_000_000;
const MINUTE = 60_000;

afterAll(async () => {
  const redis = connections[0];
  if (redis) {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
  }
  await Promise.all(connections.map((c) => c.quit()));
});

jest.setTimeout(120_000);

/** Deterministic latencies (mulberry32). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Scenario {
  configRpm: number;
  realRpm: number;
  minutes: number;
  /** Limiter instances on their own connections, used in turn: the workers of several machines. */
  processes: number;
  /** false: the provider's 429s carry no retry-after, so the limiter falls back to its default. */
  retryAfter: boolean;
}

interface Outcome {
  sent: number;
  rejected: number;
  /** Requests the provider accepted per minute, after the first minute. */
  acceptedPerMinute: number;
  /** Most requests reaching the provider in any 60 s window. */
  busiestMinute: number;
  state: EndpointRateState;
}

type SimEvent = { at: number; kind: 'arrive' } | { at: number; kind: 'reply429'; retryAfterMs: number };

async function simulate(s: Scenario): Promise<Outcome> {
  const endpoint = `sim-${s.configRpm}-${s.realRpm}-${s.retryAfter ? 'ra' : 'nora'}`;
  const limits = { rpm: s.configRpm };
  const provider = new SlidingWindowRateLimiter(() => ({ rpm: s.realRpm }));
  const processes = Array.from({ length: s.processes }, () => {
    const redis = new IORedis(REDIS_URL, { maxRetriesPerRequest: 1 });
    connections.push(redis);
    return new EndpointRateLimiter(redis, { keyPrefix: prefix });
  });
  let turn = 0;
  const nextProcess = () => processes[turn++ % processes.length] as EndpointRateLimiter;
  const rand = random(s.configRpm * 7 + s.realRpm);
  const latency = () => 10 + rand() * 100; // one way, ms: arrivals reach the provider out of order

  const events: SimEvent[] = []; // kept sorted by time
  const schedule = (e: SimEvent) => {
    let i = events.length;
    while (i > 0 && (events[i - 1] as SimEvent).at > e.at) i--;
    events.splice(i, 0, e);
  };
  const end = T0 + s.minutes * MINUTE;
  const arrivals: number[] = [];
  let accepted = 0;
  let sent = 0;
  let rejected = 0;
  let next = T0; // the workers' next attempt: demand is unlimited

  while (next < end || events.length > 0) {
    const event = events[0];
    if (next < end && (event === undefined || next <= event.at)) {
      const result = await nextProcess().tryAcquire(endpoint, limits, 0, next);
      if (result.ok) {
        sent++;
        schedule({ at: next + latency(), kind: 'arrive' });
      } else {
        next += result.retryInMs;
      }
      continue;
    }
    if (event === undefined) break;
    events.shift();
    if (event.kind === 'arrive') {
      arrivals.push(event.at);
      const answer = provider.tryAcquire('m', 0, event.at);
      if (answer.ok) {
        if (event.at >= T0 + MINUTE && event.at < end) accepted++;
      } else {
        rejected++;
        schedule({ at: event.at + latency(), kind: 'reply429', retryAfterMs: answer.retryAfterMs });
      }
    } else {
      await nextProcess().onRateLimited(endpoint, limits, s.retryAfter ? event.retryAfterMs : undefined, event.at);
    }
  }

  let busiestMinute = 0;
  for (let i = 0, j = 0; i < arrivals.length; i++) {
    while ((arrivals[j] as number) <= (arrivals[i] as number) - MINUTE) j++;
    busiestMinute = Math.max(busiestMinute, i - j + 1);
  }
  const outcome = { sent, rejected, acceptedPerMinute: accepted / (s.minutes - 1), busiestMinute, state: await processes[0]!.state(endpoint, end) };
  if (process.env.RATE_LIMIT_SIM_REPORT) {
    const share = (100 * rejected) / sent;
    process.stdout.write(
      `config ${s.configRpm}/min, real ${s.realRpm}/min${s.retryAfter ? '' : ', no retry-after'}: ` +
        `${outcome.acceptedPerMinute.toFixed(1)}/min accepted after minute 1 (${(outcome.acceptedPerMinute / s.realRpm).toFixed(4)} of the limit), ` +
        `${rejected} 429s of ${sent} sent (${share.toFixed(3)}%), busiest minute ${busiestMinute}, ` +
        `${outcome.state.rateDecreases} cuts, effective rpm at the end ${outcome.state.effectiveRpm?.toFixed(0)}\n`,
    );
  }
  return outcome;
}

describe('benchmark scenarios against the simulator', () => {
  test('(a) config = real limit 1,200/min: >= 0.97 of the limit, <= 0.5% 429s', async () => {
    const r = await simulate({ configRpm: 1200, realRpm: 1200, minutes: 5, processes: 3, retryAfter: true });
    expect(r.acceptedPerMinute).toBeGreaterThanOrEqual(0.97 * 1200);
    expect(r.rejected / r.sent).toBeLessThanOrEqual(0.005);
    expect(r.busiestMinute).toBeLessThanOrEqual(1200);
  });

  test('(b) config 2,000/min, real 1,200/min: adapts to >= 0.9 of the real limit', async () => {
    const r = await simulate({ configRpm: 2000, realRpm: 1200, minutes: 5, processes: 3, retryAfter: true });
    expect(r.acceptedPerMinute).toBeGreaterThanOrEqual(0.9 * 1200);
    expect(r.rejected / r.sent).toBeLessThan(0.02);
    expect(r.state.rateDecreases).toBeGreaterThan(0);
  });

  test('(b) without retry-after on the 429s, the adaptive rate alone gets there', async () => {
    const r = await simulate({ configRpm: 2000, realRpm: 1200, minutes: 8, processes: 3, retryAfter: false });
    expect(r.acceptedPerMinute).toBeGreaterThanOrEqual(0.9 * 1200);
    expect(r.rejected / r.sent).toBeLessThan(0.03);
  });

  test('a config four times the real limit still converges', async () => {
    const r = await simulate({ configRpm: 5000, realRpm: 1200, minutes: 5, processes: 2, retryAfter: true });
    expect(r.acceptedPerMinute).toBeGreaterThanOrEqual(0.9 * 1200);
    expect(r.rejected / r.sent).toBeLessThan(0.02);
  });
});
