import { cleanTokens } from './clean-tokens';
import type { CleanDrop } from './clean-drop';
import { combineHash } from './hash32';
import { editsToContain } from './edit-distance-in';
import { HashLists } from './hash-lists';

export interface BenchmarkQuestion {
  benchmark: string;
  text: string;
}

export interface DecontaminationRules {
  /** GPT-3's rule: a shared run of this many words (13). */
  ngram: number;
  /** One edit allowed per this many words of a question (10)... */
  wordsPerEdit: number;
  /** ...and none below this many words (6): a five-word question must appear exactly. */
  minEditedWords: number;
}

/** Words per q-gram of the edited-copy filter: an edit destroys at most this many of a question's q-grams. */
const Q = 3;
const UNKNOWN = -1;

interface IndexedQuestion extends BenchmarkQuestion {
  tokens: Int32Array;
  allowedEdits: number;
  /** How many of its distinct q-grams a row must hold to be worth an edit-distance check. */
  minQgramHits: number;
}

/**
 * The benchmark questions a pool must not contain, and the two rules that find them:
 *
 * - `ngram-overlap` (GPT-3): the row shares a run of `ngram` (13) words with a question. Catches
 *   long questions quoted in part.
 * - `edited-copy`: the whole question appears in the row with at most one word edit per
 *   `wordsPerEdit` (10) words, at least one, and none for questions under `minEditedWords` (6)
 *   words; a question that short must be the whole row. One-line questions have no 13-gram to share ("How can I improve my time management
 *   skills?" is 8 words), and a word swapped in the middle of a 20-word question leaves no 13-word
 *   run either; this rule catches both. Words are compared after case and punctuation are gone
 *   (clean-tokens.ts), so those edits are free.
 *
 * Candidates for the second rule come from a q-gram count filter (Ukkonen: k edits destroy at most
 * 3k of a question's word trigrams), so a row is compared word by word only with the questions
 * it shares most trigrams with.
 */
export class BenchmarkIndex {
  private readonly vocabulary = new Map<string, number>();
  private readonly questions: IndexedQuestion[] = [];
  /** Built while questions are added, then frozen into the typed tables below. */
  private readonly ngramLists = new Map<number, number[]>();
  private readonly qgramLists = new Map<number, number[]>();
  /** 13-gram hash -> the first question holding it. */
  private readonly ngrams: HashLists;
  /** Q-gram hash -> the questions holding it, in question order. */
  private readonly qgrams: HashLists;
  /** Window widths the q-gram index holds: Q, and shorter ones only for questions under Q words. */
  private readonly widthSet = new Set<number>();
  private readonly widths: number[];
  private hits = new Int32Array(0);
  private stamps = new Int32Array(0);
  private stamp = 0;

  constructor(
    questions: Iterable<BenchmarkQuestion>,
    readonly rules: DecontaminationRules,
  ) {
    for (const q of questions) this.addQuestion(q);
    this.ngrams = new HashLists(this.ngramLists);
    this.qgrams = new HashLists(this.qgramLists);
    this.ngramLists.clear();
    this.qgramLists.clear();
    this.widths = [...this.widthSet];
    this.hits = new Int32Array(this.questions.length);
    this.stamps = new Int32Array(this.questions.length);
  }

  get size(): number {
    return this.questions.length;
  }

  get benchmarks(): string[] {
    return [...new Set(this.questions.map((q) => q.benchmark))];
  }

  private addQuestion(question: BenchmarkQuestion): void {
    const words = cleanTokens(question.text);
    if (words.length === 0) return;
    const tokens = new Int32Array(words.length);
    words.forEach((w, i) => {
      let id = this.vocabulary.get(w);
      if (id === undefined) this.vocabulary.set(w, (id = this.vocabulary.size));
      tokens[i] = id;
    });
    const index = this.questions.length;
    const allowedEdits = tokens.length < this.rules.minEditedWords ? 0 : Math.max(1, Math.floor(tokens.length / this.rules.wordsPerEdit));
    const qgrams = new Set(windowHashes(tokens, Math.min(Q, tokens.length)));
    this.widthSet.add(Math.min(Q, tokens.length));
    this.questions.push({ ...question, tokens, allowedEdits, minQgramHits: Math.max(1, qgrams.size - Q * allowedEdits) });
    for (const h of qgrams) {
      const list = this.qgramLists.get(h);
      if (list) list.push(index);
      else this.qgramLists.set(h, [index]);
    }
    if (tokens.length >= this.rules.ngram) for (const h of windowHashes(tokens, this.rules.ngram)) if (!this.ngramLists.has(h)) this.ngramLists.set(h, [index]);
  }

