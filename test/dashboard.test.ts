import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseCampaignConfig } from '@tapir/core';
import { dashboardApp, startDashboard, type RunningDashboard } from '@tapir/dashboard';
import type { AddressInfo } from 'node:net';
import { campaigns } from '@tapir/db';
import { campaignStatus, createCampaign, listCampaigns, pauseCampaign } from '@tapir/pipeline';
import { eq } from 'drizzle-orm';
import { chromium, type Browser, type Page } from 'playwright-core';
import { completeCampaign } from './support/complete-campaign';
import { runTapir } from './support/run-tapir';
import { createTestEnv, simConfigYaml, waitFor, type TestEnv } from './support/test-env';

const CHROMIUM = process.env.TAPIR_CHROMIUM ?? '/usr/bin/chromium';
const SAMPLE = resolve(__dirname, '../samples/seed-pool.jsonl');
const SCREENSHOTS = resolve(__dirname, '../out/dashboard-screenshots');
const ITEMS = 24;
const TOKEN = 'dashboard-test-token-7f3a';
/** Every chart a campaign that measured MFD and IFD and was planned must show, by canvas id. */
const CHARTS = ['chart-steps', 'chart-timeline', 'chart-mfd', 'chart-ifd', 'chart-mix', 'chart-heatmap', 'chart-hard', 'chart-spend', 'chart-clean'];

const chromiumMissing = existsSync(CHROMIUM) ? null : `${CHROMIUM} is missing (apt-get install -y chromium, or set TAPIR_CHROMIUM)`;
if (chromiumMissing) process.stderr.write(`dashboard browser test skipped: ${chromiumMissing}\n`);
const browserTest = chromiumMissing ? test.skip : test;

/**
 * The dashboard against a campaign that really ran (MFD and IFD, one round, planned and refined),
 * in Debian's chromium through playwright-core: every page loads without console errors, every
 * chart holds data, actions are refused without the token and work with it, /metrics carries
 * BullMQ's and tapir's series, /queues is bull-board. Screenshots go to out/dashboard-screenshots/.
 */
