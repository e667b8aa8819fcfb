import { Command, InvalidArgumentError, Option } from 'commander';
import { lazyAction } from './lazy-action';
import { EXIT_CODES_HELP } from './run-outcome';

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected an integer >= 1');
  return n;
}

function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected an integer >= 0');
  return n;
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('expected a port number 0-65535');
  return n;
}

function httpUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError('expected an http(s) URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InvalidArgumentError('expected an http(s) URL');
  return value;
}

function nonNegativeNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expected a number >= 0');
  return n;
}

const NO_PREFLIGHT = 'skip the check that every model endpoint answers (one cheap request each) before starting';
const LOG_FILE = 'JSON log lines go here while the live view owns the terminal (default: one file per run under $XDG_STATE_HOME/tapir or the OS temp dir); without a terminal they go to stderr, and here too when given';

/** The options shared by the commands that run a campaign's workers and watch it. */
function runOptions(command: Command): Command {
  return command
    .option('--no-preflight', NO_PREFLIGHT)
    .option('--log-file <path>', LOG_FILE)
    .addHelpText('after', `\n${EXIT_CODES_HELP}`);
}

const POOL_FORMATS = ['auto', 'alpaca', 'sharegpt', 'openai'];
const EXPORT_FORMATS = ['alpaca', 'sharegpt', 'openai'];