  /** The first rule a row breaks, naming the benchmark and the question; null when it is clean. */
  check(text: string): CleanDrop | null {
    return this.checkWords(cleanTokens(text));
  }

  /** check() on the row's cleaning tokens (clean-tokens.ts), when the caller has them already. */
  checkWords(words: readonly string[]): CleanDrop | null {
    if (this.questions.length === 0) return null;
    const tokens = new Int32Array(words.length);
    for (let i = 0; i < words.length; i++) tokens[i] = this.vocabulary.get(words[i]!) ?? UNKNOWN;
    return this.sharedNgram(tokens, words) ?? this.editedCopy(tokens);
  }

  private sharedNgram(tokens: Int32Array, words: readonly string[]): CleanDrop | null {
    const n = this.rules.ngram;
    if (this.ngrams.size === 0 || tokens.length < n) return null;
    let lastUnknown = -1;
    for (let end = 0; end < tokens.length; end++) {
      if (tokens[end] === UNKNOWN) lastUnknown = end;
      const start = end - n + 1;
      if (start < 0 || lastUnknown >= start) continue;
      const slot = this.ngrams.find(hashWindow(tokens, start, n));
      if (slot < 0) continue;
      const question = this.questions[this.ngrams.values[this.ngrams.start(slot)]!]!;
      return {
        reason: 'contaminated',
        evidence: {
          rule: 'ngram-overlap',
          threshold: n,
          benchmark: question.benchmark,
          benchmarkQuestion: question.text,
          detail: `shares the ${n}-gram "${words.slice(start, start + n).join(' ')}"`,
        },
      };
    }
    return null;
  }

  private editedCopy(tokens: Int32Array): CleanDrop | null {
    this.stamp++;
    let bestQuestion = -1;
    let bestEdits = Infinity;
    // A q-gram repeated in the row counts twice: that can only bring a check forward, and the
    // check itself (edit distance) is exact. Questions shorter than a q-gram are indexed by all
    // their words: those windows are looked up too.
    const { qgrams } = this;
    for (const width of this.widths) {
      let lastUnknown = -1;
      for (let end = 0; end < tokens.length; end++) {
        if (tokens[end] === UNKNOWN) lastUnknown = end;
        const start = end - width + 1;
        if (start < 0 || lastUnknown >= start) continue;
        const slot = qgrams.find(hashWindow(tokens, start, width));
        if (slot < 0) continue;
        for (let v = qgrams.start(slot), stop = qgrams.end(slot); v < stop; v++) {
          const q = qgrams.values[v]!;
          if (this.stamps[q] !== this.stamp) {
            this.stamps[q] = this.stamp;
            this.hits[q] = 0;
          }
          const hits = ++this.hits[q]!;
          const question = this.questions[q]!;
          if (hits !== question.minQgramHits) continue;
          // A question too short to allow an edit ("Define entropy.") is only a copy when it is the
          // whole row: inside a longer instruction, two or three words are a phrase, not a question.
          if (question.allowedEdits === 0 && question.tokens.length < this.rules.minEditedWords && tokens.length !== question.tokens.length) continue;
          const edits = editsToContain(question.tokens, tokens, question.allowedEdits);
          if (edits <= question.allowedEdits && edits < bestEdits) {
            bestEdits = edits;
            bestQuestion = q;
          }
        }
      }
    }
    if (bestQuestion < 0) return null;
    const question = this.questions[bestQuestion]!;
    return {
      reason: 'contaminated',
      evidence: {
        rule: 'edited-copy',
        score: bestEdits,
        threshold: question.allowedEdits,
        benchmark: question.benchmark,
        benchmarkQuestion: question.text,
        detail: `the question's ${question.tokens.length} words appear with ${bestEdits} word edit(s)`,
      },
    };
  }
}

function hashWindow(tokens: Int32Array, start: number, width: number): number {
  let h = width;
  for (let i = start; i < start + width; i++) h = combineHash(h, tokens[i]! >>> 0);
  return h;
}

function windowHashes(tokens: Int32Array, width: number): number[] {
  const out: number[] = [];
  for (let start = 0; start + width <= tokens.length; start++) out.push(hashWindow(tokens, start, width));
  return out;
}
