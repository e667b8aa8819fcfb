import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCampaignConfig } from '@tapir/core';
import { createCampaign, defaultStepRegistry } from '@tapir/pipeline';
import { sql } from 'drizzle-orm';
import { freePort } from './support/free-port';
import { runTapir, TAPIR, type CliResult } from './support/run-tapir';
import { createTestEnv, simConfigYaml, type TestEnv } from './support/test-env';

/** Short instructions a student answers within any sane context. */
const SHORT = [
  'Explain what a prime number is.',
  'Solve 3x + 7 = 22 for x.',
  'Write a Python function that reverses a string.',
  'Name three causes of the French Revolution.',
  'Summarise the water cycle in two sentences.',
  'Translate "good morning" into Spanish.',
  'What is the derivative of x squared?',
  'Give two tips for writing clear emails.',
  'Why is the sky blue?',
  'List the planets of the solar system in order.',
];
/** About 1,000 tokens as the simulator counts them (4 characters each). */
const LONG = (topic: string) => `Summarise the following notes on ${topic}. ${'The committee met again and discussed the figures at length. '.repeat(64)}`;

const ANSI = /\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Za-z0-9]|\r/g;

async function poolFile(dir: string, name: string, instructions: readonly string[]): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, instructions.map((instruction) => JSON.stringify({ instruction })).join('\n') + '\n');
  return file;
}

