/**
 * CLI: `node apps/llm-sim/dist/main.js --port 8787 --latency-ms 200 --rpm sim-teacher=60`.
 * Every flag also reads from an LLM_SIM_* environment variable (flags win), so containers and
 * scripts can configure it without arguments.
 */
import { parseArgs } from 'node:util';
import { startSimulator } from './server';
import type { FaultOptions, RateLimit, SimulatorOptions } from './options';

const NUMERIC_FLAGS = {
  port: 'port', seed: 'seed', 'latency-ms': 'latencyMs', 'jitter-ms': 'jitterMs', 'context-tokens': 'contextTokens',
} as const;
const FAULT_FLAGS = {
  'server-error-rate': 'serverErrorRate', 'overloaded-rate': 'overloadedRate', 'timeout-rate': 'timeoutRate',
  'reset-rate': 'resetRate', 'rate-limit-rate': 'rateLimitRate', 'malformed-judge-rate': 'malformedJudgeRate',
  'timeout-hang-ms': 'timeoutHangMs',
} as const;

const USAGE = `Usage: llm-sim [--port N] [--host H] [--seed N] [--latency-ms N] [--jitter-ms N] [--context-tokens N]
              [--rpm model=N]... [--tpm model=N]... (model '*' = every model) [--no-auth]
              [--server-error-rate P] [--overloaded-rate P] [--timeout-rate P] [--reset-rate P]
              [--rate-limit-rate P] [--malformed-judge-rate P] [--timeout-hang-ms N]
Environment: LLM_SIM_PORT, LLM_SIM_LATENCY_MS, LLM_SIM_RPM="a=60,b=30", ... (flag name upper-cased, '-' -> '_').`;

function envName(flag: string): string {
  return `LLM_SIM_${flag.toUpperCase().replace(/-/g, '_')}`;
}

function numberFrom(flag: string, raw: string | undefined): number | undefined {
  const value = raw ?? process.env[envName(flag)];
  if (value === undefined || value === '') return undefined;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < 0) throw new Error(`--${flag} must be a number >= 0, got '${value}'`);
  return parsed;
}

function addLimits(limits: Record<string, RateLimit>, kind: 'rpm' | 'tpm', specs: string[]): void {
  const fromEnv = process.env[envName(kind)]?.split(',').filter((s) => s.length > 0) ?? [];
  for (const spec of specs.length > 0 ? specs : fromEnv) {
    const [model, value] = spec.split('=');
    const parsed = Number(value);
    if (!model || !(parsed > 0)) throw new Error(`--${kind} expects model=N, got '${spec}'`);
    limits[model] = { ...limits[model], [kind]: parsed };
  }
}

export function optionsFromArgs(argv: string[]): SimulatorOptions | 'help' {
  const stringFlags = [...Object.keys(NUMERIC_FLAGS), ...Object.keys(FAULT_FLAGS), 'host'];
  const { values } = parseArgs({
    args: argv,
    options: {
      ...Object.fromEntries(stringFlags.map((name) => [name, { type: 'string' as const }])),
      rpm: { type: 'string', multiple: true },
      tpm: { type: 'string', multiple: true },
      'no-auth': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help === true) return 'help';
  const flag = (name: string) => (values as Record<string, unknown>)[name] as string | undefined;

  const options: SimulatorOptions = { host: flag('host') ?? process.env.LLM_SIM_HOST ?? '127.0.0.1' };
  for (const [name, key] of Object.entries(NUMERIC_FLAGS)) {
    const value = numberFrom(name, flag(name));
    if (value !== undefined) options[key] = value;
  }
  const faults: FaultOptions = {};
  for (const [name, key] of Object.entries(FAULT_FLAGS)) {
    const value = numberFrom(name, flag(name));
    if (value !== undefined) faults[key] = value;
  }
  options.faults = faults;
  const rateLimits: Record<string, RateLimit> = {};
  addLimits(rateLimits, 'rpm', (values.rpm as string[] | undefined) ?? []);
  addLimits(rateLimits, 'tpm', (values.tpm as string[] | undefined) ?? []);
  options.rateLimits = rateLimits;
  if (values['no-auth'] === true || process.env.LLM_SIM_NO_AUTH === '1') options.requireApiKey = false;
  return options;
}

export async function main(): Promise<void> {
  const options = optionsFromArgs(process.argv.slice(2));
  if (options === 'help') {
    console.log(USAGE);
    return;
  }
  const simulator = await startSimulator(options);
  console.log(`llm-sim listening on ${simulator.url}`);
  const shutdown = (signal: string) => {
    console.log(`llm-sim: ${signal}, shutting down`);
    simulator.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(`llm-sim: ${error instanceof Error ? error.message : String(error)}`);
    console.error(USAGE);
    process.exit(2);
  });
}
