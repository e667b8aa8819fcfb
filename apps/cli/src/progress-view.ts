import { MultiBar, Presets, type SingleBar } from 'cli-progress';
import type { CampaignProgress } from '@tapir/pipeline';
import type { WarningTally } from './warning-tally';

/** Labels are at most 8 characters (the step registry checks), so the bars line up. */
const LABEL_WIDTH = 8;

interface RateTracker {
  samples: { at: number; done: number }[];
}

function formatEta(remaining: number, rate: number): string {
  if (remaining <= 0) return 'done';
  if (rate <= 0) return '--';
  const seconds = Math.round(remaining / rate);
  return seconds >= 60 ? `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s` : `${seconds}s`;
}

export interface ProgressViewOptions {
  /** Without a terminal, a plain progress line every this many ms. */
  plainIntervalMs?: number;
  /** The run's warnings, summarised under the bars (they go to the log file, not the screen). */
  warnings?: WarningTally | undefined;
  /** Shown under the bars, so that the user knows where the full log is. */
  logFile?: string | undefined;
}

/**
 * One bar per step: done/total, rate over the last ~10 s, ETA and failures; under them, in a
 * terminal, the warnings counted by reason, the last one in full and the log file's path, each
 * cut to the terminal's width (log lines printed into the bars would tear them). Without a
 * terminal (CI, logs) it prints one line per step every few seconds instead of redrawing.
 */
export class ProgressView {
  private readonly tty = Boolean(process.stderr.isTTY);
  private readonly multibar: MultiBar | undefined;
  private readonly bars = new Map<string, SingleBar>();
  private readonly rates = new Map<string, RateTracker>();
  private readonly plainIntervalMs: number;
  private notes: [SingleBar, SingleBar] | undefined;
  private lastPlainPrint = 0;

  constructor(private readonly options: ProgressViewOptions = {}) {
    this.plainIntervalMs = options.plainIntervalMs ?? 5000;
    if (this.tty) {
      this.multibar = new MultiBar(
        {
          format: ' {label} |{bar}| {value}/{total} {rate}/s ETA {eta_text} failed {failed}',
          hideCursor: true,
          clearOnComplete: false,
          stopOnComplete: false,
          etaBuffer: 50,
          barsize: 30,
        },
        Presets.shades_classic,
      );
    }
  }

  private rate(step: string, done: number, now: number): number {
    const tracker = this.rates.get(step) ?? { samples: [] };
    this.rates.set(step, tracker);
    tracker.samples.push({ at: now, done });
    while (tracker.samples.length > 2 && now - tracker.samples[0]!.at > 10_000) tracker.samples.shift();
    const first = tracker.samples[0]!;
    const seconds = (now - first.at) / 1000;
    return seconds > 0 ? (done - first.done) / seconds : 0;
  }

  update(progress: CampaignProgress): void {
    const now = Date.now();
    const lines: string[] = [];
    for (const step of progress.steps) {
      const rate = this.rate(step.step, step.done, now);
      const payload = {
        label: step.label.padEnd(LABEL_WIDTH),
        rate: rate.toFixed(1),
        eta_text: formatEta(step.total - step.done - step.failed, rate),
        failed: step.failed,
      };
      if (this.multibar) {
        let bar = this.bars.get(step.step);
        if (!bar) {
          bar = this.multibar.create(Math.max(step.total, 1), step.done, payload);
          this.bars.set(step.step, bar);
        }
        bar.setTotal(Math.max(step.total, 1));
        bar.update(step.done, payload);
      } else {
        lines.push(`${payload.label} ${step.done}/${step.total} ${payload.rate}/s ETA ${payload.eta_text} failed ${step.failed}`);
      }
    }
    if (this.multibar) this.updateNotes(this.multibar);
    if (!this.multibar && now - this.lastPlainPrint >= this.plainIntervalMs) {
      this.lastPlainPrint = now;
      process.stderr.write(`[${new Date(now).toISOString()}] ${progress.campaignId} ${progress.status}\n  ${lines.join('\n  ')}\n`);
    }
  }

  /** Two text lines below the bars; created after them so that they stay at the bottom. */
  private updateNotes(multibar: MultiBar): void {
    const { warnings, logFile } = this.options;
    if (!warnings && !logFile) return;
    const width = Math.max(20, (process.stderr.columns ?? 80) - 1);
    const [counts, last] = warnings ? warnings.lines(width, logFile) : [` log: ${logFile}`.slice(0, width), ''];
    if (!this.notes) {
      const text = { format: '{text}' };
      this.notes = [multibar.create(1, 0, { text: counts }, text), multibar.create(1, 0, { text: last }, text)];
    }
    this.notes[0].update(0, { text: counts });
    this.notes[1].update(0, { text: last });
  }

  stop(): void {
    this.multibar?.stop();
    const { warnings, logFile } = this.options;
    // The view is gone: say once, in plain words, where the warnings it summarised are.
    if (this.multibar && warnings && warnings.total > 0) {
      process.stderr.write(`${warnings.total} warning(s) during the run, ${warnings.byKey().length} kind(s); every line is in ${logFile ?? 'the log'}\n`);
    }
  }
}
