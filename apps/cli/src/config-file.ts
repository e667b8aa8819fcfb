import { readFile, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parseCampaignConfig, withConfigPathsFrom, type CampaignConfig, type ModelRole } from '@tapir/core';
import { resolveApiKey } from '@tapir/llm';
import { UsageError } from './cli-errors';

/** A real config is a few KB; anything this large is not one, and is not read into memory. */
const MAX_CONFIG_BYTES = 1024 * 1024;

export async function loadConfigFile(path: string): Promise<CampaignConfig> {
  let text: string;
  try {
    const { size } = await stat(path);
    if (size > MAX_CONFIG_BYTES) {
      throw new UsageError(`config ${path} is ${size} bytes, more than the ${MAX_CONFIG_BYTES / 1024} KiB a campaign config may be; is it the right file?`);
    }
    text = await readFile(path, 'utf8');
  } catch (err) {
    if (err instanceof UsageError) throw err;
    const code = (err as { code?: string }).code;
    throw new UsageError(`cannot read config ${path}: ${code === 'ENOENT' ? 'no such file (create one with `tapir init`)' : (err as Error).message}`);
  }
  // Files the config names are read from its own folder, whichever folder a worker runs in.
  return withConfigPathsFrom(parseCampaignConfig(text, path), dirname(path));
}

const ROLES: ModelRole[] = ['teacher', 'student', 'judge'];

/** Fails before any work starts if a model's key variable is missing, naming the config field. */
export function assertApiKeysPresent(config: Pick<CampaignConfig, 'models'>, env: NodeJS.ProcessEnv = process.env): void {
  const problems: string[] = [];
  for (const role of ROLES) {
    try {
      resolveApiKey(config.models[role], env);
    } catch (err) {
      problems.push(`models.${role}.apiKeyEnv: ${(err as Error).message}`);
    }
  }
  if (problems.length > 0) throw new UsageError(problems.join('\n'));
}
