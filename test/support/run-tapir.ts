import { execFile } from 'node:child_process';
import { resolve } from 'node:path';

export const TAPIR = resolve(__dirname, '../../apps/cli/bin/tapir.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built `tapir` command as a user would, with the given environment. */
export function runTapir(args: string[], env: NodeJS.ProcessEnv, timeout = 120_000): Promise<CliResult> {
  return new Promise((resolveRun) => {
    execFile(process.execPath, [TAPIR, ...args], { env, timeout, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      resolveRun({ code, stdout, stderr });
    });
  });
}
