import { readJudgeJson } from './judge-structured';

/**
 * Reads the two scores from a pairwise judge reply written as text (endpoints without structured
 * output, or a judge that ignored it). Lion's parser only accepts "8 7" or "8, 7" on the first
 * line; real judges also write labels, "/10", markdown, JSON, Chinese and MT-bench style "[[8]]".
 * Labels are honoured ("Assistant 2: 7, Assistant 1: 8" is [8, 7]), and a number is a label's
 * score only when nothing but score words stands between them ("Assistant 2 made 3 errors" gives
 * Assistant 2 no score). Anything doubtful is rejected with a reason, so the caller re-asks rather
 * than stores noise or a guess.
 */
export type JudgeScoresResult = { ok: true; scores: [number, number] } | { ok: false; reason: string };

const MAX_REASON_LENGTH = 120;
const MAX_QUOTE_LENGTH = 60;
/** Lines like "Scores:", "**Ratings**" or "## Evaluation" that some judges put above the score line. */
const MAX_HEADING_LENGTH = 40;
const MAX_HEADINGS = 2;
/** Two single-number lines ("Score: 8" / "Score: 7") count as one pair only when this short. */
const MAX_SPLIT_LINE_LENGTH = 30;

const REFUSAL =
  /\b(?:I'm sorry|I am sorry|I apologi[sz]e|I cannot|I can't|I can not|I'm unable|I am unable|I won't|I will not|as an AI)\b|抱歉|无法评分|无法评价|不能评分/i;

/** "Assistants 1 and 2", "助手1和2": both at once, so the numbers that follow are in order. */
const BOTH_LABELS = /\b(?:assistant|answer|response|model)s?\s*(?:1|one)\s*(?:and|&|,)\s*(?:2|two)(?![\d.])|(?:助手|回答|答案)\s*[1一]\s*(?:和|与|及|、)\s*[2二]/gi;