describe('tapir dashboard in a real browser', () => {
  let env: TestEnv;
  let dashboard: RunningDashboard;
  let campaignId: string;
  let idleCampaignId: string;
  let browser: Browser | undefined;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    env = await createTestEnv();
    const dir = await mkdtemp(join(tmpdir(), 'tapir-dashboard-'));
    const pool = join(dir, 'pool.jsonl');
    await writeFile(pool, (await readFile(SAMPLE, 'utf8')).split('\n').filter(Boolean).slice(0, ITEMS).join('\n') + '\n');
    const config = parseCampaignConfig(
      simConfigYaml(env.simUrl, 'difficulty: { signal: both, combine: or }\ncurriculum: { stages: 3 }\nbudget: { maxUsd: 50 }'),
      'dashboard.yaml',
    );
    campaignId = await completeCampaign(env, config, pool, () => env.startWorkers());
    // A second campaign nobody runs: the one the buttons pause, resume and cancel.
    const idle = join(dir, 'idle.jsonl');
    await writeFile(idle, (await readFile(SAMPLE, 'utf8')).split('\n').filter(Boolean).slice(ITEMS, ITEMS + 8).join('\n') + '\n');
    idleCampaignId = (await createCampaign(env.pipeline.services.db, { config: { ...config, name: 'idle' }, dataFile: idle })).campaignId;
    dashboard = await startDashboard({ pipeline: env.pipeline, host: '127.0.0.1', port: 0, token: TOKEN });
    await mkdir(SCREENSHOTS, { recursive: true });
    if (!chromiumMissing) {
      browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    }
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await dashboard?.close();
    await env?.close();
  });

  async function openPage(path: string): Promise<Page> {
    const page = await browser!.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('console', (msg) => {
      if (msg.type() === 'error') consoleErrors.push(`${path}: ${msg.text()}`);
    });
    page.on('pageerror', (err) => consoleErrors.push(`${path}: ${err.message}`));
    const response = await page.goto(dashboard.url + path);
    expect(response?.status()).toBe(200);
    return page;
  }

  test('/api/campaigns and /api/campaigns/<id> are exactly `tapir list --json` and `tapir status --json` (the same functions)', async () => {
    const list = await (await fetch(`${dashboard.url}/api/campaigns`)).json();
    expect(list).toEqual(JSON.parse(JSON.stringify(await listCampaigns(env.pipeline.services.db))));
    const status = await (await fetch(`${dashboard.url}/api/campaigns/${campaignId}`)).json();
    expect(status).toEqual(JSON.parse(JSON.stringify(await campaignStatus(env.pipeline.services.db, campaignId))));
    expect((await fetch(`${dashboard.url}/api/campaigns/nope`)).status).toBe(404);
  });

  browserTest('/ lists the campaigns newest first with status, progress and spend', async () => {
    const page = await openPage('/');
    await page.waitForSelector(`a[href="/campaigns/${campaignId}"]`);
    const rows = await page.$$eval('#campaigns tr', (trs) => trs.map((tr) => tr.textContent ?? ''));
    expect(rows).toHaveLength(2);
    expect(rows[0]).toContain(idleCampaignId); // created last
    expect(rows[1]).toContain(campaignId);
    expect(rows[1]).toContain('completed');
    expect(rows[1]).toContain('100.0%');
    expect(rows[1]).toMatch(/\$\d/);
    await page.screenshot({ path: join(SCREENSHOTS, 'campaigns.png'), fullPage: true });
    await page.close();
  });

  browserTest('/campaigns/<id> draws every chart with data from the campaign', async () => {
    const page = await openPage(`/campaigns/${campaignId}`);
    await page.waitForFunction((n) => Object.keys((globalThis as unknown as { Chart: { instances: object } }).Chart.instances).length >= n, CHARTS.length);
    const charts = await page.evaluate(() => {
      const { Chart } = globalThis as unknown as { Chart: { instances: Record<string, { canvas: { id: string }; config: { type: string }; data: { datasets: { label?: string; data: unknown[] }[] } }> } };
      return Object.values(Chart.instances).map((c) => ({
        id: c.canvas.id,
        type: c.config.type,
        datasets: c.data.datasets.map((d) => ({
          label: d.label ?? '',
          points: d.data.length,
          total: d.data.reduce<number>((a, v) => a + (typeof v === 'number' ? v : v && typeof v === 'object' && 'v' in v ? Number((v as { v: number }).v) : 0), 0),
        })),
      }));
    });
    expect(charts.map((c) => c.id).sort()).toEqual([...CHARTS].sort());
    for (const chart of charts) {
      expect({ id: chart.id, datasets: chart.datasets.length }).toEqual({ id: chart.id, datasets: expect.any(Number) });
      expect(chart.datasets.length).toBeGreaterThan(0);
      // Every chart shows something: at least one dataset with a non-zero value.
      expect({ id: chart.id, withData: chart.datasets.some((d) => d.points > 0 && d.total > 0) }).toEqual({ id: chart.id, withData: true });
    }
    const status = (await campaignStatus(env.pipeline.services.db, campaignId))!;
    const byId = Object.fromEntries(charts.map((c) => [c.id, c]));
    // The charts carry the status document's own numbers.
    expect(byId['chart-mfd']!.datasets[0]!.total).toBe(status.rounds[0]!.mfd.count);
    expect(byId['chart-heatmap']!.datasets[0]!.total).toBe(status.stages.reduce((a, s) => a + s.count, 0));
    const planned = byId['chart-mix']!.datasets.find((d: { label: string }) => d.label === 'planned')!;
    expect(planned.total).toBe(Object.values(status.categories.after).reduce((a, n) => a + n, 0));
    expect(await page.isHidden('#card-clean')).toBe(false); // every campaign since issue 15 has clean counts
    expect(await page.textContent('#clean-note')).toContain(`${status.clean.kept} kept`);
    await page.screenshot({ path: join(SCREENSHOTS, 'campaign.png'), fullPage: true });
    await page.close();
  });

  test('actions are refused without the token, and off entirely when the dashboard has none', async () => {
    const post = (url: string, headers: Record<string, string> = {}) => fetch(url, { method: 'POST', headers });
    expect((await post(`${dashboard.url}/api/campaigns/${idleCampaignId}/pause`)).status).toBe(401);
    expect((await post(`${dashboard.url}/api/campaigns/${idleCampaignId}/cancel`, { authorization: 'Bearer wrong' })).status).toBe(401);
    const untokened = await startDashboard({ pipeline: env.pipeline, host: '127.0.0.1', port: 0, token: undefined });
    try {
      expect((await post(`${untokened.url}/api/campaigns/${idleCampaignId}/pause`, { authorization: `Bearer ${TOKEN}` })).status).toBe(403);
    } finally {
      await untokened.close();
    }
    const [row] = await env.pipeline.services.db.select({ status: campaigns.status }).from(campaigns).where(eq(campaigns.id, idleCampaignId));
    expect(row!.status).toBe('created');
  });

  browserTest('pause, resume and cancel work from the page with the token', async () => {
    const page = await openPage(`/campaigns/${idleCampaignId}`);
    const statusOf = async () =>
      (await env.pipeline.services.db.select({ status: campaigns.status }).from(campaigns).where(eq(campaigns.id, idleCampaignId)))[0]!.status;
    await page.fill('#token', TOKEN);
    for (const [button, expected] of [
      ['pause', 'paused'],
      ['resume', 'running'],
      ['cancel', 'cancelled'],
    ] as const) {
      await page.click(`#${button}`);
      await page.waitForSelector('#action-result.ok');
      expect(await page.textContent('#action-result')).toContain(idleCampaignId);
      // Resume hands the campaign to the running workers; it may move on at once, but not back.
      if (button === 'resume') expect(['running', 'planning', 'refining', 'completed']).toContain(await statusOf());
      else expect(await statusOf()).toBe(expected);
      await page.evaluate("document.getElementById('action-result').removeAttribute('class')");
    }
    await waitFor('the cancelled campaign to show as such', async () => ((await page.textContent('#status')) === 'cancelled' ? true : undefined), 30_000);
    await page.screenshot({ path: join(SCREENSHOTS, 'campaign-cancelled.png'), fullPage: true });
    await page.close();
  });

  test("/metrics is Prometheus text with BullMQ's queue series and tapir's counters and gauges", async () => {
    const res = await fetch(`${dashboard.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    await writeFile(join(SCREENSHOTS, 'metrics.txt'), text);
    for (const step of env.pipeline.services.steps.names) expect(text).toMatch(new RegExp(`bullmq_job_count\\{queue="[^"]*${step}", state="waiting"\\} \\d+`));
    expect(text).toMatch(/^bullmq_job_completed_total\{queue=/m);
    const status = (await campaignStatus(env.pipeline.services.db, campaignId))!;
    // The ledger's counters cover every campaign: the idle one was resumed (and bought a few answers) before its cancel.
    const idle = (await campaignStatus(env.pipeline.services.db, idleCampaignId))!;
    const judgeCompleted = [status, idle].reduce((a, s) => a + (s.llm.find((u) => u.role === 'judge')?.completed ?? 0), 0);
    expect(text).toContain(`tapir_llm_requests_total{role="judge",model="sim-judge",status="completed"} ${judgeCompleted}`);
    expect(text).toMatch(/^tapir_llm_tokens_total\{role="teacher",model="sim-teacher",direction="output"\} [1-9]\d*/m);
    expect(text).toMatch(/^tapir_llm_cost_usd_total\{role="teacher",model="sim-teacher"\} \d/m);
    expect(text).toContain(`tapir_items{campaign="${campaignId}",status="judged"} ${status.items.judged}`);
    expect(text).toMatch(/^tapir_rate_limited_total\{provider="anthropic",model="sim-judge",base_url="[^"]+"\} \d+/m);
    expect(text).toMatch(/^tapir_rate_limit_waits_total\{provider="openai",model="sim-teacher",base_url="[^"]+"\} \d+/m);
    // Each family is declared once, though every queue exports its own block.
    const helps = text.split('\n').filter((l) => l.startsWith('# HELP '));
    expect(new Set(helps).size).toBe(helps.length);
  });

  browserTest('/queues is bull-board over every queue of the step registry', async () => {
    const page = await openPage('/queues');
    for (const step of env.pipeline.services.steps.names) await page.getByText(new RegExp(`${step}$`)).first().waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'queues.png'), fullPage: true });
    await page.close();
  });

  browserTest('no page logged a console error', () => {
    expect(consoleErrors).toEqual([]);
  });

  test('off loopback every request needs the token: Bearer for API clients, a sign-in cookie for browsers', async () => {
    // The policy a non-loopback bind gets, served on loopback so that the test exposes nothing.
    const app = dashboardApp({ pipeline: env.pipeline, policy: { tokenForReads: true, actionsEnabled: true }, token: TOKEN });
    const server = await new Promise<import('node:http').Server>((ok) => {
      const s = app.listen(0, '127.0.0.1', () => ok(s));
    });
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      expect((await fetch(`${url}/api/campaigns`)).status).toBe(401);
      expect((await fetch(`${url}/metrics`, { headers: { authorization: 'Bearer nope' } })).status).toBe(401);
      expect((await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
      const page = await fetch(`${url}/campaigns/${campaignId}`, { headers: { accept: 'text/html' }, redirect: 'manual' });
      expect(page.status).toBe(302);
      expect(page.headers.get('location')).toBe(`/login?next=${encodeURIComponent(`/campaigns/${campaignId}`)}`);
      const login = (token: string) =>
        fetch(`${url}/login`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token, next: '/queues' }).toString() });
      const refused = await login('wrong');
      expect(refused.status).toBe(401);
      expect(refused.headers.get('set-cookie')).toBeNull();
      const signedIn = await login(TOKEN);
      expect(signedIn.status).toBe(303);
      expect(signedIn.headers.get('location')).toBe('/queues');
      const cookie = signedIn.headers.get('set-cookie')!;
      expect(cookie).toMatch(/HttpOnly/);
      expect(cookie).toMatch(/SameSite=Strict/);
      expect((await fetch(`${url}/api/campaigns`, { headers: { cookie: cookie.split(';')[0]! } })).status).toBe(200);
    } finally {
      await new Promise((ok) => server.close(ok));
    }
  });

  test('pause refuses a finished campaign, naming its status', async () => {
    await expect(pauseCampaign(env.pipeline.services, campaignId)).rejects.toThrow(`campaign ${campaignId} is completed: only a created or working campaign can be paused`);
  });

  test('off loopback the dashboard refuses to start without a token (exit 2)', async () => {
    const result = await runTapir(['dashboard', '--host', '0.0.0.0', '--port', '0'], { ...env.childEnv, TAPIR_DASHBOARD_TOKEN: '' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--host 0.0.0.0 is not a loopback address: a token is required');
  });
});
