import { readFileSync } from 'node:fs';
import { sharedDataPath } from './shared-data';

/**
 * Light edits of a question, as a paraphrasing expansion or a careless copy makes them (Platypus'
 * near-copies of test questions): case, punctuation, a word added, two neighbouring words swapped.
 * Deterministic by `variant`, so tests reproduce.
 */
export const LIGHT_EDITS: readonly ((text: string) => string)[] = [
  (t) => t.toLowerCase(),
  (t) => t.replace(/[?.!]\s*$/, '').toUpperCase(),
  (t) => `${t.replace(/[?.!]\s*$/, '')}!`,
  (t) => `Please, ${t.charAt(0).toLowerCase()}${t.slice(1)}`,
  (t) => {
    const words = t.split(' ');
    words.splice(Math.floor(words.length / 2), 0, 'really');
    return words.join(' ');
  },
  (t) => {
    const words = t.split(' ');
    const i = Math.max(1, Math.floor(words.length / 2));
    [words[i - 1], words[i]] = [words[i] as string, words[i - 1] as string];
    return words.join(' ');
  },
];

export function lightEdit(text: string, variant: number): string {
  return (LIGHT_EDITS[variant % LIGHT_EDITS.length] as (t: string) => string)(text);
}

export interface RealQuestion {
  benchmark: 'mt-bench' | 'vicuna' | 'alpaca-eval';
  index: number;
  text: string;
}

/** The first-turn questions of MT-Bench and the Vicuna bench, and AlpacaEval's instructions, from ../shared/data. */
export function realBenchmarkQuestions(): RealQuestion[] {
  const jsonl = (file: string) =>
    readFileSync(sharedDataPath(file), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => (JSON.parse(line) as { turns: string[] }).turns[0] as string);
  const alpaca = (JSON.parse(readFileSync(sharedDataPath('alpaca_eval/gpt4.json'), 'utf8')) as { instruction: string }[]).map((r) => r.instruction);
  return [
    ...jsonl('mt_bench_questions.jsonl').map((text, index) => ({ benchmark: 'mt-bench' as const, index, text })),
    ...jsonl('vicuna_bench_questions.jsonl').map((text, index) => ({ benchmark: 'vicuna' as const, index, text })),
    ...alpaca.map((text, index) => ({ benchmark: 'alpaca-eval' as const, index, text })),
  ];
}

/** Questions long enough that one added word is a light edit (8+ words); shorter ones are the n-gram rule's. */
export function editableQuestion(text: string): boolean {
  const words = text.trim().split(/\s+/).length;
  return words >= 8 && text.length <= 600;
}

export const SHARED_QUESTION_FILES = ['mt_bench_questions.jsonl', 'vicuna_bench_questions.jsonl', 'alpaca_eval/gpt4.json'];