/** `script` (util-linux) runs tapir under a pseudo-terminal, as a user's shell would; -e returns its exit code. */
function runInTerminal(args: string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  const command = `stty cols 120 rows 40; exec ${[process.execPath, TAPIR, ...args].map((a) => `'${a}'`).join(' ')}`;
  return new Promise((resolve) => {
    execFile('script', ['-qfec', command, '/dev/null'], { env, timeout: 120_000, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

const scriptAvailable = () =>
  new Promise<boolean>((resolve) => execFile('script', ['--version'], (err) => resolve(!err)));

describe('exit codes of run and export, preflight, and the terminal during a run', () => {
  let env: TestEnv;
  let dir: string;
  let refusingKeys: Server;
  let refusingUrl: string;

  beforeAll(async () => {
    env = await createTestEnv();
    dir = await mkdtemp(join(tmpdir(), 'tapir-exit-'));
    // An endpoint that is up but refuses every key, as after a revoked key.
    refusingKeys = createServer((_req, res) => {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ type: 'error', error: { type: 'authentication_error', message: 'invalid x-api-key' } }));
    });
    await new Promise<void>((resolve) => refusingKeys.listen(0, '127.0.0.1', resolve));
    const address = refusingKeys.address();
    refusingUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });

  afterAll(async () => {
    refusingKeys?.closeAllConnections();
    await new Promise((resolve) => refusingKeys?.close(resolve));
    await env?.close();
  });

  async function campaignOf(extraYaml: string, instructions: readonly string[], models: { teacherUrl?: string; judgeUrl?: string; student?: string } = {}) {
    let yaml = simConfigYaml(env.simUrl, extraYaml);
    if (models.teacherUrl) yaml = yaml.replace(`model: sim-teacher, baseURL: ${env.simUrl}/v1`, `model: sim-teacher, baseURL: ${models.teacherUrl}`);
    if (models.judgeUrl) yaml = yaml.replace(`model: sim-judge, baseURL: ${env.simUrl}`, `model: sim-judge, baseURL: ${models.judgeUrl}`);
    if (models.student) yaml = yaml.replace('model: sim-student,', `model: ${models.student},`);
    const config = parseCampaignConfig(yaml, 'exit.yaml');
    const { campaignId } = await createCampaign(env.pipeline.services.db, { config, dataFile: await poolFile(dir, `${Math.random()}.jsonl`, instructions) });
    return campaignId;
  }

  test('preflight refuses an unreachable endpoint and a refused key with exit 1, one line per role, and changes nothing', async () => {
    const downUrl = `http://127.0.0.1:${await freePort()}/v1`;
    const id = await campaignOf('', SHORT.slice(0, 3), { teacherUrl: downUrl, judgeUrl: refusingUrl });
    const requestsBefore = env.sim.stats().requests;
    const run = await runTapir(['run', id], env.childEnv);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`teacher sim-teacher at ${downUrl}: connection refused`);
    expect(run.stderr).toContain(`judge sim-judge at ${refusingUrl}: 401, check the variable named by models.judge.apiKeyEnv (TAPIR_SIM_KEY)`);
    expect(run.stderr).not.toMatch(/student sim-student at/); // its endpoint answered
    expect(run.stderr).toContain('--no-preflight');
    expect(run.stderr + run.stdout).not.toContain('sim-test-key');
    // Nothing moved: the campaign as created, no ledger row, no job, no item touched.
    const db = env.pipeline.services.db;
    const state = await db.execute<{ status: string; calls: string; failed: string }>(sql`
      select c.status, (select count(*) from llm_calls l where l.campaign_id = c.id) as calls,
             (select count(*) from items i where i.campaign_id = c.id and i.status = 'failed') as failed
        from campaigns c where c.id = ${id}`);
    expect(state.rows[0]).toEqual({ status: 'created', calls: '0', failed: '0' });
    const queued = await Promise.all(defaultStepRegistry.names.map((k) => env.pipeline.services.queues.queue(k).count()));
    expect(queued.reduce((a, b) => a + b, 0)).toBe(0);
    // The student's endpoint got its one probe (a one-token completion), and nothing else did.
    expect(env.sim.stats().requests - requestsBefore).toBe(1);

    // --no-preflight goes ahead (here only to enqueue).
    const skipped = await runTapir(['run', id, '--detach', '--no-preflight'], env.childEnv);
    expect(skipped.code).toBe(0);
    expect(skipped.stdout).toContain('enqueued');
    // A standalone worker checks the campaigns being worked on (this one now runs) before taking a job.
    const worker = await runTapir(['worker'], env.childEnv, 60_000);
    expect(worker.code).toBe(1);
    expect(worker.stderr).toContain(`campaign ${id}: teacher sim-teacher at ${downUrl}: connection refused`);
    expect(worker.stderr).toContain('start the worker again');
  });

  test('a budget pause exits 3 with the reason, and so does run on the paused campaign', async () => {
    const id = await campaignOf('budget: { maxUsd: 0.002 }', SHORT);
    const run = await runTapir(['run', id], env.childEnv);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(new RegExp(`campaign ${id} paused: budget reached: .* of budget\\.maxUsd`));
    expect(run.stderr).toContain(`tapir resume ${id}`);
    const again = await runTapir(['run', id], env.childEnv);
    expect(again.code).toBe(3);
    expect(again.stderr).toContain(`campaign ${id} is paused`);
  });

  test('a round that plans no rows exits 1 with the reasons, and its export exits 1 and writes nothing', async () => {
    // Every student answer is beyond this model's context (1,024 reply tokens alone); the
    // preflight's one-token completion fits, so the run starts.
    env.sim.configure({ models: { 'sim-student-small': { quality: 6, contextTokens: 1000 } } });
    const id = await campaignOf('', SHORT.slice(0, 4), { student: 'sim-student-small' });
    const run = await runTapir(['run', id], env.childEnv);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`campaign ${id} round 1 completed with no rows planned: 4 of 4 items failed (100%)`);
    expect(run.stderr).toMatch(/4 {2}answer-student: context_length/);
    const out = join(dir, 'empty-export');
    const exported = await runTapir(['export', id, '--out', out], env.childEnv);
    expect(exported.code).toBe(1);
    expect(exported.stderr).toContain(`campaign ${id} round 1 has no rows to export: its items failed (4 at answer-student: context_length (HTTP 400))`);
    expect(existsSync(out)).toBe(false);
  });

  test('under a terminal: failures above limits.maxFailedShare exit 4 with the top reasons; no log line reaches the screen, the log file has them', async () => {
    // Two long instructions of twelve overflow this student's context: 17% failed, above 5%.
    env.sim.configure({ models: { 'sim-student-ctx': { quality: 6, contextTokens: 1324 } } });
    // The clean step's repetition rule would drop the two long rows before any model saw them.
    const id = await campaignOf('rounds: { targetSize: 10 }\nclean: { enabled: false }', [...SHORT, LONG('budgets'), LONG('harvests')], { student: 'sim-student-ctx' });
    const logFile = join(dir, 'run.log');
    const haveTerminal = await scriptAvailable();
    if (!haveTerminal) process.stderr.write('`script` (util-linux) is not installed: the exit code is checked without a terminal\n');
    const run = haveTerminal
      ? await runInTerminal(['run', id, '--log-file', logFile], env.childEnv)
      : await runTapir(['run', id, '--log-file', logFile], env.childEnv);
    const screen = (run.stdout + run.stderr).replace(ANSI, '\n');
    expect(run.code).toBe(4);
    expect(screen).toContain(`round 1 completed, but 2 of 12 items failed (17%), more than limits.maxFailedShare (5.0%)`);
    expect(screen).toMatch(/2 {2}answer-student: context_length/);
    const logged = (await readFile(logFile, 'utf8')).split('\n').filter(Boolean);
    expect(logged.length).toBeGreaterThanOrEqual(2);
    for (const line of logged) expect(JSON.parse(line)).toMatchObject({ level: expect.any(Number), msg: expect.any(String) });
    expect(logged.filter((l) => JSON.parse(l).msg === 'item failed')).toHaveLength(2);
    if (!haveTerminal) return;
    // The screen: bars and the summary, never a JSON log line.
    expect(screen).not.toMatch(/\{"level":/);
    expect(screen).toContain(`(log: ${logFile})`);
    expect(screen).toMatch(/warnings 2 .*2 item failed: context_length/);
    expect(screen).toMatch(/2 warning\(s\) during the run, 1 kind\(s\); every line is in /);
  });
});
