import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { exampleConfigYaml } from '@tapir/core';
import { UsageError } from '../cli-errors';

export async function initCommand(file: string, opts: { force?: boolean; simUrl: string }): Promise<void> {
  if (existsSync(file) && !opts.force) throw new UsageError(`${file} already exists (use --force to overwrite)`);
  await writeFile(file, exampleConfigYaml({ simulatorURL: opts.simUrl }));
  process.stdout.write(
    `wrote ${file}\n` +
      `next: start the simulator (tapir sim), export TAPIR_SIM_KEY=anything, then\n` +
      `  tapir campaign create --config ${file} --data samples/seed-pool.jsonl\n`,
  );
}
