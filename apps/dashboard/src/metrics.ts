import { redactUrl, type Db } from '@tapir/db';
import type { EndpointRateLimiter } from '@tapir/llm';
import type { QueueSet } from '@tapir/pipeline';
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import { campaignEndpointSources, campaignGaugeRows, itemStatusCounts, ledgerMetricRows } from './dashboard-queries';
import { modelEndpoints } from './model-endpoints';
import { mergePrometheusText } from './prometheus-families';

export interface MetricsSources {
  db: Db;
  queues: QueueSet;
  rateLimiter: EndpointRateLimiter;
}

/**
 * /metrics: tapir's series, read at scrape time from PostgreSQL (the ledger, items, campaigns)
 * and Redis (the shared rate limiter's 429 and wait counters), so that they count what every
 * worker process did, not what this process saw; then BullMQ's own queue metrics.
 */
export class DashboardMetrics {
  private readonly registry = new Registry();

  constructor(private readonly sources: MetricsSources) {
    const { db, rateLimiter } = sources;
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'tapir_dashboard_' });

    // One ledger read per scrape feeds the three ledger families.
    let ledger: ReturnType<typeof ledgerMetricRows> | undefined;
    const ledgerRows = () => (ledger ??= ledgerMetricRows(db).finally(() => setImmediate(() => (ledger = undefined))));

    new Counter({
      name: 'tapir_llm_requests_total',
      help: 'LLM requests in the ledger by role, model and status (completed, failed, pending, abandoned; served = answered from the ledger, not sent)',
      labelNames: ['role', 'model', 'status'],
      registers,
      async collect() {
        this.reset();
        for (const r of await ledgerRows()) this.inc({ role: r.role, model: r.model, status: r.status }, r.requests);
      },
    });
    new Counter({
      name: 'tapir_llm_tokens_total',
      help: 'Tokens in the ledger by role, model and direction (input, output)',
      labelNames: ['role', 'model', 'direction'],
      registers,
      async collect() {
        this.reset();
        for (const r of await ledgerRows()) {
          this.inc({ role: r.role, model: r.model, direction: 'input' }, r.inputTokens);
          this.inc({ role: r.role, model: r.model, direction: 'output' }, r.outputTokens);
        }
      },
    });
    new Counter({
      name: 'tapir_llm_cost_usd_total',
      help: 'Cost in USD in the ledger by role and model',
      labelNames: ['role', 'model'],
      registers,
      async collect() {
        this.reset();
        for (const r of await ledgerRows()) this.inc({ role: r.role, model: r.model }, r.costUsd);
      },
    });
    new Gauge({
      name: 'tapir_items',
      help: 'Items by campaign and status (pending, judged, failed)',
      labelNames: ['campaign', 'status'],
      registers,
      async collect() {
        this.reset();
        for (const r of await itemStatusCounts(db)) this.set({ campaign: r.campaignId, status: r.status }, r.count);
      },
    });
    new Gauge({
      name: 'tapir_campaign_info',
      help: 'One series per campaign with its status and current round as labels (value 1)',
      labelNames: ['campaign', 'name', 'status', 'round'],
      registers,
      async collect() {
        this.reset();
        for (const r of await campaignGaugeRows(db)) this.set({ campaign: r.campaignId, name: r.name, status: r.status, round: String(r.round) }, 1);
      },
    });

    let endpointsRead: Promise<{ labels: { provider: string; model: string; base_url: string }; waits: { waits: number; waitedMs: number }; limited: number }[]> | undefined;
    const endpointRows = () =>
      (endpointsRead ??= (async () => {
        const endpoints = modelEndpoints(await campaignEndpointSources(db));
        return Promise.all(
          endpoints.map(async (e) => {
            const [waits, state] = await Promise.all([rateLimiter.waitTotals(e.key), rateLimiter.state(e.key)]);
            return { labels: { provider: e.provider, model: e.model, base_url: redactUrl(e.baseUrl) }, waits, limited: state.rateLimited };
          }),
        );
      })().finally(() => setImmediate(() => (endpointsRead = undefined))));
    new Counter({
      name: 'tapir_rate_limit_waits_total',
      help: 'Requests that waited for their endpoint (its pace or the block after a 429), by every worker process',
      labelNames: ['provider', 'model', 'base_url'],
      registers,
      async collect() {
        this.reset();
        for (const r of await endpointRows()) this.inc(r.labels, r.waits.waits);
      },
    });
    new Counter({
      name: 'tapir_rate_limit_wait_seconds_total',
      help: 'Time requests spent waiting for their endpoint, summed over requests',
      labelNames: ['provider', 'model', 'base_url'],
      registers,
      async collect() {
        this.reset();
        for (const r of await endpointRows()) this.inc(r.labels, r.waits.waitedMs / 1000);
      },
    });
    new Counter({
      name: 'tapir_rate_limited_total',
      help: "429 replies reported by any worker process (the shared limiter's count; it resets after 10 idle minutes)",
      labelNames: ['provider', 'model', 'base_url'],
      registers,
      async collect() {
        this.reset();
        for (const r of await endpointRows()) this.inc(r.labels, r.limited);
      },
    });
  }

  readonly contentType = 'text/plain; version=0.0.4; charset=utf-8';

  async render(): Promise<string> {
    const [own, queues] = await Promise.all([this.registry.metrics(), Promise.all(this.sources.queues.all().map((q) => q.exportPrometheusMetrics()))]);
    return own.replace(/\n*$/, '\n') + mergePrometheusText(queues);
  }
}
