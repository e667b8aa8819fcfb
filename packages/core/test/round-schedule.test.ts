import { createRng, hardShareForRound, parseCampaignConfig, targetSizeForRound } from '@tapir/core';

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

  test('property: round r takes the r-th value, the last one repeating, or 1 - easyShare when set', () => {
    const gen = createRng('round-schedule');
    for (let t = 0; t < 200; t++) {
      const schedule = Array.from({ length: 1 + gen.int(5) }, () => (1 + gen.int(100)) / 100);
      const easyShare = gen.int(3) === 0 ? gen.int(100) / 100 : undefined;
      const config = { selection: easyShare === undefined ? {} : { easyShare }, rounds: { hardShare: schedule } };
      // The expected values are spelled out as the whole padded schedule, not computed per round.
      const padded = [...schedule];
      while (padded.length < 8) padded.push(schedule[schedule.length - 1]!);
      const expected = easyShare === undefined ? padded : padded.map(() => 1 - easyShare);
      expect(Array.from({ length: 8 }, (_, i) => hardShareForRound(config, i + 1))).toEqual(expected);
    }
  });
});

describe('targetSizeForRound', () => {
  test('absent: no size, the planner decides', () => {
    expect(targetSizeForRound(parseCampaignConfig(MINIMAL, 'c.yaml'), 1)).toBeUndefined();
  });

  test('one number is every round; a list is one per round, the last repeating', () => {
    const one = parseCampaignConfig(`${MINIMAL}rounds: { targetSize: 500 }\n`, 'c.yaml');
    expect([1, 2, 5].map((r) => targetSizeForRound(one, r))).toEqual([500, 500, 500]);
    const list = parseCampaignConfig(`${MINIMAL}rounds: { count: 5, targetSize: [300, 450, 600] }\n`, 'c.yaml');
    expect([1, 2, 3, 4, 5].map((r) => targetSizeForRound(list, r))).toEqual([300, 450, 600, 600, 600]);
  });

  test('rebalance.targetSize, its older spelling, still sizes every round; both at once is refused', () => {
    const old = parseCampaignConfig(`${MINIMAL}rebalance: { targetSize: 200 }\n`, 'c.yaml');
    expect([1, 3].map((r) => targetSizeForRound(old, r))).toEqual([200, 200]);
    expect(() => parseCampaignConfig(`${MINIMAL}rebalance: { targetSize: 200 }\nrounds: { targetSize: [100] }\n`, 'c.yaml')).toThrow(
      /rebalance\.targetSize.*rounds\.targetSize only/s,
    );
  });

  test('sizes are integers >= 1 and the list is not empty', () => {
    for (const bad of ['0', '[]', '[100, 0]', '1.5', 'many']) {
      expect(() => parseCampaignConfig(`${MINIMAL}rounds: { targetSize: ${bad} }\n`, 'c.yaml')).toThrow(/rounds\.targetSize(\[1\])?: expected (an integer >= 1|a non-empty list of integers >= 1)/);
    }
  });
});
