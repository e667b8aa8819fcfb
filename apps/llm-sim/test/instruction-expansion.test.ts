import type OpenAI from 'openai';
import { classifyInstruction, type RunningSimulator } from '../src';
import { CATEGORY_MATERIAL, PADDING_CLAUSES, PLAIN_SENTENCES } from '../src/expansion-templates';
import { expandInstruction, parseExpansionPrompt } from '../src/instruction-expansion';
import { TASK_CATEGORIES } from '../src/task-keywords';
import { rougeL } from '../src/rouge-l';
import { wordCount } from '../src/text-features';
import { anthropicClient, instructionCreatorPrompt, openaiClient, startTestSimulator } from './fixtures';

/** Realistic seeds (Alpaca / WizardLM style) with the category the simulator's classifier gives them. */
const SEEDS: ReadonlyArray<[string, string]> = [
  ['Calculate the area of a triangle with a base of 10 cm and a height of 6 cm.', 'Math'],
  ['If all roses are flowers and some flowers fade quickly, can we conclude that some roses fade quickly? Explain your reasoning.', 'Reasoning'],
  ['Write a Python function that checks whether a number is prime.', 'Code Generation'],
  ['My JavaScript code throws a TypeError when I call map on the result of fetch. How do I fix it?', 'Code Debug'],
  ['Write a short poem about the ocean at sunset.', 'Writing'],
  ['Explain the difference between a stack and a queue in terms of data structures.', 'Computer Science'],
  ['Translate "Good morning, how are you?" into Spanish.', 'Multilingual'],
  ['Pretend you are a pirate captain and describe your ship to a new crew member.', 'Roleplay'],
  ['What are the main causes of climate change and how can we reduce carbon emissions?', 'Ecology'],
  ['What were the main causes of World War I?', 'History'],
  ['How does inflation affect the stock market?', 'Economy'],
  ['Correct the grammar in this sentence: "She go to school yesterday."', 'Grammar'],
  ['Present the data as a markdown table with columns name and age.', 'Complex Format'],
  ['Is it ethical to eat meat? Discuss the moral arguments.', 'Ethics'],
  ['Explain Newton\'s second law of motion and the concept of force.', 'Physics'],
  ['Name three things to bring to a picnic.', 'Others'],
];

const isFlawed = (text: string) => wordCount(text) <= 3 || /instruction/i.test(text);

describe('parseExpansionPrompt', () => {
  test('finds the seed between the markers, with its input', () => {
    expect(parseExpansionPrompt(instructionCreatorPrompt('Write a haiku.'))).toBe('Write a haiku.');
    expect(parseExpansionPrompt(instructionCreatorPrompt('Summarize this.\n\nThe text.'))).toBe('Summarize this.\n\nThe text.');
    expect(parseExpansionPrompt(instructionCreatorPrompt('Write a haiku.').replace(/\n/g, '\r\n'))).toBe('Write a haiku.');
    expect(parseExpansionPrompt(instructionCreatorPrompt('Write a haiku.').trimEnd())).toBe('Write a haiku.');
    expect(parseExpansionPrompt('#Given Instruction#:\nWrite a haiku.')).toBeNull();
    expect(parseExpansionPrompt('Write a haiku.\n\n#Created Instruction#:')).toBeNull();
    expect(parseExpansionPrompt('What is a #Given Instruction#?')).toBeNull();
  });
});

