import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { exampleConfigYaml, parseCampaignConfig } from '@tapir/core';
import { startSimulator } from '@tapir/llm-sim';
import { campaignStatus, createCampaign, exportCampaign } from '@tapir/pipeline';
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

export async function demoCommand(opts: { out: string; latencyMs: number }): Promise<void> {
  const outDir = resolve(opts.out);
  await mkdir(outDir, { recursive: true });
  const sim = await startDemoSimulator(opts.latencyMs);
  // The simulator accepts any key; a real campaign names its own variables in the config.
  process.env.TAPIR_SIM_KEY ??= 'sim-demo-key';
  try {
    const configPath = resolve(outDir, 'campaign.yaml');
    const configText = exampleConfigYaml({ simulatorURL: sim.url }).replace(/^name: .*$/m, 'name: tapir-demo');
    await writeFile(configPath, configText);
    const config = parseCampaignConfig(configText, configPath);
    const say = (text: string) => process.stdout.write(text + '\n');
    say(`tapir demo: simulator at ${sim.url}, config ${configPath}`);

    await withPipeline('warn', async (pipeline) => {
      const samplePath = bundledSamplePath();
      const { campaignId, summary } = await createCampaign(pipeline.services.db, { config, dataFile: samplePath });
      say(formatImportSummary(summary));
      say(`campaign ${campaignId}\n`);
      const status = await driveCampaign(pipeline, campaignId, { workers: true, concurrency: 64 });
      const report = await campaignStatus(pipeline.services.db, campaignId);
      if (report) say('\n' + formatStatus(report));
      if (status !== 'completed') throw new CliFailure(`demo campaign ended ${status}; see \`tapir status ${campaignId}\``);
      const { manifest, files } = await exportCampaign(pipeline.services.db, { campaignId, outDir, format: 'alpaca' });
      say(`\nexported ${manifest.totalRows} rows in ${manifest.stages.length} stages (easy to hard):`);
      for (const f of files) say(`  ${f}`);
      say(`\nnext: tapir status ${campaignId}   |   tapir export ${campaignId} --out DIR --format sharegpt`);
    });
  } finally {
    await sim.close();
  }
}
