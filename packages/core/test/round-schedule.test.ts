import { createRng, hardShareForRound, parseCampaignConfig } from '@tapir/core';

const MINIMAL = `
models:
  teacher: { provider: openai-compatible, model: t }
  student: { provider: openai-compatible, model: s }
  judge: { provider: openai-compatible, model: j }
`;

describe('hardShareForRound', () => {
  test('the default schedule rises 0.3, 0.5, 0.7 and then stays at 0.7', () => {
    const config = parseCampaignConfig(MINIMAL, 'c.yaml');
    expect([1, 2, 3, 4, 10].map((r) => hardShareForRound(config, r))).toEqual([0.3, 0.5, 0.7, 0.7, 0.7]);
  });

  test('a configured schedule; its last value repeats', () => {
    const config = parseCampaignConfig(`${MINIMAL}rounds: { count: 4, hardShare: [0.4, 0.9] }\n`, 'c.yaml');
    expect([1, 2, 3, 4].map((r) => hardShareForRound(config, r))).toEqual([0.4, 0.9, 0.9, 0.9]);
  });

  test('selection.easyShare overrides the schedule in every round', () => {
    const config = parseCampaignConfig(`${MINIMAL}selection: { easyShare: 0.25 }\nrounds: { hardShare: [0.1, 0.2] }\n`, 'c.yaml');
    expect([1, 2, 3].map((r) => hardShareForRound(config, r))).toEqual([0.75, 0.75, 0.75]);
    const hardOnly = parseCampaignConfig(`${MINIMAL}selection: { easyShare: 0 }\n`, 'c.yaml');
    expect(hardShareForRound(hardOnly, 2)).toBe(1);
  });

  test('rounds are integers >= 1', () => {
    const config = parseCampaignConfig(MINIMAL, 'c.yaml');
    for (const bad of [0, -1, 1.5, NaN]) expect(() => hardShareForRound(config, bad)).toThrow(RangeError);
    expect(() => hardShareForRound({ selection: {}, rounds: { hardShare: [] } }, 1)).toThrow(/empty/);
  });

  test('property: schedule[min(round, length) - 1], or 1 - easyShare when set', () => {
    const gen = createRng('round-schedule');
    for (let t = 0; t < 200; t++) {
      const schedule = Array.from({ length: 1 + gen.int(5) }, () => (1 + gen.int(100)) / 100);
      const easyShare = gen.int(3) === 0 ? gen.int(100) / 100 : undefined;
      const config = { selection: easyShare === undefined ? {} : { easyShare }, rounds: { hardShare: schedule } };
      for (let round = 1; round <= 8; round++) {
        const share = hardShareForRound(config, round);
        expect(share).toBe(easyShare === undefined ? schedule[Math.min(round, schedule.length) - 1] : 1 - easyShare);
        expect(share).toBeGreaterThan(0);
        expect(share).toBeLessThanOrEqual(1);
      }
    }
  });
});
