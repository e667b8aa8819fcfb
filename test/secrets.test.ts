import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, request, Agent, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Redis } from 'ioredis';
import { createTestEnv, REDIS_URL, waitFor, type TestEnv } from './support/test-env';

/**
 * The API key travels from the environment to the provider and nowhere else: not into
 * PostgreSQL, Redis (job data, options, failure reasons, events), logs at debug level, or exports.
 */
const TAPIR = resolve(__dirname, '../apps/cli/bin/tapir.js');
const SAMPLE = resolve(__dirname, '../samples/seed-pool.jsonl');
const SECRET = `sk-tapir-secret-${randomBytes(16).toString('hex')}`;

/** The key and the encodings it could hide in: hex, and base64/base64url at each of the 3 byte alignments. */
function secretForms(secret: string): string[] {
  const forms = [secret, Buffer.from(secret).toString('hex')];
  for (const enc of ['base64', 'base64url'] as const) {
    for (let shift = 0; shift < 3; shift++) {
      const b64 = Buffer.from('x'.repeat(shift) + secret).toString(enc);
      forms.push(b64.slice(shift === 0 ? 0 : shift + 1, -4)); // drop characters shared with the neighbours
    }
  }
  return forms;
}
const FORMS = secretForms(SECRET);
const leaksIn = (text: string): string[] => FORMS.filter((f) => text.includes(f));

interface Evidence {
  source: string;
  text: string;
}

function exec(file: string, args: string[], env?: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(file, args, { env, timeout: 90_000, maxBuffer: 256 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      done({ code, stdout, stderr });
    });
  });
}

/** A long-running child whose output is kept, with a promise of its exit. */
function startTapir(args: string[], env: NodeJS.ProcessEnv): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [TAPIR, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
  return { child, output: () => output, exited };
}

