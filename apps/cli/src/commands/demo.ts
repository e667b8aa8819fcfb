import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { exampleConfigYaml, parseCampaignConfig } from '@tapir/core';
import { BUILT_IN_PROFILES, fineTunedProfile, startSimulator, type ModelProfile } from '@tapir/llm-sim';
import { campaignStatus, createCampaign, exportCampaign, startNextRound, type Pipeline } from '@tapir/pipeline';
import { CliFailure } from '../cli-errors';
import { withPipeline } from '../database';
import { formatImportSummary } from '../format-import-summary';
import { formatStatus } from '../format-status';
import { driveCampaign } from './run';

/** The bundled sample, found from the compiled CLI (apps/cli/dist) or the working directory. */
export function bundledSamplePath(): string {
  const candidates = [resolve(__dirname, '../../../../samples/seed-pool.jsonl'), resolve(process.cwd(), 'samples/seed-pool.jsonl')];
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new CliFailure(`bundled sample not found (looked in ${candidates.join(', ')})`);
  return found;
}

/** Prefer the documented port; fall back to a free one when something already listens there. */
async function startDemoSimulator(latencyMs: number) {
  const options = { latencyMs, jitterMs: Math.round(latencyMs / 2) };
  try {
    return await startSimulator({ ...options, port: 8787 });
  } catch (err) {
    if ((err as { code?: string }).code !== 'EADDRINUSE') throw err;
    return startSimulator({ ...options, port: 0 });
  }
}

export async function demoCommand(opts: { out: string; latencyMs: number; rounds?: number }): Promise<void> {
  const outDir = resolve(opts.out);
  await mkdir(outDir, { recursive: true });
  const sim = await startDemoSimulator(opts.latencyMs);
  // The simulator accepts any key; a real campaign names its own variables in the config.
  process.env.TAPIR_SIM_KEY ??= 'sim-demo-key';
  try {
    const configPath = resolve(outDir, 'campaign.yaml');
    // The demo shows TAPIR's whole loop: the tapir preset turns expansion on and grows the rounds.
    const configText = exampleConfigYaml({ simulatorURL: sim.url, preset: 'tapir' }).replace(/^name: .*$/m, 'name: tapir-demo');
    await writeFile(configPath, configText);
    const config = parseCampaignConfig(configText, configPath);
    const say = (text: string) => process.stdout.write(text + '\n');
    say(`tapir demo: simulator at ${sim.url}, config ${configPath}`);

    await withPipeline('warn', async (pipeline) => {
      const samplePath = bundledSamplePath();
      // A second source, as users' pools come from several: a few rows of the kind the clean step
      // removes (benchmark copies, near-duplicates, junk), so the demo's status shows drops by reason.
      const sources = [
        { name: 'seed-pool', file: samplePath },
        { name: 'demo-extras', file: join(dirname(samplePath), 'demo-extras.jsonl') },
      ];
      const { campaignId, summary } = await createCampaign(pipeline.services.db, { config, sources });
      say(formatImportSummary(summary));
      say(`campaign ${campaignId}\n`);
      const rounds = Math.min(opts.rounds ?? config.rounds.count, config.rounds.count);
      let student: ModelProfile = BUILT_IN_PROFILES['sim-student']!;
      for (let round = 1; round <= rounds; round++) {
        if (round > 1) {
          // What a user does between rounds: fine-tune on the export, serve the checkpoint,
          // register it. The simulator's checkpoint is the previous student, better at what it was taught.
          const model = `sim-student-r${round}`;
          sim.configure({ models: { [model]: student } });
          await startNextRound(pipeline.services, campaignId, { studentModel: model });
          say(`\nround ${round}: student ${model} (the simulated fine-tune of round ${round - 1}'s export)`);
        }
        const taught = await runAndExportRound(pipeline, campaignId, round, rounds > 1 ? resolve(outDir, `round-${round}`) : outDir, say);
        student = fineTunedProfile(student, taught);
      }
      const report = await campaignStatus(pipeline.services.db, campaignId);
      if (report) say('\n' + formatStatus(report));
      say(`\nnext: tapir status ${campaignId}   |   tapir export ${campaignId} --round N --out DIR --format sharegpt`);
    });
  } finally {
    await sim.close();
  }
}

/** Runs one round to completion and exports it; returns the categories its export teaches. */
async function runAndExportRound(
  pipeline: Pipeline,
  campaignId: string,
  round: number,
  outDir: string,
  say: (text: string) => void,
): Promise<Set<string>> {
  const status = await driveCampaign(pipeline, campaignId, { workers: true, concurrency: 64 });
  if (status !== 'completed') throw new CliFailure(`demo campaign ended ${status} in round ${round}; see \`tapir status ${campaignId}\``);
  const { manifest, files } = await exportCampaign(pipeline.services.db, { campaignId, outDir, format: 'alpaca', round });
  const r = manifest.rounds[manifest.rounds.length - 1];
  say(
    `round ${round}: ${manifest.totalRows} rows in ${manifest.stages.length} stages (easy to hard); hard share: target ${r?.hardShareTarget ?? '-'}, ` +
      `exported ${r?.exportedHardShare ?? '-'}, pool ${r?.poolHardShare ?? '-'}`,
  );
  const limits = r?.limitedBy ?? [];
  for (const line of limits.slice(0, 6)) say(`  limited by ${line}`);
  if (limits.length > 6) say(`  ... and ${limits.length - 6} more (manifest.json, rounds[].limitedBy)`);
  for (const f of files) say(`  ${f}`);
  return new Set(manifest.stages.flatMap((s) => Object.keys(s.perCategory)));
}
