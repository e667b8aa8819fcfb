/**
 * The simulator in its own process, so that its CPU is not charged to the process being
 * measured (tapir's worker or the baseline script). Options come as JSON in argv[2]; the URL is
 * printed as one JSON line; /sim/stats and /sim/config are used over HTTP.
 */
import { startSimulator, type SimulatorOptions } from '@tapir/llm-sim';

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '{}') as SimulatorOptions;
  const sim = await startSimulator({ port: 0, ...options });
  process.stdout.write(JSON.stringify({ url: sim.url }) + '\n');
  const stop = () => void sim.close().finally(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`sim-child: ${String(err)}\n`);
  process.exit(1);
});
