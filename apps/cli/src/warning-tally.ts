/** pino's numeric levels: 40 warn, 50 error, 60 fatal. */
const LEVEL_NAMES: Readonly<Record<number, string>> = { 40: 'warn', 50: 'error', 60: 'fatal' };

export interface TalliedEntry {
  time: number | undefined;
  level: string;
  /** What the tally counts by: the message, and the kind of error before the first ':' of its reason. */
  key: string;
  /** The whole entry in one line: message, then its fields. */
  text: string;
}

/** Fields that say where a warning came from and why, the why early so that a cut line keeps it; pid, hostname and time are the log file's business. */
const SHOWN_FIELDS = ['campaignId', 'step', 'itemId', 'reason', 'err', 'model', 'signal', 'status', 'attempt', 'jobId'];

function fieldText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * Reads one pino JSON line into what the terminal shows of it. The key keeps the error kind of a
 * reason ("connection: Connection error." counts as "job failed: connection"; "context_length
 * (HTTP 400): ... 1037 tokens" as "item failed: context_length (HTTP 400)") so that a thousand
 * items failing for one cause make one line, while two causes stay apart.
 */
export function tallyEntry(line: string): TalliedEntry | undefined {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (typeof entry !== 'object' || entry === null) return undefined;
  const msg = typeof entry.msg === 'string' ? entry.msg : '(no message)';
  const reason = typeof entry.reason === 'string' ? entry.reason : typeof entry.err === 'string' ? entry.err : undefined;
  // The kind is the reason up to its first ':' (as `tapir run` groups failure reasons), capped.
  const kind = reason === undefined ? undefined : reason.split(':', 1)[0]!.trim().slice(0, 60);
  const fields = SHOWN_FIELDS.filter((f) => entry[f] !== undefined).map((f) => `${f}=${fieldText(entry[f])}`);
  return {
    time: typeof entry.time === 'number' ? entry.time : undefined,
    level: LEVEL_NAMES[Number(entry.level)] ?? String(entry.level ?? 'warn'),
    key: kind === undefined ? msg : `${msg}: ${kind}`,
    text: [msg, ...fields].join(' '),
  };
}

/** Cuts a line to the terminal's width, marking the cut. */
export function fitWidth(text: string, width: number): string {
  const flat = text.replace(/\s*\n\s*/g, ' ');
  if (width < 2) return '';
  return flat.length <= width ? flat : `${flat.slice(0, width - 1)}…`;
}

/**
 * Counts the warnings of a run by key and keeps the last one, for the live view to show instead
 * of the lines themselves (which go to the log file). It is a pino destination: pino's
 * multistream calls write() with one serialized line per entry.
 */
export class WarningTally {
  private readonly counts = new Map<string, number>();
  private lastEntry: TalliedEntry | undefined;
  private entries = 0;

  write(line: string): boolean {
    for (const one of line.split('\n')) {
      if (one.trim() === '') continue;
      const entry = tallyEntry(one);
      if (!entry) continue;
      this.entries++;
      this.counts.set(entry.key, (this.counts.get(entry.key) ?? 0) + 1);
      this.lastEntry = entry;
    }
    return true;
  }

  get total(): number {
    return this.entries;
  }

  get last(): TalliedEntry | undefined {
    return this.lastEntry;
  }

  /** Keys with counts, most frequent first (ties by key, so the line does not flicker). */
  byKey(): { key: string; count: number }[] {
    return [...this.counts.entries()].map(([key, count]) => ({ key, count })).sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
  }

  /**
   * The two lines the live view shows under its bars: the counts by reason with the log file's
   * path, and the last warning in full; each cut to `width`.
   */
  lines(width: number, logFile: string | undefined): [string, string] {
    const where = logFile ? `log: ${logFile}` : '';
    if (this.entries === 0) return [fitWidth(` no warnings${where ? `; ${where}` : ''}`, width), ''];
    const counts = this.byKey().map(({ key, count }) => `${count} ${key}`);
    // The path is what the user needs to read the rest, so it comes before the counts that may be cut.
    const head = ` warnings ${this.entries}${where ? ` (${where})` : ''}: ${counts.join(', ')}`;
    const last = this.lastEntry!;
    const at = last.time === undefined ? '' : `${new Date(last.time).toISOString().slice(11, 19)} `;
    return [fitWidth(head, width), fitWidth(` last: ${at}${last.level} ${last.text}`, width)];
  }
}