describe('expansion templates', () => {
  test('every template, with every topic, classifies as its category; padding is neutral', () => {
    const fixed: Record<string, string> = {
      n: '12', m: '7', k: '30', seq: '2, 4, 8, 16', plang: 'Python', lang: 'French', s: 'I like green tea.',
      e: 'We was late.', name: 'Anna', name2: 'Ben', name3: 'Carla', x: 'bloops', y: 'razzies', z: 'glorks',
    };
    for (const category of TASK_CATEGORIES) {
      const material = CATEGORY_MATERIAL[category];
      for (const template of material.templates) {
        for (const [i, topic] of material.topics.entries()) {
          const values: Record<string, string> = { ...fixed, t: topic, t2: material.topics[(i + 1) % material.topics.length] as string };
          for (const [slot, bank] of Object.entries(material.slots ?? {})) values[slot] = bank[i % bank.length] as string;
          let text = template;
          for (let pass = 0; pass < 2; pass++) text = text.replace(/\{(\w+)\}/g, (whole, slot: string) => values[slot] ?? whole);
          expect(text).not.toMatch(/[{}]|instruction/i);
          expect([text, classifyInstruction(text)]).toEqual([text, category]);
        }
      }
    }
    for (const clause of [...PADDING_CLAUSES, ...PLAIN_SENTENCES]) expect([clause, classifyInstruction(clause)]).toEqual([clause, 'Others']);
  });
});

describe('expandInstruction', () => {
  test('good replies keep the category, the length and stay clear of the seed, for every seed category', () => {
    for (const [seedText, category] of SEEDS) {
      expect(classifyInstruction(seedText)).toBe(category);
      for (let requestSeed = 0; requestSeed < 10; requestSeed++) {
        const expansion = expandInstruction({ model: 'sim-teacher', seedText, seed: 0, requestSeed, variant: 0 });
        if (expansion.flaw !== null) continue;
        expect([seedText, expansion.text, classifyInstruction(expansion.text)]).toEqual([seedText, expansion.text, category]);
        const ratio = wordCount(expansion.text) / wordCount(seedText);
        expect(ratio).toBeGreaterThanOrEqual(0.5);
        expect(ratio).toBeLessThanOrEqual(1.5);
        expect(rougeL(expansion.text, seedText)).toBeLessThan(0.5);
        expect(isFlawed(expansion.text)).toBe(false);
      }
    }
  });

  test('a seed with an input gets an input-like passage of similar length', () => {
    const seedText = 'Summarize the following paragraph.\n\nThe city council met on Tuesday to discuss the new park. Residents raised concerns about parking, noise and the cost of upkeep.';
    const { text } = expandInstruction({ model: 'sim-teacher', seedText, seed: 3, variant: 0 });
    const [instruction, input] = text.split('\n\n');
    expect(input).toBeDefined();
    expect(wordCount(input ?? '')).toBeGreaterThanOrEqual(15);
    expect(wordCount(instruction ?? '')).toBeLessThan(15);
  });

  test('created instructions expanded again stay in the category and keep changing', () => {
    let seedText = 'Find the derivative of 3x^2 + 5x - 7.';
    const seen = new Set([seedText]);
    for (let generation = 0; generation < 8; generation++) {
      const expansion = expandInstruction({ model: 'sim-teacher', seedText, seed: generation, variant: 0 });
      if (expansion.flaw !== null) continue;
      expect(classifyInstruction(expansion.text)).toBe('Math');
      expect(rougeL(expansion.text, seedText)).toBeLessThan(0.7);
      seen.add(expansion.text);
      seedText = expansion.text;
    }
    expect(seen.size).toBeGreaterThan(5);
  });
});

