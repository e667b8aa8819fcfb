import { campaignRoleTargets, preflightEndpoints, workingCampaignTargets, type Pipeline, type RoleTarget, type StudentOverride } from '@tapir/pipeline';
import type { ModelRoleConfig } from '@tapir/core';
import { CliFailure } from './cli-errors';
import { assertApiKeysPresent } from './config-file';

/** The refusal: one line per role whose endpoint did not answer, and how to go on. */
function refuse(failures: readonly string[], retry: string): never {
  throw new CliFailure(
    [
      `preflight: ${failures.length === 1 ? 'an endpoint does' : 'endpoints do'} not answer as the campaign needs; nothing was started or changed:`,
      ...failures.map((line) => `  ${line}`),
      `fix the endpoint or the config, then ${retry} (--no-preflight skips this check)`,
    ].join('\n'),
  );
}

async function check(targets: readonly RoleTarget[], retry: string): Promise<void> {
  const report = await preflightEndpoints(targets);
  if (report.failures.length > 0) refuse(report.failures, retry);
}

/**
 * Before `run`, `resume` or `round next` changes anything: one cheap request to each distinct
 * endpoint of the campaign's roles (the student of `round next` is the one being registered).
 * A campaign that does not exist is left to the command, which says so in its own words.
 */
export async function assertEndpointsAnswer(pipeline: Pipeline, campaignId: string, opts: { student?: StudentOverride; retry?: string } = {}): Promise<void> {
  const targets = await campaignRoleTargets(pipeline.services.db, campaignId, opts.student);
  if (!targets) return;
  // An unset key variable is a usage error (exit 2) naming the field, before any request.
  const models = Object.fromEntries(targets.map((t) => [t.role, t.settings])) as Record<RoleTarget['role'], ModelRoleConfig>;
  assertApiKeysPresent({ models });
  await check(targets, opts.retry ?? `\`tapir run ${campaignId}\` again`);
}

/** Before `tapir worker` takes jobs: the endpoints of every campaign it would work on now. */
export async function assertWorkingEndpointsAnswer(pipeline: Pipeline): Promise<number> {
  const targets = await workingCampaignTargets(pipeline.services.db);
  await check(targets, 'start the worker again');
  return new Set(targets.map((t) => t.campaignId)).size;
}