/** One assistant named: "Assistant 1", "answer_2", "Response #1", "Assistant One", "the second answer", "Score 1:", "助手2", "第一个回答". */
const LABEL =
  /\b(?:assistant|answer|response|model)\s*[_#-]?\s*(1|2|one|two)(?![\d.])|\b(?:the\s+)?(first|second)\s+(?:assistant|answer|response|model)\b|\bscore\s*#?\s*([12])(?=\s*[:=])|(?:助手|回答|答案|模型)\s*([12一二])(?![\d.])|第\s*([一二12])\s*(?:个|位)?\s*(?:助手|回答|答案)/gi;

/** The scale and the denominators are numbers the judge wrote that are not scores. */
const NOT_SCORES = [
  /\b(?:on\s+)?(?:a\s+)?scale\s+(?:of\s+|from\s+)?[01]\s*(?:-|–|to)\s*10\b/gi,
  /\bfrom\s+[01]\s+to\s+10\b/gi,
  /\s*\/\s*10(?![\d.])/g,
  /\s*out\s+of\s+10\b/gi,
  /(?:满分\s*10\s*分?|10\s*分制|1\s*(?:-|到|至)\s*10\s*分?)/g,
];

/**
 * Words that may stand between a label and its score ("Assistant 1 receives a score of 8",
 * "助手1的得分为8"); anything else ("made", "lists", "犯了") means the number is about something else.
 */
const FILLER = new Set(
  ('is was gets got get receives received receive deserves deserve earns earned earn scores scored score rating rated ' +
    'rate would give given a an the of with overall final total at its my i').split(' '),
);
/** The filler words that announce a score, so "made 2 errors and scores 6" still finds the 6. */
const SCORE_WORDS = new Set('scores scored score rating rated gets got receives received deserves earns 得分 分数 评分 打分 为 是 给'.split(' '));
const CJK_FILLER = ['得分', '分数', '评分', '打分', '获得', '可得', '为', '是', '的', '给', '得', '分'];

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 3)}...`;
}

function fail(reason: string): JudgeScoresResult {
  return { ok: false, reason: truncate(reason, MAX_REASON_LENGTH) };
}

function quote(line: string): string {
  return `'${truncate(line, MAX_QUOTE_LENGTH)}'`;
}

/** Drops markdown emphasis, headings, quotes and code fences, which carry no numbers. */
function stripMarkdown(line: string): string {
  return line
    .replace(/[*_`~]/g, ' ')
    .replace(/^\s*(?:#+|>+)\s*/, '')
    .replace(/\s+/g, ' ')
    .trim();
}

interface NumberAt {
  value: number;
  start: number;
  end: number;
}

/** Numbers in a text (labels and scales already blanked), with where they stand. */
function numbersIn(text: string): NumberAt[] {
  const numbers: NumberAt[] = [];
  for (const m of text.matchAll(/-?\d+(?:\.\d+)?/g)) {
    const before = m.index > 0 ? (text[m.index - 1] ?? '') : '';
    // A leading '-' is a minus sign only after a space or bracket: in "8-7" it separates two scores.
    const signed = m[0].startsWith('-') && !/[\p{L}\p{N}]/u.test(before);
    const magnitude = Number(m[0].replace(/^-/, ''));
    const start = signed || !m[0].startsWith('-') ? m.index : m.index + 1;
    numbers.push({ value: signed ? -magnitude : magnitude, start, end: m.index + m[0].length });
  }
  return numbers;
}

/** Replaces matches by spaces of the same length, so positions stay where they were. */
function blank(text: string, patterns: readonly RegExp[]): string {
  let out = text;
  for (const re of patterns) out = out.replace(re, (m) => ' '.repeat(m.length));
  return out;
}

interface LabelAt {
  which: 1 | 2;
  start: number;
  end: number;
}

function labelsIn(text: string): LabelAt[] {
  const labels: LabelAt[] = [];
  for (const m of text.matchAll(LABEL)) {
    const name = (m[1] ?? m[2] ?? m[3] ?? m[4] ?? m[5] ?? '').toLowerCase();
    const which = ['1', 'one', 'first', '一'].includes(name) ? 1 : 2;
    labels.push({ which, start: m.index, end: m.index + m[0].length });
  }
  return labels;
}

/**
 * Whether the text between a label and a number says the number is the label's score: only filler
 * words ("Assistant 1 receives a score of 8"), or a score word last ("... and scores 6"). After
 * another number, only a score word will do: in "lists 2 of the 5 steps" the 5 is no score.
 */
function announcesScore(gap: string, afterNumber: boolean): boolean {
  let spaced = gap.toLowerCase();
  for (const term of CJK_FILLER) spaced = spaced.split(term).join(` ${term} `);
  const words = spaced.split(/[^\p{L}\p{N}]+/u).filter((w) => w !== '');
  for (let i = words.length - 1; i >= 0; i--) {
    const word = words[i] ?? '';
    if (SCORE_WORDS.has(word)) return true;
    if (!FILLER.has(word) && !CJK_FILLER.includes(word)) return false;
  }
  return !afterNumber;
}

/** Each label's score in a line, or why there is none; numbers before the first label are returned apart. */
function labelledScores(text: string, labels: readonly LabelAt[]): { scores: Map<1 | 2, number[]>; unlabelled: number[] } {
  const numbers = numbersIn(text);
  const scores = new Map<1 | 2, number[]>();
  const firstLabel = labels[0]?.start ?? text.length;
  const unlabelled = numbers.filter((n) => n.end <= firstLabel).map((n) => n.value);
  labels.forEach((label, k) => {
    const segmentEnd = labels[k + 1]?.start ?? text.length;
    let from = label.end;
    for (const n of numbers) {
      if (n.start < label.end || n.end > segmentEnd) continue;
      if (announcesScore(text.slice(from, n.start), from !== label.end)) scores.set(label.which, [...(scores.get(label.which) ?? []), n.value]);
      from = n.end;
    }
    if (!scores.has(label.which)) scores.set(label.which, []);
  });
  return { scores, unlabelled };
}

function pairOrReason(scores: readonly number[], line: string): JudgeScoresResult {
  for (const s of scores) {
    if (!(s >= 0 && s <= 10)) return fail(`score out of range 0..10 (${s}) in ${quote(line)}`);
  }
  const [a = 0, b = 0] = scores;
  return { ok: true, scores: [a, b] };
}

function isHeading(raw: string, clean: string): boolean {
  const marked = /^\s*#/.test(raw) || /^\s*\*\*[^*]+\*\*\s*$/.test(raw) || clean.endsWith(':');
  return marked && !/\d/.test(clean) && clean.length <= MAX_HEADING_LENGTH && !REFUSAL.test(clean);
}

/** The one score a label got across a line (or two), or why it cannot be told. */
function scoreOf(which: 1 | 2, found: Map<1 | 2, number[]>, where: string): number | string {
  const values = [...new Set(found.get(which) ?? [])];
  if (values.length === 1) return values[0] as number;
  if (values.length === 0) return `ambiguous: no score stands beside Assistant ${which} in ${quote(where)}`;
  return `ambiguous: Assistant ${which} has ${values.length} scores (${values.join(', ')}) in ${quote(where)}`;
}

/** A score line that names the assistants: every label's score, taking the other one from the next line if needed. */
function parseLabelled(line: string, next: string | undefined): JudgeScoresResult {
  const cleanLine = blank(line, NOT_SCORES);
  const labels = labelsIn(cleanLine);
  const { scores, unlabelled } = labelledScores(cleanLine, labels);
  // Lion's format with an explanation that names an assistant: "8 7 - Assistant 2 misses edge cases."
  if (unlabelled.length === 2) return pairOrReason(unlabelled, line);
  let where = line;
  const missing = ([1, 2] as const).filter((w) => !scores.has(w));
  if (missing.length === 1 && next !== undefined && !REFUSAL.test(next)) {
    const cleanNext = blank(next, NOT_SCORES);
    const nextLabels = labelsIn(cleanNext);
    if (nextLabels.length > 0) {
      const more = labelledScores(cleanNext, nextLabels).scores;
      for (const [which, values] of more) scores.set(which, [...(scores.get(which) ?? []), ...values]);
      where = `${line} / ${next}`;
    } else {
      const nextNumbers = numbersIn(cleanNext);
      const short = line.length <= MAX_SPLIT_LINE_LENGTH && next.length <= MAX_SPLIT_LINE_LENGTH;
      // "Assistant 1: 8" then a bare "7": the unnamed line can only be the other assistant's.
      if (missing[0] === 2 && short && nextNumbers.length === 1) scores.set(2, [nextNumbers[0]?.value ?? NaN]);
    }
  }
  const first = scoreOf(1, scores, where);
  const second = scoreOf(2, scores, where);
  if (typeof first === 'string') return fail(first);
  if (typeof second === 'string') return fail(second);
  return pairOrReason([first, second], where);
}

export function parseJudgeScores(reply: string): JudgeScoresResult {
  const text = reply.normalize('NFKC');
  const json = readJudgeJson(text);
  if (json !== null) return json;

  const raw = text.split(/\r?\n/).filter((l) => stripMarkdown(l) !== '');
  const lines = raw.map(stripMarkdown);
  if (lines.length === 0) return fail('empty reply');

  let idx = 0;
  while (idx < MAX_HEADINGS && idx + 1 < lines.length && isHeading(raw[idx] ?? '', lines[idx] ?? '')) idx++;
  const line = lines[idx] ?? '';
  const next = lines[idx + 1];
  if (REFUSAL.test(line)) return fail(`reply looks like a refusal: ${quote(line)}`);

  const withoutBoth = blank(line, [BOTH_LABELS]);
  const numbers = numbersIn(blank(blank(withoutBoth, [LABEL]), NOT_SCORES)).map((n) => n.value);
  if (numbers.length === 0) return fail(`no scores found in first line: ${quote(line)}`);
  if (labelsIn(withoutBoth).length > 0) return parseLabelled(withoutBoth, next);

  if (numbers.length === 2) return pairOrReason(numbers, line);
  if (numbers.length > 2) return fail(`expected 2 scores in first line, found ${numbers.length}: ${quote(line)}`);

  // One number: the judge may have put each assistant's score on its own short line ("Score: 8" / "Score: 7").
  if (next !== undefined && !REFUSAL.test(next) && labelsIn(next).length === 0) {
    const second = numbersIn(blank(next, NOT_SCORES)).map((n) => n.value);
    const short = line.length <= MAX_SPLIT_LINE_LENGTH && next.length <= MAX_SPLIT_LINE_LENGTH;
    if (second.length === 1 && short) return pairOrReason([numbers[0] ?? 0, second[0] ?? 0], `${line} / ${next}`);
  }
  return fail(`expected 2 scores in first line, found 1: ${quote(line)}`);
}
