import { createHash } from 'node:crypto';
import { DEFAULT_TAXONOMY, REFINE_FAMILIES, fillRefineTemplate, refineFamilyOf, refinePromptFor, type RefineFamily } from '@tapir/core';

const hash8 = (t: string) => createHash('sha256').update(t).digest('hex').slice(0, 8);

describe('refine families', () => {
  test.each<[string, RefineFamily]>([
    ['Math', 'math'],
    ['Reasoning', 'reasoning'],
    ['Common-Sense', 'reasoning'],
    ['Counterfactual', 'reasoning'],
    ['Code Generation', 'code'],
    ['Computer Science', 'code'],
    ['Code Debug', 'debug'],
    ['Complex Format', 'format'],
    ['Writing', 'writing'],
    ['Literature', 'writing'],
    ['Roleplay', 'roleplay'],
    ['Paraphrase', 'rewrite'],
    ['Grammar', 'rewrite'],
    ['Multilingual', 'multilingual'],
    ['Toxicity', 'safety'],
    ['Biology', 'general'],
    ['Law', 'general'],
    ['Others', 'general'],
    ['Something New', 'general'],
    ['code_generation', 'code'],
  ])('%s -> %s', (category, family) => {
    expect(refineFamilyOf(category)).toBe(family);
  });

  test('every template has {instruction} and the right guidance', () => {
    for (const spec of Object.values(REFINE_FAMILIES)) expect(spec.template).toContain('{instruction}');
    expect(REFINE_FAMILIES.math.template).toMatch(/step by step/);
    expect(REFINE_FAMILIES.math.template).toContain('Final answer:');
    expect(REFINE_FAMILIES.reasoning.template).toMatch(/step by step/);
    expect(REFINE_FAMILIES.reasoning.template).toMatch(/conclusion/);
    expect(REFINE_FAMILIES.code.template).toMatch(/runnable/);
    expect(REFINE_FAMILIES.code.template).toMatch(/fenced code blocks/);
    expect(REFINE_FAMILIES.code.template).toMatch(/language/);
    expect(REFINE_FAMILIES.debug.template).toMatch(/bug/);
    expect(REFINE_FAMILIES.debug.template).toMatch(/corrected code/);
    expect(REFINE_FAMILIES.format.template).toMatch(/format exactly/);
    expect(REFINE_FAMILIES.format.template).toMatch(/no extra prose/);
    expect(REFINE_FAMILIES.general.template).toMatch(/accurately/);
  });

  test('every default category maps to exactly one family', () => {
    for (const { name } of DEFAULT_TAXONOMY) {
      const owners = Object.entries(REFINE_FAMILIES).filter(([, spec]) => spec.categories.includes(name));
      expect(owners.length).toBeLessThanOrEqual(1);
    }
  });
});

describe('refinePromptFor', () => {
  test('built-in version is family plus template hash', () => {
    const p = refinePromptFor('Math', {});
    expect(p.family).toBe('math');
    expect(p.version).toBe(`refine-math@${hash8(REFINE_FAMILIES.math.template)}`);
    expect(p.version).toMatch(/^refine-math@[0-9a-f]{8}$/);
    expect(refinePromptFor('Math').version).toBe(p.version);
  });

  test('different families have different versions', () => {
    const versions = new Set(Object.keys(REFINE_FAMILIES).map((f) => REFINE_FAMILIES[f as RefineFamily].template).map(hash8));
    expect(versions.size).toBe(Object.keys(REFINE_FAMILIES).length);
  });

  test('build puts the instruction and input into one user message', () => {
    const msgs = refinePromptFor('Math').build('What is 2+2?');
    expect(msgs).toHaveLength(1);
    expect(msgs[0]?.role).toBe('user');
    expect(msgs[0]?.content).toContain('What is 2+2?');
    expect(msgs[0]?.content).not.toContain('{instruction}');
    const withInput = refinePromptFor('Code Debug').build('Fix this function.', 'def f(: pass')[0]?.content ?? '';
    expect(withInput).toContain('Fix this function.\n\ndef f(: pass');
  });

  test('override gets a custom version that changes with the text', () => {
    const a = refinePromptFor('Code Debug', { 'Code Debug': 'Debug it: {instruction}' });
    expect(a.family).toBe('custom');
    expect(a.version).toBe(`refine-custom-code-debug@${hash8('Debug it: {instruction}')}`);
    const b = refinePromptFor('Code Debug', { 'Code Debug': 'Debug it now: {instruction}' });
    expect(b.version).not.toBe(a.version);
    expect(a.build('x')[0]?.content).toBe('Debug it: x');
  });

  test('override keys match loosely and only their own category', () => {
    expect(refinePromptFor('Code Debug', { code_debug: 'D {instruction}' }).family).toBe('custom');
    expect(refinePromptFor('Math', { code_debug: 'D {instruction}' }).family).toBe('math');
  });

  test('override without {instruction} is rejected', () => {
    expect(() => refinePromptFor('Math', { Math: 'no placeholder' })).toThrow(/\{instruction\}/);
  });

  test('templates with {input} place it themselves', () => {
    expect(fillRefineTemplate('I: {instruction} | In: {input}', 'do', 'data')).toBe('I: do | In: data');
    expect(fillRefineTemplate('I: {instruction} | In: {input}', 'do')).toBe('I: do | In: ');
    expect(fillRefineTemplate('Q: {instruction}', 'do', '')).toBe('Q: do');
  });

  test('replacement patterns in the instruction are not interpreted', () => {
    expect(fillRefineTemplate('Q: {instruction}', 'cost is $& and $1')).toBe('Q: cost is $& and $1');
  });
});
