import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { CONFIG_PRESETS, exampleConfigYaml, type ConfigPreset } from '@tapir/core';
import { UsageError } from '../cli-errors';

export async function initCommand(file: string, opts: { force?: boolean; simUrl: string; preset: string }): Promise<void> {
  if (!(CONFIG_PRESETS as readonly string[]).includes(opts.preset)) {
    throw new UsageError(`--preset must be one of ${CONFIG_PRESETS.join(', ')}, got "${opts.preset}"`);
  }
  if (existsSync(file) && !opts.force) throw new UsageError(`${file} already exists (use --force to overwrite)`);
  await writeFile(file, exampleConfigYaml({ simulatorURL: opts.simUrl, preset: opts.preset as ConfigPreset }));
  process.stdout.write(
    `wrote ${file}\n` +
      `next: start the simulator (tapir sim), export TAPIR_SIM_KEY=anything, then\n` +
      `  tapir campaign create --config ${file} --data samples/seed-pool.jsonl\n`,
  );
}
