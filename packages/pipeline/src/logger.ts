import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs on stderr. The level comes from TAPIR_LOG_LEVEL; `tapir run` defaults to
 * warn so that the progress bars stay readable. Keys are never passed to the logger: requests
 * are logged by model and call id only. `destination` replaces stderr, e.g. with a pino
 * multistream to a log file while the live progress view owns the terminal.
 */
export function createLogger(defaultLevel = 'info', name = 'tapir', destination?: DestinationStream): Logger {
  return pino(
    {
      name,
      level: process.env.TAPIR_LOG_LEVEL ?? defaultLevel,
      redact: { paths: ['apiKey', '*.apiKey', 'headers.authorization', '*.headers.authorization'], remove: true },
    },
    destination ?? pino.destination({ dest: 2, sync: false }),
  );
}

export const silentLogger: Logger = pino({ level: 'silent' });

/** Where a command's log lines go, when not simply to stderr. */
export interface LogRouting {
  /** JSON lines appended to this file (its directory is created). */
  file?: string | undefined;
  /** JSON lines on stderr too. */
  stderr: boolean;
  /** Warnings and above also go here, one serialized line per write (the live view's summary). */
  warnings?: { write(line: string): unknown } | undefined;
}

/**
 * A logger that writes through pino's own multistream. The file is written synchronously: a run
 * logs little (warnings by default), and a line must not be lost when the process exits.
 */
export function createRoutedLogger(defaultLevel: string, routing: LogRouting, name = 'tapir'): Logger {
  const level = (process.env.TAPIR_LOG_LEVEL ?? defaultLevel) as pino.Level;
  if ((level as string) === 'silent') return createLogger(defaultLevel, name);
  const streams: pino.StreamEntry[] = [];
  if (routing.file) streams.push({ level, stream: pino.destination({ dest: routing.file, mkdir: true, sync: true }) });
  if (routing.stderr) streams.push({ level, stream: pino.destination({ dest: 2, sync: false }) });
  if (routing.warnings) streams.push({ level: 'warn', stream: routing.warnings as pino.DestinationStream });
  return createLogger(defaultLevel, name, pino.multistream(streams));
}
