/**
 * Reads the two scores from a pairwise judge reply. Lion's parser only accepts "8 7" or "8, 7"
 * on the first line; real judges also write labels, "/10", markdown and MT-bench style "[[8]]".
 * Anything doubtful is rejected with a reason, so the caller can re-ask rather than store noise.
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
  /\b(?:I'm sorry|I am sorry|I apologi[sz]e|I cannot|I can't|I can not|I'm unable|I am unable|I won't|I will not|as an AI)\b/i;

/** "Assistant 1", "answer_2", "Response #1", "Assistant One", "Score 1:": labels, not scores. */
const LABELS = [
  /\b(?:assistant|answer|response|model)s?\s*(?:1|one)\s*(?:and|&|,)\s*(?:2|two)(?![\d.])/gi,
  /\b(?:assistant|answer|response|model)s?\s*[_#-]?\s*(?:1|2|one|two)(?![\d.])/gi,
  /\bscore\s*#?\s*[12]\s*[:=]/gi,
];
const LABEL_ONE = /\b(?:assistant|answer|response|model)\s*[_#-]?\s*(?:1|one)(?![\d.])/i;
const LABEL_TWO = /\b(?:assistant|answer|response|model)\s*[_#-]?\s*(?:2|two)(?![\d.])/i;

/** The scale and the denominators are numbers the judge wrote that are not scores. */
const NOT_SCORES = [
  /\b(?:on\s+)?(?:a\s+)?scale\s+(?:of\s+|from\s+)?[01]\s*(?:-|–|to)\s*10\b/gi,
  /\bfrom\s+[01]\s+to\s+10\b/gi,
  /\s*\/\s*10(?![\d.])/g,
  /\s*out\s+of\s+10\b/gi,
];

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

function extractNumbers(line: string): number[] {
  let text = line;
  for (const re of [...LABELS, ...NOT_SCORES]) text = text.replace(re, ' ');
  const numbers: number[] = [];
  for (const m of text.matchAll(/-?\d+(?:\.\d+)?/g)) {
    const before = m.index > 0 ? (text[m.index - 1] ?? '') : '';
    // A leading '-' is a minus sign only after a space or bracket: in "8-7" it separates two scores.
    const signed = m[0].startsWith('-') && !/[\p{L}\p{N}]/u.test(before);
    const magnitude = Number(m[0].replace(/^-/, ''));
    numbers.push(signed ? -magnitude : magnitude);
  }
  return numbers;
}

function pairOrReason(scores: number[], line: string): JudgeScoresResult {
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

export function parseJudgeScores(reply: string): JudgeScoresResult {
  const raw = reply.split(/\r?\n/).filter((l) => stripMarkdown(l) !== '');
  const lines = raw.map(stripMarkdown);
  if (lines.length === 0) return fail('empty reply');

  let idx = 0;
  while (idx < MAX_HEADINGS && idx + 1 < lines.length && isHeading(raw[idx] ?? '', lines[idx] ?? '')) idx++;
  const line = lines[idx] ?? '';
  if (REFUSAL.test(line)) return fail(`reply looks like a refusal: ${quote(line)}`);

  const numbers = extractNumbers(line);
  if (numbers.length === 2) return pairOrReason(numbers, line);
  if (numbers.length === 0) return fail(`no scores found in first line: ${quote(line)}`);
  if (numbers.length > 2) return fail(`expected 2 scores in first line, found ${numbers.length}: ${quote(line)}`);

  // One number: the judge may have put each assistant's score on its own line.
  const next = lines[idx + 1];
  if (next !== undefined && !REFUSAL.test(next)) {
    const second = extractNumbers(next);
    const labelled = LABEL_ONE.test(line) && LABEL_TWO.test(next);
    const short = line.length <= MAX_SPLIT_LINE_LENGTH && next.length <= MAX_SPLIT_LINE_LENGTH;
    if (second.length === 1 && (labelled || short)) {
      return pairOrReason([numbers[0] ?? 0, second[0] ?? 0], `${line} / ${next}`);
    }
  }
  return fail(`expected 2 scores in first line, found 1: ${quote(line)}`);
}
