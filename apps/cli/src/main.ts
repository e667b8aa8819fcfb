import { CommanderError } from 'commander';
import { reportError } from './cli-errors';
import { buildProgram } from './program';

/** Exit codes: 0 ok, 1 failure, 2 usage or config error; run/resume/round next add 3 and 4 (run-outcome.ts). */
export async function main(argv: readonly string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv]);
    if (process.exitCode === undefined) process.exitCode = 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      process.exitCode = err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.exitCode === 0 ? 0 : 2;
      return;
    }
    process.exitCode = reportError(err);
  }
}