export function buildProgram(): Command {
  const program = new Command('tapir')
    .description('Task-aware curriculum distillation: find what the student cannot do yet, and teach it in stages.')
    .version('0.1.0')
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)');
  program.configureOutput({ outputError: (text, write) => write(`tapir: ${text.replace(/^error: /, '')}`) });
  program.addHelpText(
    'after',
    '\nExit codes: 0 ok, 1 failure, 2 usage/config/input error; run, resume and round next also\n' +
      '3 (campaign paused) and 4 (completed with more failed items than limits.maxFailedShare); see `tapir run --help`.',
  );

  program
    .command('init')
    .description('write a commented example campaign config whose models point at the local simulator')
    .argument('[file]', 'where to write it', 'campaign.yaml')
    .option('--force', 'overwrite an existing file')
    .option('--sim-url <url>', 'simulator address the models point at', 'http://127.0.0.1:8787')
    .option('--preset <name>', 'default (every setting at its default) or tapir (expansion on, rounds that grow)', 'default')
    .action(lazyAction(() => (require('./commands/init') as typeof import('./commands/init')).initCommand));

  const campaign = program.command('campaign').description('create campaigns');
  campaign
    .command('create')
    .description('validate a config, import a pool, print a summary; the last line is `campaign <id>`')
    .requiredOption('--config <file>', 'campaign config (YAML or JSON)')
    .option(
      '--data <file>',
      'instruction pool (repeatable: one source per file): JSONL/JSON, CSV, TSV, Parquet (gzip too) or a Hugging Face dataset folder; Alpaca, ShareGPT or OpenAI chat rows',
      (file: string, files: string[]) => [...files, file],
      [] as string[],
    )
    .addOption(new Option('--format <format>', 'pool format').choices(POOL_FORMATS).default('auto'))
    .option('--strict', 'abort and import nothing if any row is bad')
    .option('--teacher-answers <file>', 'teacher answers joined to the pool by instruction text (any pool format)')
    .option('--student-answers <file>', 'student answers joined to the pool by instruction text (any pool format)')
    .addOption(
      new Option('--output-as <role>', "what a row's own output is: ignored, or the teacher's or student's answer")
        .choices(['none', 'teacher', 'student'])
        .default('none'),
    )
    .action(lazyAction(() => (require('./commands/campaign-create') as typeof import('./commands/campaign-create')).createCampaignCommand));

  program
    .command('clean')
    .description("apply the config's clean: rules to pool files (no campaign): writes kept.jsonl, dropped.jsonl and report.json")
    .requiredOption('--config <file>', 'campaign config (YAML or JSON); its clean: section is used')
    .requiredOption('--data <file>', 'pool file, any format tapir imports; repeat for several (duplicates are found across them, the first file first)', (v: string, prev: string[] = []) => [...prev, v])
    .requiredOption('--out <dir>', 'folder for kept.jsonl, dropped.jsonl and report.json')
    .option('--threads <n>', 'worker threads analysing rows beside the one deciding duplicates in order; 0 = none (default: available cores)', nonNegativeInt)
    .action(lazyAction(() => (require('./commands/clean') as typeof import('./commands/clean')).cleanCommand));

  program
    .command('run')
    .description('enqueue the campaign and run workers in-process until it completes, with live progress')
    .argument('<id>', 'campaign id')
    .option('--no-workers', 'only enqueue and watch; standalone `tapir worker` processes do the work')
    .option('--detach', 'enqueue and return at once')
    .option('--concurrency <n>', 'jobs in flight per queue in this process (a job carries up to 8 items)', positiveInt, 64);
  runOptions(program.commands.at(-1)!).action(lazyAction(() => (require('./commands/run') as typeof import('./commands/run')).runCommand));

  program
    .command('resume')
    .description('continue a paused, interrupted, failed or cancelled campaign (the queues are rebuilt from PostgreSQL)')
    .argument('<id>', 'campaign id')
    .option('--budget <usd>', 'raise budget.maxUsd to this many USD', nonNegativeNumber)
    .option('--budget-tokens <n>', 'raise budget.maxTokens', positiveInt)
    .option('--no-workers', 'only enqueue and watch')
    .option('--detach', 'enqueue and return at once')
    .option('--concurrency <n>', 'jobs in flight per queue in this process (a job carries up to 8 items)', positiveInt, 64);
  runOptions(program.commands.at(-1)!).action(lazyAction(() => (require('./commands/control') as typeof import('./commands/control')).resumeCommand));

  const round = program.command('round').description('multi-round curriculum: re-measure the pool with a re-trained student');
  round
    .command('next')
    .description('register the student fine-tuned on the last round and run the next round against it')
    .argument('<id>', 'campaign id')
    .requiredOption('--student-model <model>', "the new checkpoint's model name, as its server knows it")
    .option('--student-base-url <url>', 'where the checkpoint is served, if not at models.student.baseURL', httpUrl)
    .option('--no-workers', 'only enqueue and watch; standalone `tapir worker` processes do the work')
    .option('--detach', 'enqueue and return at once')
    .option('--concurrency <n>', 'jobs in flight per queue in this process (a job carries up to 8 items)', positiveInt, 64);
  runOptions(round.commands.at(-1)!).action(lazyAction(() => (require('./commands/round') as typeof import('./commands/round')).roundNextCommand));

  program
    .command('cancel')
    .description('stop a campaign: queued jobs are removed, nothing finished is lost')
    .argument('<id>', 'campaign id')
    .action(lazyAction(() => (require('./commands/control') as typeof import('./commands/control')).cancelCommand));

  program
    .command('pause')
    .description('halt a campaign until `tapir resume`: jobs in flight finish, queued ones wait, nothing is lost')
    .argument('<id>', 'campaign id')
    .action(lazyAction(() => (require('./commands/control') as typeof import('./commands/control')).pauseCommand));

  program
    .command('retry-failed')
    .description('queue the failed items (or, once planned, the failed refinements) of a campaign again')
    .argument('<id>', 'campaign id')
    .action(lazyAction(() => (require('./commands/control') as typeof import('./commands/control')).retryFailedCommand));

  program
    .command('worker')
    .description('a standalone worker for every campaign; graceful on SIGINT/SIGTERM')
    .option('--concurrency <n>', 'jobs in flight per queue', positiveInt, 64)
    .option('--no-preflight', 'skip the check that the endpoints of the campaigns being worked on answer before taking jobs')
    .addHelpText('after', '\nExit codes: 0 stopped by SIGINT/SIGTERM, 1 an endpoint did not answer at start (or another error).')
    .action(lazyAction(() => (require('./commands/worker') as typeof import('./commands/worker')).workerCommand));

  program
    .command('status')
    .description('progress, failures, MFD histogram, category mix, stages and LLM usage of a campaign')
    .argument('<id>', 'campaign id')
    .option('--json', 'machine-readable (shape documented in the README)')
    .action(lazyAction(() => (require('./commands/status') as typeof import('./commands/status')).statusCommand));

  program
    .command('show')
    .description("one item's whole story: source line, category, every answer, judge replies, scores, plan rows")
    .argument('<id>', 'campaign id')
    .requiredOption('--item <n>', 'item id (as in lineage.jsonl, or `tapir status` failures)', positiveInt)
    .option('--json', 'machine-readable')
    .action(lazyAction(() => (require('./commands/show') as typeof import('./commands/show')).showCommand));

  program.command('list').description('list campaigns').option('--json', 'machine-readable').action(lazyAction(() => (require('./commands/list') as typeof import('./commands/list')).listCommand));

  program
    .command('synthesize')
    .description('the teacher writes instructions for short categories, each seeded by a topic, an audience and a form (phi-1.5); writes a JSONL pool and a diversity report')
    .requiredOption('--config <file>', 'campaign config (models, taxonomy, synthesis section)')
    .option('--topics <file>', 'topics, one per line ([Category] headers scope them); default: synthesis.topics, else the bundled list')
    .requiredOption('--out <file>', 'JSONL pool to write')
    .option('--data <file>', 'the pool to complement: categories none of its rows is labelled with are synthesized, and new instructions must not copy it')
    .option('--categories <names>', 'comma-separated categories to synthesize for, whatever the pool holds')
    .option('--per-category <n>', 'instructions requested per category', '20')
    .action(lazyAction(() => (require('./commands/synthesize') as typeof import('./commands/synthesize')).synthesizeCommand));

  program
    .command('export')
    .description(
      "write one round's stage-1..K.jsonl, lineage.jsonl, manifest.json, dataset_info.json, llamafactory.yaml, axolotl.yaml and a dataset card (README.md)",
    )
    .argument('<id>', 'campaign id')
    .requiredOption('--out <dir>', 'output directory')
    .addOption(new Option('--format <format>', 'row format').choices(EXPORT_FORMATS).default('alpaca'))
    .option('--round <n>', 'round to export (default: the current round)', positiveInt)
    .option('--bare', 'with --format openai: rows with only `messages`, as OpenAI fine-tuning uploads expect')
    .option('--parquet', 'also write each stage as stage-K.parquet (the dataset card then reads those)')
    .addHelpText('after', '\nExit codes: 0 exported; 1 the round is not finished or has no rows (no file is written then); 2 usage.')
    .action(lazyAction(() => (require('./commands/export') as typeof import('./commands/export')).exportCommand));

  program
    .command('dashboard')
    .description('web dashboard over the same PostgreSQL and Redis: campaigns, charts, /queues (bull-board), /metrics (Prometheus)')
    .option('--port <n>', 'port', port, 8080)
    .option('--host <host>', 'address to bind; anything but loopback requires a token', '127.0.0.1')
    .option('--token <token>', 'token for pause/resume/cancel (and for every request off loopback); default $TAPIR_DASHBOARD_TOKEN')
    .action(lazyAction(() => (require('./commands/dashboard') as typeof import('./commands/dashboard')).dashboardCommand));

  program
    .command('sim')
    .description('start the local OpenAI/Anthropic-compatible simulator (tests, demo, benchmarks)')
    .option('--port <n>', 'port', (v) => Number(v), 8787)
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option('--latency-ms <ms>', 'mean added latency', nonNegativeNumber, 0)
    .option('--jitter-ms <ms>', 'latency jitter (+/-)', nonNegativeNumber, 0)
    .option('--seed <n>', 'seed of the simulated outputs', (v) => Number(v), 0)
    .option('--rpm <model=N...>', 'requests per minute enforced for a model (repeatable)')
    .action(lazyAction(() => (require('./commands/sim') as typeof import('./commands/sim')).simCommand));

  program
    .command('demo')
    .description('a real campaign on the bundled sample, end to end, against the local simulator')
    .option('--out <dir>', 'where the campaign config and exports go', 'out/demo')
    .option('--latency-ms <ms>', 'simulated model latency', nonNegativeNumber, 40)
    .option('--rounds <n>', "rounds to run, each against a simulated fine-tune of the last one's student (default: the config's rounds.count)", positiveInt)
    .action(lazyAction(() => (require('./commands/demo') as typeof import('./commands/demo')).demoCommand));

  return program;
}
