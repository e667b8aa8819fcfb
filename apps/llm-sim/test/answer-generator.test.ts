import { generateAnswer } from '../src/answer-generator';
import { BUILT_IN_PROFILES, DEFAULT_PROFILE } from '../src/model-profiles';
import { countTextTokens, truncateToTokens } from '../src/tokens';

const teacher = BUILT_IN_PROFILES['sim-teacher'] ?? DEFAULT_PROFILE;
const student = BUILT_IN_PROFILES['sim-student'] ?? DEFAULT_PROFILE;
const base = { seed: 0, variant: 0 };

describe('generateAnswer', () => {
  test('carries the simulated marker with one-decimal quality and the category', () => {
    const answer = generateAnswer({ ...base, model: 'sim-teacher', profile: teacher, instruction: 'Solve 2x + 4 = 10.' });
    expect(answer.text.startsWith(`[llm-sim:sim-teacher] Simulated answer (quality ${answer.quality.toFixed(1)}/10, category Math).`)).toBe(true);
    expect(answer.category).toBe('Math');
  });

  test('quality = profile + category delta + noise within +/-1, clamped to 1..10', () => {
    for (let i = 0; i < 50; i++) {
      const instruction = `Compute ${i} * ${i + 3}.`;
      const t = generateAnswer({ ...base, model: 'sim-teacher', profile: teacher, instruction });
      const s = generateAnswer({ ...base, model: 'sim-student', profile: student, instruction });
      expect(Math.abs(t.quality - 8.5)).toBeLessThanOrEqual(1);
      expect(Math.abs(s.quality - 3)).toBeLessThanOrEqual(1);
    }
    const capped = generateAnswer({ ...base, model: 'x', profile: { quality: 15 }, instruction: 'Hi' });
    expect(capped.quality).toBe(10);
  });

  test('better answers are longer and more structured; verbosity scales length', () => {
    const instruction = 'Explain how vaccines train the immune system.';
    const strong = generateAnswer({ ...base, model: 'a', profile: { quality: 9.5 }, instruction });
    const weak = generateAnswer({ ...base, model: 'a', profile: { quality: 2 }, instruction });
    const wordy = generateAnswer({ ...base, model: 'a', profile: { quality: 9.5, verbosity: 2 }, instruction });
    expect(strong.text.length).toBeGreaterThan(weak.text.length * 2);
    expect(strong.text).toContain('Key points:');
    expect(weak.text).not.toContain('\n');
    expect(wordy.text.length).toBeGreaterThan(strong.text.length * 1.5);
    expect(strong.text).toContain('Explain how vaccines train the immune system.');
  });

  test('is a pure function of its inputs', () => {
    const req = { ...base, model: 'sim-student', profile: student, instruction: 'Write a haiku about rain.' };
    expect(generateAnswer(req)).toEqual(generateAnswer({ ...req }));
    expect(generateAnswer({ ...req, seed: 1 }).text).not.toBe(generateAnswer(req).text);
  });
});

describe('token counting', () => {
  test('ceil(chars / 4), and truncation respects it', () => {
    expect(countTextTokens('')).toBe(0);
    expect(countTextTokens('abcde')).toBe(2);
    const cut = truncateToTokens('x'.repeat(100), 7);
    expect(cut).toEqual({ text: 'x'.repeat(28), truncated: true });
    expect(truncateToTokens('short', 10)).toEqual({ text: 'short', truncated: false });
    const emoji = truncateToTokens('abc😀def', 1);
    expect(emoji.text).toBe('abc');
  });
});
