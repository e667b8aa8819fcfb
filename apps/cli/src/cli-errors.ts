import { CleanInputError } from '@tapir/clean';
import { ConfigError } from '@tapir/core';
import { ServiceUnavailableError } from '@tapir/db';
import { PoolFileError } from '@tapir/formats';
import { LlmError } from '@tapir/llm';
import { ExportNotReadyError, ExportOptionError, ImportRejectedError } from '@tapir/pipeline';

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
