import { parseSynthesisPrompt, synthesizeInstruction } from '../src/instruction-synthesis';
import { classifyInstruction } from '../src/task-classifier';
import { buildSynthesisMessages } from '@tapir/core';

const base = { model: 'sim-teacher', seed: 7, variant: 0 };

describe('simulated topic-seeded synthesis', () => {
  test("reads tapir's prompt", () => {
    const prompt = buildSynthesisMessages({ category: 'Chemistry', topic: 'gas laws', audience: 'an undergraduate', form: 'exercise' })[0]!.content;
    expect(parseSynthesisPrompt(prompt)).toEqual({ category: 'Chemistry', topic: 'gas laws', audience: 'an undergraduate', form: 'exercise' });
    expect(parseSynthesisPrompt('Explain gas laws.')).toBeNull();
  });

  test('follows the category (its classifier agrees), the topic and the form; deterministic; varied across topics', () => {
    const topics = ['reaction rates', 'acids and bases', 'the periodic table', 'redox reactions', 'stoichiometry', 'chemical bonding'];
    const texts = topics.map((topic) => synthesizeInstruction({ ...base, category: 'Chemistry', topic, audience: 'an undergraduate', form: 'exercise' }).text);
    texts.forEach((text, i) => {
      expect(text).toContain(topics[i]);
      expect(classifyInstruction(text)).toBe('Chemistry');
      expect(text).not.toMatch(/instruction/i);
    });
    expect(new Set(texts).size).toBe(texts.length);
    const again = synthesizeInstruction({ ...base, category: 'Chemistry', topic: topics[0]!, audience: 'an undergraduate', form: 'exercise' }).text;
    expect(again).toBe(texts[0]);
    const worked = synthesizeInstruction({ ...base, category: 'Physics', topic: 'levers', audience: 'a teacher', form: 'textbook-style problem with a worked answer' }).text;
    expect(worked).toMatch(/worked/i);
  });
});
