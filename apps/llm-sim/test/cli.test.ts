import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { optionsFromArgs } from '../src/main';

describe('llm-sim CLI', () => {
  test('parses flags into SimulatorOptions', () => {
    const options = optionsFromArgs([
      '--port', '0', '--latency-ms', '120', '--jitter-ms', '30', '--seed', '5',
      '--rpm', 'sim-teacher=60', '--rpm', '*=600', '--tpm', 'sim-teacher=90000',
      '--server-error-rate', '0.05', '--malformed-judge-rate', '0.1', '--timeout-hang-ms', '2000', '--no-auth',
    ]);
    expect(options).toEqual({
      host: '127.0.0.1',
      port: 0,
      latencyMs: 120,
      jitterMs: 30,
      seed: 5,
      faults: { serverErrorRate: 0.05, malformedJudgeRate: 0.1, timeoutHangMs: 2000 },
      rateLimits: { 'sim-teacher': { rpm: 60, tpm: 90_000 }, '*': { rpm: 600 } },
      requireApiKey: false,
    });
  });

  test('reads LLM_SIM_* environment variables when flags are absent', () => {
    process.env.LLM_SIM_LATENCY_MS = '75';
    process.env.LLM_SIM_RPM = 'a=1,b=2';
    try {
      const options = optionsFromArgs(['--latency-ms', '10']);
      expect(options).toMatchObject({ latencyMs: 10, rateLimits: { a: { rpm: 1 }, b: { rpm: 2 } } });
      expect(optionsFromArgs([])).toMatchObject({ latencyMs: 75 });
    } finally {
      delete process.env.LLM_SIM_LATENCY_MS;
      delete process.env.LLM_SIM_RPM;
    }
  });

  test('rejects malformed values', () => {
    expect(() => optionsFromArgs(['--latency-ms', 'soon'])).toThrow(/latency-ms/);
    expect(() => optionsFromArgs(['--rpm', 'teacher'])).toThrow(/model=N/);
    expect(() => optionsFromArgs(['--bogus'])).toThrow();
  });

  const compiled = resolve(__dirname, '../dist/main.js');
  (existsSync(compiled) ? test : test.skip)('the compiled entry prints its URL and exits cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, [compiled, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const url = await new Promise<string>((resolveUrl, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        const match = /llm-sim listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(chunk.toString());
        if (match?.[1] !== undefined) resolveUrl(match[1]);
      });
      child.once('exit', (code) => reject(new Error(`exited early with ${String(code)}`)));
    });
    expect((await fetch(`${url}/health`)).status).toBe(200);
    const exited = new Promise<number | null>((resolveExit) => child.once('exit', resolveExit));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
