
/** Wrong arguments or config: exit code 2. */
export class UsageError extends Error {
  readonly exitCode = 2;
}

/** A known failure with a message for the user and no stack trace: exit code 1. */
export class CliFailure extends Error {
  readonly exitCode = 1;
}

/** The campaign is paused (budget, an endpoint down or refusing its key): exit code 3, as when a run ends paused. */
export class CampaignPausedFailure extends Error {
  readonly exitCode = 3;
}

/** Maps an error onto what the user sees and the exit code; stack traces only with TAPIR_DEBUG=1. */
export function reportError(err: unknown): number {
  const debug = process.env.TAPIR_DEBUG === '1';
  const print = (text: string) => process.stderr.write(`tapir: ${text}\n`);
  if (err instanceof UsageError || err instanceof CliFailure || err instanceof CampaignPausedFailure) {
    print(err.message);
    return err.exitCode;
  }
  // Loaded here, when there is an error to classify, so that importing this file (every command
  // does) does not load every package (see lazy-action.ts).
  const { CleanInputError } = require('@tapir/clean') as typeof import('@tapir/clean');
  const { ConfigError } = require('@tapir/core') as typeof import('@tapir/core');
  const { ServiceUnavailableError } = require('@tapir/db') as typeof import('@tapir/db');
  const { PoolFileError } = require('@tapir/formats') as typeof import('@tapir/formats');
  const { LlmError } = require('@tapir/llm') as typeof import('@tapir/llm');
  const { ExportNotReadyError, ExportOptionError, ImportRejectedError } = require('@tapir/pipeline') as typeof import('@tapir/pipeline');
  if (err instanceof ConfigError || err instanceof ImportRejectedError || err instanceof PoolFileError || err instanceof ExportOptionError || err instanceof CleanInputError) {
    print(err.message);
    return 2;
  }
  if (err instanceof LlmError && err.kind === 'missing_api_key') {
    print(err.message);
    return 2;
  }
  if (err instanceof ServiceUnavailableError || err instanceof ExportNotReadyError) {
    print(err.message);
    return 1;
  }
  print(err instanceof Error ? (debug ? (err.stack ?? err.message) : err.message) : String(err));
  if (!debug) process.stderr.write('(set TAPIR_DEBUG=1 for a stack trace)\n');
  return 1;
}