describe('instruction expansion over the chat endpoints', () => {
  let sim: RunningSimulator;
  let client: OpenAI;
  beforeAll(async () => {
    sim = await startTestSimulator();
    client = openaiClient(sim);
  });
  afterAll(() => sim.close());

  const create = async (seedText: string, extra: Partial<OpenAI.ChatCompletionCreateParamsNonStreaming> = {}) => {
    const completion = await client.chat.completions.create({
      model: 'sim-teacher', messages: [{ role: 'user', content: instructionCreatorPrompt(seedText) }], ...extra,
    });
    return completion.choices[0]?.message.content ?? '';
  };

  test('the teacher creates an instruction of the same category for seeds of many categories', async () => {
    const categories = new Set<string>();
    for (const [seedText, category] of SEEDS) {
      const replies = await Promise.all([1, 2, 3].map((seed) => create(seedText, { seed })));
      const good = replies.filter((reply) => !isFlawed(reply));
      expect(good.length).toBeGreaterThan(0);
      for (const reply of good) {
        expect(classifyInstruction(reply)).toBe(category);
        expect(wordCount(reply) / wordCount(seedText)).toBeGreaterThanOrEqual(0.5);
        expect(wordCount(reply) / wordCount(seedText)).toBeLessThanOrEqual(1.5);
        expect(rougeL(reply, seedText)).toBeLessThan(0.7);
        expect(reply).not.toMatch(/#Created|#Given|llm-sim/);
      }
      categories.add(category);
    }
    expect(categories.size).toBeGreaterThanOrEqual(8);
  });

  test('different seed values give different instructions; the same request gives the same one', async () => {
    const seedText = 'Write a Python function that checks whether a number is prime.';
    const replies = await Promise.all([1, 2, 3, 4, 5, 6].map((seed) => create(seedText, { seed })));
    expect(new Set(replies).size).toBe(6);
    expect(await create(seedText, { seed: 1 })).toBe(replies[0]);
    const hotter = await create(seedText, { seed: 1, temperature: 1.2 });
    expect(hotter).not.toBe(replies[0]);
    const choices = await client.chat.completions.create({
      model: 'sim-teacher', n: 3, messages: [{ role: 'user', content: instructionCreatorPrompt(seedText) }],
    });
    expect(new Set(choices.choices.map((c) => c.message.content)).size).toBe(3);
  });

  test('the simulator seed changes the instruction', async () => {
    const other = await startTestSimulator({ seed: 99 });
    try {
      const seedText = 'What were the main causes of World War I?';
      const mine = await create(seedText);
      const theirs = await openaiClient(other).chat.completions.create({
        model: 'sim-teacher', messages: [{ role: 'user', content: instructionCreatorPrompt(seedText) }],
      });
      expect(theirs.choices[0]?.message.content).not.toBe(mine);
    } finally {
      await other.close();
    }
  });

  test('the Anthropic endpoint creates instructions too', async () => {
    const seedText = 'Pretend you are a pirate captain and describe your ship to a new crew member.';
    const message = await anthropicClient(sim).messages.create({
      model: 'sim-teacher', max_tokens: 400, messages: [{ role: 'user', content: instructionCreatorPrompt(seedText) }],
    });
    const block = message.content[0];
    const text = block?.type === 'text' ? block.text : '';
    expect(isFlawed(text) || classifyInstruction(text) === 'Roleplay').toBe(true);
    expect(message.stop_reason).toBe('end_turn');
  });

  test('about 5% of replies are too short and about 5% mention "instruction"; stats count them as expand', async () => {
    const before = sim.stats().byKind.expand ?? 0;
    const replies: string[] = [];
    for (let batch = 0; batch < 8; batch++) {
      replies.push(...(await Promise.all(Array.from({ length: 50 }, (_, i) => {
        const [seedText] = SEEDS[(batch * 50 + i) % SEEDS.length] as [string, string];
        return create(seedText, { seed: batch * 50 + i });
      }))));
    }
    const short = replies.filter((reply) => wordCount(reply) <= 3).length;
    const mentions = replies.filter((reply) => /\binstruction\b/i.test(reply)).length;
    expect(short).toBeGreaterThanOrEqual(8);
    expect(short).toBeLessThanOrEqual(36);
    expect(mentions).toBeGreaterThanOrEqual(8);
    expect(mentions).toBeLessThanOrEqual(36);
    expect(replies.filter((reply) => wordCount(reply) <= 3 && /instruction/i.test(reply))).toHaveLength(0);
    expect((sim.stats().byKind.expand ?? 0) - before).toBe(400);
  });
});
