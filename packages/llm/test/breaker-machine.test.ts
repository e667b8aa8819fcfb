import { admit, CLOSED, downForMs, HALF_OPEN_RECHECK_MS, recordAnswer, recordOutage, type BreakerPolicy, type BreakerState } from '../src/circuit-breaker/breaker-machine';
import { DEFAULT_BREAKER_POLICY } from '../src/circuit-breaker/breaker-policy';

/** A seeded generator (mulberry32), so that a failing walk can be replayed. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const policy: BreakerPolicy = { openAfterFailures: 3, failureWindowMs: 10_000, firstProbeAfterMs: 1_000, maxProbeIntervalMs: 8_000, probeLeaseMs: 5_000 };

function failTimes(state: BreakerState, times: number, at: number): BreakerState {
  for (let i = 0; i < times; i++) state = recordOutage(state, at, 'connection: refused', policy);
  return state;
}

describe('circuit breaker state machine', () => {
  test('closed lets every request go; opens after openAfterFailures outage errors in a row', () => {
    expect(admit(CLOSED, 0, policy).admission).toEqual({ go: true, probe: false });
    const twice = failTimes(CLOSED, 2, 100);
    expect(twice.phase).toBe('closed');
    expect(admit(twice, 100, policy).admission.go).toBe(true);
    const thrice = recordOutage(twice, 200, 'connection: refused', policy);
    expect(thrice).toMatchObject({ phase: 'open', downSince: 200, nextProbeAt: 1_200, opened: 1, lastError: 'connection: refused' });
  });

  test('an answer between failures restarts the count; so does a run older than the window', () => {
    let s = failTimes(CLOSED, 2, 0);
    s = recordAnswer(s);
    s = failTimes(s, 2, 10);
    expect(s.phase).toBe('closed');
    const sparse = recordOutage(failTimes(CLOSED, 2, 0), policy.failureWindowMs + 1, 'x', policy);
    expect(sparse).toMatchObject({ phase: 'closed', failures: 1, firstFailureAt: policy.failureWindowMs + 1 });
  });

  test('open turns requests away until the probe interval, then lets exactly one go as the probe', () => {
    const open = failTimes(CLOSED, 3, 1_000);
    const early = admit(open, 1_500, policy);
    expect(early.admission).toEqual({ go: false, retryInMs: 500, downForMs: 500, lastError: 'connection: refused' });
    expect(early.state).toBe(open);
    const probe = admit(open, 2_000, policy);
    expect(probe.admission).toEqual({ go: true, probe: true });
    expect(probe.state).toMatchObject({ phase: 'half_open', probeLeaseUntil: 2_000 + policy.probeLeaseMs });
    const second = admit(probe.state, 2_001, policy);
    expect(second.admission).toMatchObject({ go: false, retryInMs: HALF_OPEN_RECHECK_MS });
  });

  test('a probe whose worker died is replaced once its lease runs out', () => {
    const halfOpen = admit(failTimes(CLOSED, 3, 0), 1_000, policy).state;
    expect(admit(halfOpen, 1_000 + policy.probeLeaseMs - 1, policy).admission.go).toBe(false);
    expect(admit(halfOpen, 1_000 + policy.probeLeaseMs, policy).admission).toEqual({ go: true, probe: true });
  });

  test('a failed probe reopens with the interval doubled up to the maximum; downSince is kept', () => {
    let s = failTimes(CLOSED, 3, 0);
    let now = 0;
    const intervals: number[] = [];
    for (let i = 0; i < 6; i++) {
      now = s.nextProbeAt;
      s = admit(s, now, policy).state;
      s = recordOutage(s, now, 'connection: refused', policy);
      intervals.push(s.nextProbeAt - now);
      expect(s.downSince).toBe(0);
    }
    expect(intervals).toEqual([2_000, 4_000, 8_000, 8_000, 8_000, 8_000]);
    expect(downForMs(s, now)).toBe(now);
    expect(s.opened).toBe(1);
  });

  test('any answer closes from any phase and forgets the outage but not how often it opened', () => {
    const open = failTimes(CLOSED, 3, 0);
    const halfOpen = admit(open, 5_000, policy).state;
    for (const s of [open, halfOpen]) {
      expect(recordAnswer(s)).toEqual({ ...CLOSED, opened: 1 });
      expect(downForMs(recordAnswer(s), 99_999)).toBe(0);
    }
    expect(recordAnswer(CLOSED)).toBe(CLOSED);
  });

  test('late failures of requests sent before it opened keep it open without moving the probe', () => {
    const open = failTimes(CLOSED, 3, 0);
    const late = recordOutage(open, 500, 'timeout: Request timed out.', policy);
    expect(late).toEqual({ ...open, lastError: 'timeout: Request timed out.' });
  });

  test('property: under any sequence of events, a new probe goes only once the last one settled or its lease ran out', () => {
    const p = DEFAULT_BREAKER_POLICY;
    const random = seeded(42);
    const violations: string[] = [];
    const check = (ok: boolean, what: string) => {
      if (!ok && violations.length < 5) violations.push(what);
    };
    let probes = 0;
    for (let run = 0; run < 60; run++) {
      let s: BreakerState = CLOSED;
      let now = 0;
      // The lease of the probe on the wire, forgotten when anything settles.
      let liveProbeUntil = -1;
      for (let step = 0; step < 200; step++) {
        now += Math.floor(random() * 1_500);
        const r = random();
        const at = `run ${run} step ${step}`;
        if (r < 0.5) {
          const { state, admission } = admit(s, now, p);
          if (admission.go && admission.probe) {
            check(now >= liveProbeUntil, `${at}: a second probe while one is live`);
            liveProbeUntil = now + p.probeLeaseMs;
            probes++;
          }
          if (admission.go && !admission.probe) check(s.phase === 'closed', `${at}: a plain request let through while ${s.phase}`);
          if (!admission.go) check(admission.retryInMs > 0, `${at}: turned away with no wait`);
          s = state;
        } else if (r < 0.9) {
          s = recordOutage(s, now, 'x', p);
          liveProbeUntil = -1;
        } else {
          s = recordAnswer(s);
          liveProbeUntil = -1;
        }
        if (s.phase === 'closed') {
          check(s.failures < p.openAfterFailures, `${at}: closed with ${s.failures} failures`);
          check(downForMs(s, now) === 0, `${at}: closed but down`);
        } else {
          check(s.downSince !== null, `${at}: ${s.phase} without downSince`);
          check(s.probeIntervalMs <= p.maxProbeIntervalMs, `${at}: probe interval ${s.probeIntervalMs}`);
        }
      }
    }
    expect(violations).toEqual([]);
    // The walk did reach the half-open phase many times.
    expect(probes).toBeGreaterThan(100);
  });
});
