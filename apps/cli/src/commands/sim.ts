import { startSimulator } from '@tapir/llm-sim';
import { UsageError } from '../cli-errors';

function parseRpm(entries: string[] | undefined): Record<string, { rpm: number }> {
  const limits: Record<string, { rpm: number }> = {};
  for (const entry of entries ?? []) {
    const match = /^(.+)=(\d+)$/.exec(entry);
    if (!match) throw new UsageError(`--rpm ${entry}: expected MODEL=N, e.g. --rpm sim-teacher=1200`);
    limits[match[1]!] = { rpm: Number(match[2]) };
  }
  return limits;
}

export async function simCommand(opts: {
  port: number;
  host: string;
  latencyMs: number;
  jitterMs: number;
  seed: number;
  rpm?: string[];
}): Promise<void> {
  const sim = await startSimulator({
    port: opts.port,
    host: opts.host,
    latencyMs: opts.latencyMs,
    jitterMs: opts.jitterMs,
    seed: opts.seed,
    rateLimits: parseRpm(opts.rpm),
  });
  process.stdout.write(`llm-sim listening on ${sim.url} (OpenAI: ${sim.url}/v1, Anthropic: ${sim.url}); Ctrl-C stops it\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await sim.close();
}