/** A pass-through to the simulator that records the credentials the SDKs send. */
async function startKeyRecordingProxy(target: string): Promise<{ url: string; credentials: string[]; server: Server }> {
  const upstream = new URL(target);
  const agent = new Agent({ keepAlive: true });
  const credentials: string[] = [];
  const server = createServer((req, res) => {
    for (const h of ['authorization', 'x-api-key']) if (typeof req.headers[h] === 'string') credentials.push(req.headers[h] as string);
    const up = request(
      { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers, agent },
      (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      },
    );
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  server.on('close', () => agent.destroy());
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, credentials, server };
}

describe('API keys never leave the environment', () => {
  let env: TestEnv;
  let dir: string;
  let redis: Redis;
  let proxy: Awaited<ReturnType<typeof startKeyRecordingProxy>>;
  const evidence: Evidence[] = [];
  let jobHashesSeen = 0;

  async function dumpDatabase(when: string): Promise<void> {
    const dump = await exec('/usr/bin/pg_dump', ['--data-only', '--no-owner', env.databaseUrl]);
    expect(dump.code).toBe(0);
    evidence.push({ source: `pg_dump (${when})`, text: dump.stdout });
  }

  /** Every key of this test's queues, read by type; job hashes include data, opts, failedReason, stacktrace. */
  async function dumpRedis(when: string): Promise<void> {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await redis.scan(cursor, 'MATCH', `*${env.queuePrefix}*`, 'COUNT', 1000);
      cursor = next;
      keys.push(...batch);
    } while (cursor !== '0');
    const parts: string[] = [];
    for (const key of keys) {
      const type = await redis.type(key);
      let value: unknown;
      if (type === 'string') value = await redis.get(key);
      else if (type === 'hash') {
        const hash = await redis.hgetall(key);
        if ('data' in hash && 'opts' in hash) jobHashesSeen++;
        value = hash;
      } else if (type === 'list') value = await redis.lrange(key, 0, -1);
      else if (type === 'zset') value = await redis.zrange(key, 0, -1, 'WITHSCORES');
      else if (type === 'set') value = await redis.smembers(key);
      else if (type === 'stream') value = await redis.xrange(key, '-', '+');
      else value = `(${type})`;
      parts.push(`${key} ${type} ${JSON.stringify(value)}`);
    }
    evidence.push({ source: `redis (${when}, ${keys.length} keys)`, text: parts.join('\n') });
  }

  const snapshot = async (when: string) => Promise.all([dumpDatabase(when), dumpRedis(when)]);

  beforeAll(async () => {
    // Latency and a few 500s make the run last long enough to be caught in flight and put
    // retries, failure reasons and warnings into Redis and the logs. requireApiKey stays on.
    env = await createTestEnv({ latencyMs: 15, jitterMs: 10, faults: { serverErrorRate: 0.05 } });
    proxy = await startKeyRecordingProxy(env.simUrl);
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 3 });
    dir = await mkdtemp(join(tmpdir(), 'tapir-secrets-'));
  });

  afterAll(async () => {
    redis?.disconnect();
    await new Promise((r) => proxy?.server.close(r));
    await env?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('the leak search finds the key, plainly and encoded, and nothing else', () => {
    const planted = [
      `{"msg":"calling","headers":{"authorization":"Bearer ${SECRET}"}}`,
      `Authorization: Basic ${Buffer.from(`user:${SECRET}`).toString('base64')}`,
      `token=${Buffer.from(`ab${SECRET}cd`).toString('base64url')}`,
      `\\x${Buffer.from(SECRET).toString('hex')}`,
    ];
    for (const text of planted) expect(leaksIn(text).length).toBeGreaterThan(0);
    expect(leaksIn(`sk-tapir-secret-${randomBytes(16).toString('hex')} TAPIR_SIM_KEY`)).toEqual([]);
  });

  test('a campaign run in-process and one run by a standalone worker leave no trace of the key', async () => {
    const childEnv: NodeJS.ProcessEnv = { ...env.childEnv, TAPIR_SIM_KEY: SECRET, TAPIR_LOG_LEVEL: 'debug' };
    const logs: Evidence[] = [];
    const cli = async (args: string[]) => {
      const result = await exec(process.execPath, [TAPIR, ...args], childEnv);
      logs.push({ source: `tapir ${args.join(' ')}`, text: result.stdout + result.stderr });
      return result;
    };

    // The simulator really requires a key: without one it answers 401.
    const bare = await fetch(`${env.simUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'sim-teacher', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(bare.status).toBe(401);

    const config = join(dir, 'campaign.yaml');
    await writeFile(
      config,
      [
        'name: secrets',
        'seed: 7',
        'models:',
        `  teacher: { provider: openai, model: sim-teacher, baseURL: ${proxy.url}/v1, apiKeyEnv: TAPIR_SIM_KEY, concurrency: 8 }`,
        `  student: { provider: openai-compatible, model: sim-student, baseURL: ${proxy.url}/v1, concurrency: 8 }`,
        `  judge: { provider: anthropic, model: sim-judge, baseURL: ${proxy.url}, apiKeyEnv: TAPIR_SIM_KEY, concurrency: 8 }`,
        'curriculum: { stages: 2 }',
        '',
      ].join('\n'),
    );
    const sample = (await readFile(SAMPLE, 'utf8')).split('\n').filter(Boolean);
    // Different rows per campaign, so that the second is not served from the ledger of the first.
    await writeFile(join(dir, 'pool-a.jsonl'), sample.slice(0, 30).join('\n') + '\n');
    await writeFile(join(dir, 'pool-b.jsonl'), sample.slice(30, 60).join('\n') + '\n');
    const idOf = (stdout: string) => /^campaign (\S+)$/.exec(stdout.trim().split('\n').pop() ?? '')?.[1];

    const a = await cli(['campaign', 'create', '--config', config, '--data', join(dir, 'pool-a.jsonl')]);
    const b = await cli(['campaign', 'create', '--config', config, '--data', join(dir, 'pool-b.jsonl')]);
    expect([a.code, b.code]).toEqual([0, 0]);
    const idA = idOf(a.stdout)!;
    const idB = idOf(b.stdout)!;
    expect(idA && idB).toBeTruthy();

    // Campaign A: `tapir run` with workers in-process, dumped while it runs.
    const run = startTapir(['run', idA, '--concurrency', '8'], childEnv);
    let running = true;
    void run.exited.then(() => (running = false));
    let inFlightSnapshots = 0;
    while (running) {
      await snapshot(`during run ${idA}`);
      inFlightSnapshots++;
      await new Promise((r) => setTimeout(r, 300));
    }
    expect(await run.exited).toBe(0);
    logs.push({ source: `tapir run ${idA}`, text: run.output() });
    expect(inFlightSnapshots).toBeGreaterThan(0);

    // Campaign B: enqueued with --detach (its jobs wait in Redis), then worked by `tapir worker`.
    expect((await cli(['run', idB, '--detach'])).code).toBe(0);
    const jobsBefore = jobHashesSeen;
    await dumpRedis(`after run --detach ${idB}`);
    expect(jobHashesSeen).toBeGreaterThan(jobsBefore); // waiting jobs with data and opts were read

    const worker = startTapir(['worker', '--concurrency', '8'], childEnv);
    await waitFor(`campaign ${idB} to complete under the worker`, async () => {
      await snapshot(`during worker on ${idB}`);
      const status = await exec(process.execPath, [TAPIR, 'status', idB, '--json'], childEnv);
      const json = JSON.parse(status.stdout) as { campaign: { status: string } };
      expect(['running', 'planning', 'refining', 'completed']).toContain(json.campaign.status);
      return json.campaign.status === 'completed' ? true : undefined;
    }, 90_000);
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
    const workerLog = worker.output();
    logs.push({ source: 'tapir worker', text: workerLog });
    expect(workerLog).toContain('worker started'); // the log really was captured, at debug level
    expect(workerLog).toMatch(/"level":20|"level":30/);

    for (const id of [idA, idB]) {
      const status = await cli(['status', id, '--json']);
      expect(status.code).toBe(0);
      expect((JSON.parse(status.stdout) as { campaign: { status: string } }).campaign.status).toBe('completed');
    }
    const exportDirs: string[] = [];
    for (const [id, format] of [[idA, 'alpaca'], [idA, 'sharegpt'], [idA, 'openai'], [idB, 'alpaca']] as const) {
      const out = join(dir, `export-${id}-${format}`);
      expect((await cli(['export', id, '--out', out, '--format', format])).code).toBe(0);
      exportDirs.push(out);
    }
    await snapshot('after everything');

    const exported: Evidence[] = [];
    for (const out of exportDirs) {
      for (const name of await readdir(out, { recursive: true })) {
        const path = join(out, name);
        if ((await stat(path)).isFile()) exported.push({ source: path, text: await readFile(path, 'latin1') });
      }
    }
    evidence.push(...logs, ...exported);

    // The evidence is real: the key was sent, and the dumps hold the campaign, its jobs and its exports.
    expect(proxy.credentials.filter((c) => c.includes(SECRET)).length).toBeGreaterThan(0);
    expect(proxy.credentials.filter((c) => c !== 'Bearer EMPTY' && !c.includes(SECRET))).toEqual([]);
    expect(exported.filter((e) => e.source.endsWith('.jsonl')).length).toBeGreaterThanOrEqual(8);
    const finalDb = evidence.find((e) => e.source === 'pg_dump (after everything)')!.text;
    expect(finalDb).toContain('TAPIR_SIM_KEY'); // the variable name is stored, as it should be
    expect(finalDb).toContain(JSON.parse(sample[0]!).instruction as string);
    expect(logs.some((l) => /"msg":"job failed"/.test(l.text))).toBe(true); // retries were logged

    const found = evidence.flatMap((e) => {
      const forms = leaksIn(e.text);
      return forms.length === 0 ? [] : [`${e.source}: ${forms.includes(SECRET) ? 'the key itself' : `the key encoded (${forms[0]})`}`];
    });
    expect(found).toEqual([]);
    expect(evidence.length).toBeGreaterThan(10);
  }, 110_000);
});
