/**
 * The exit codes of `tapir run`, `resume` and `round next`, and what they print beside them.
 * A script that fine-tunes on the export must be able to trust a 0.
 */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
export const EXIT_PAUSED = 3;
export const EXIT_TOO_MANY_FAILED = 4;

/** For `--help` and the README. */
export const EXIT_CODES_HELP = [
  'Exit codes:',
  '  0  the round completed with at least one planned row and failed items within limits.maxFailedShare',
  '  1  an error (an unreachable endpoint at preflight, a round that planned no rows, a failed or cancelled campaign)',
  '  2  usage, config or input error',
  '  3  the campaign is paused (budget reached, or an endpoint down or refusing its key); the reason is printed',
  '  4  the round completed but more items failed than limits.maxFailedShare allows; the top reasons are printed',
].join('\n');

export interface RunOutcomeFacts {
  campaignId: string;
  status: string;
  /** The campaign's message: why it paused or failed. */
  message: string | null;
  round: number;
  /** Plan rows of the current round. */
  plannedRows: number;
  items: { total: number; failed: number };
  /** Failure reasons with counts, most frequent first. */
  failures: readonly { step: string; reason: string; count: number }[];
  maxFailedShare: number;
}

export interface RunOutcome {
  exitCode: number;
  /** What to print on stderr, one line each; empty for a clean success. */
  lines: string[];
}

const TOP_REASONS = 5;

function percent(share: number): string {
  return `${(share * 100).toFixed(share < 0.1 ? 1 : 0)}%`;
}

/**
 * Reasons that differ only in their details ("requested 1037 tokens", "1042 tokens") are one
 * cause: grouped by step and the error kind before the first ':', with the first text as example.
 */
export function groupReasons(failures: RunOutcomeFacts['failures']): { step: string; kind: string; count: number; example: string }[] {
  const groups = new Map<string, { step: string; kind: string; count: number; example: string }>();
  for (const f of failures) {
    const kind = f.reason.split(':', 1)[0]!.trim();
    const key = `${f.step}\u0000${kind}`;
    const group = groups.get(key);
    if (group) group.count += f.count;
    else groups.set(key, { step: f.step, kind, count: f.count, example: f.reason });
  }
  return [...groups.values()].sort((a, b) => b.count - a.count || a.step.localeCompare(b.step) || a.kind.localeCompare(b.kind));
}

const EXAMPLE_CHARS = 160;

function topReasons(failures: RunOutcomeFacts['failures']): string[] {
  const groups = groupReasons(failures);
  const lines = groups.slice(0, TOP_REASONS).map((g) => {
    const example = g.example.length > EXAMPLE_CHARS ? `${g.example.slice(0, EXAMPLE_CHARS - 1)}…` : g.example;
    return `  ${String(g.count).padStart(6)}  ${g.step}: ${example}`;
  });
  if (groups.length > TOP_REASONS) lines.push(`  (${groups.length - TOP_REASONS} more reason(s) in \`tapir status\`)`);
  return lines;
}

/**
 * Decides the exit code from the campaign's state when the command stops watching it. A paused
 * campaign is keyed on its status, whatever paused it (the message says what). A completed round
 * is a success only if it planned rows and lost no more than the allowed share of its items: a
 * round whose every item failed is "completed" with nothing in it, which no script may take for
 * a success.
 */
export function runOutcome(f: RunOutcomeFacts): RunOutcome {
  const id = f.campaignId;
  if (f.status === 'paused') {
    return {
      exitCode: EXIT_PAUSED,
      lines: [`campaign ${id} paused: ${f.message ?? '(no reason recorded)'}`, `continue it with \`tapir resume ${id}\` once the cause is fixed`],
    };
  }
  if (f.status !== 'completed') {
    return { exitCode: EXIT_FAILURE, lines: [`campaign ${id} is ${f.status}${f.message ? `: ${f.message}` : ''}`] };
  }
  const share = f.items.total > 0 ? f.items.failed / f.items.total : 0;
  const failedWords = `${f.items.failed} of ${f.items.total} items failed (${percent(share)})`;
  if (f.plannedRows === 0) {
    const why =
      f.items.failed > 0
        ? `${failedWords}; the most frequent reasons:`
        : 'no item was selected (see `tapir status` for the selection and the MFD histogram)';
    return {
      exitCode: EXIT_FAILURE,
      lines: [
        `campaign ${id} round ${f.round} completed with no rows planned: ${why}`,
        ...(f.items.failed > 0 ? topReasons(f.failures) : []),
        ...(f.items.failed > 0 ? [`fix the cause, then \`tapir retry-failed ${id}\` and \`tapir run ${id}\``] : []),
      ],
    };
  }
  if (share > f.maxFailedShare) {
    return {
      exitCode: EXIT_TOO_MANY_FAILED,
      lines: [
        `campaign ${id} round ${f.round} completed, but ${failedWords}, more than limits.maxFailedShare (${percent(f.maxFailedShare)}); the most frequent reasons:`,
        ...topReasons(f.failures),
        `\`tapir retry-failed ${id}\` queues them again once the cause is fixed`,
      ],
    };
  }
  return { exitCode: EXIT_OK, lines: [] };
}
