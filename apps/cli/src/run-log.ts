import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRoutedLogger, type Logger } from '@tapir/pipeline';
import { WarningTally } from './warning-tally';

/**
 * Where a run's log goes by default: `$XDG_STATE_HOME/tapir/` when the user keeps a state
 * directory, else the OS temp directory; one file per run, named by campaign, time and process
 * so that two runs of one campaign never share a file.
 */
export function defaultLogFile(campaignId: string, now: Date, env: NodeJS.ProcessEnv = process.env, pid = process.pid): string {
  const dir = env.XDG_STATE_HOME?.trim() ? join(env.XDG_STATE_HOME, 'tapir') : join(tmpdir(), 'tapir');
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return join(dir, `run-${campaignId}-${stamp}-${pid}.log`);
}

export interface RunLog {
  logger: Logger;
  /** The JSON-lines file, when there is one (always while the live view owns a terminal). */
  file: string | undefined;
  /** Counts of the warnings, for the live view; only while it owns a terminal. */
  tally: WarningTally | undefined;
}

/**
 * The log of `run`, `resume` and `round next`. With a terminal, the progress bars own it: log
 * lines go to a file, and warnings are also counted for the view to summarise. Without one (CI,
 * pipes), JSON lines go to stderr as ever, and to `--log-file` too when it is given.
 */
export function openRunLog(campaignId: string, opts: { logFile?: string | undefined; tty: boolean; level?: string }): RunLog {
  const level = opts.level ?? 'warn';
  if (opts.tty) {
    const file = opts.logFile ?? defaultLogFile(campaignId, new Date());
    const tally = new WarningTally();
    return { logger: createRoutedLogger(level, { file, stderr: false, warnings: tally }), file, tally };
  }
  return { logger: createRoutedLogger(level, { file: opts.logFile, stderr: true }), file: opts.logFile, tally: undefined };
}
