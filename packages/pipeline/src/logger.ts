import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs on stderr. The level comes from TAPIR_LOG_LEVEL; `tapir run` defaults to
 * warn so that the progress bars stay readable. Keys are never passed to the logger: requests
 * are logged by model and call id only.
 */
export function createLogger(defaultLevel = 'info', name = 'tapir'): Logger {
  return pino(
    {
      name,
      level: process.env.TAPIR_LOG_LEVEL ?? defaultLevel,
      redact: { paths: ['apiKey', '*.apiKey', 'headers.authorization', '*.headers.authorization'], remove: true },
    },
    pino.destination({ dest: 2, sync: false }),
  );
}

export const silentLogger: Logger = pino({ level: 'silent' });
