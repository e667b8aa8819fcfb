import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { campaignStatus, listCampaigns, type Pipeline } from '@tapir/pipeline';
import express, { type NextFunction, type Request, type Response } from 'express';
import { tokensMatch } from './access-token';
import type { BindDecision } from './bind-policy';
import { isCampaignAction, runCampaignAction } from './campaign-actions';
import { campaignCharts } from './campaign-charts';
import { DashboardMetrics } from './metrics';
import { withoutExternalFonts } from './offline-fonts';
import { CAMPAIGN_PAGE, CAMPAIGNS_PAGE, renderPage } from './page-shell';
import { PUBLIC_DIR, VENDOR_FILES } from './static-assets';
import { loginPage, readGuard, requestHasToken, tokenCookie } from './token-guard';

export interface DashboardAppOptions {
  pipeline: Pipeline;
  policy: BindDecision;
  token: string | undefined;
}

/** Express errors reach here: logged by the caller's logger, answered as JSON without a stack. */
type AsyncHandler = (req: Request, res: Response) => Promise<unknown>;
const handle = (fn: AsyncHandler) => (req: Request, res: Response, next: NextFunction) => fn(req, res).catch(next);

/** The dashboard's routes over one pipeline (PostgreSQL, Redis, the step registry's queues). */
export function dashboardApp({ pipeline, policy, token }: DashboardAppOptions): express.Express {
  const { services } = pipeline;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  if (policy.tokenForReads && token) {
    app.post('/login', express.urlencoded({ extended: false, limit: '4kb' }), (req, res) => {
      const body = (req.body ?? {}) as { token?: string; next?: string };
      const next = typeof body.next === 'string' && body.next.startsWith('/') && !body.next.startsWith('//') ? body.next : '/';
      if (!tokensMatch(body.token, token)) return res.status(401).type('html').send(loginPage(true, next));
      res.setHeader('Set-Cookie', tokenCookie(token)).redirect(303, next);
    });
    app.get('/login', (req, res) => res.type('html').send(loginPage(false, String(req.query.next ?? '/'))));
    app.use(readGuard(token));
  }

  for (const [name, file] of Object.entries(VENDOR_FILES)) app.get(`/assets/vendor/${name}`, (_req, res) => res.sendFile(file));
  app.use('/assets', express.static(PUBLIC_DIR, { index: false }));
  const campaignsPage = renderPage(CAMPAIGNS_PAGE);
  const campaignPage = renderPage(CAMPAIGN_PAGE);
  app.get('/', (_req, res) => res.type('html').send(campaignsPage));
  app.get('/campaigns/:id', (_req, res) => res.type('html').send(campaignPage));

  app.get('/api/session', (_req, res) => res.json({ actionsEnabled: policy.actionsEnabled, tokenForReads: policy.tokenForReads }));
  app.get('/api/campaigns', handle(async (_req, res) => res.json(await listCampaigns(services.db))));
  app.get(
    '/api/campaigns/:id',
    handle(async (req, res) => {
      const report = await campaignStatus(services.db, String(req.params.id), services.steps);
      if (!report) return res.status(404).json({ error: `campaign ${String(req.params.id)} does not exist` });
      res.json(report);
    }),
  );
  app.get(
    '/api/campaigns/:id/charts',
    handle(async (req, res) => {
      const report = await campaignStatus(services.db, String(req.params.id), services.steps);
      if (!report) return res.status(404).json({ error: `campaign ${String(req.params.id)} does not exist` });
      res.json(await campaignCharts(services.db, report));
    }),
  );
  app.post(
    '/api/campaigns/:id/:action',
    handle(async (req, res) => {
      const action = String(req.params.action);
      if (!isCampaignAction(action)) return res.status(404).json({ error: `no action ${action} (pause, resume, cancel)` });
      if (!policy.actionsEnabled) return res.status(403).json({ error: 'actions are off: start the dashboard with --token T (or TAPIR_DASHBOARD_TOKEN) to pause, resume or cancel' });
      if (!requestHasToken(req, token)) return res.status(401).json({ error: 'pause, resume and cancel need the token (Authorization: Bearer <token>)' });
      const outcome = await runCampaignAction(services, String(req.params.id), action);
      res.status(outcome.ok ? 200 : 409).json(outcome);
    }),
  );

  const metrics = new DashboardMetrics(services);
  app.get(
    '/metrics',
    handle(async (_req, res) => {
      res.type(metrics.contentType).send(await metrics.render());
    }),
  );

  // bull-board as it comes, over every queue of the step registry. Read-only: a job retried or
  // removed behind tapir's back would bypass pause and cancel; tapir's own buttons do that.
  const board = new ExpressAdapter();
  board.setBasePath('/queues');
  createBullBoard({ queues: services.queues.all().map((q) => new BullMQAdapter(q, { readOnlyMode: true })), serverAdapter: board });
  app.use('/queues', withoutExternalFonts, board.getRouter());

  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    services.logger.error({ err: err instanceof Error ? err.message : String(err) }, 'dashboard request failed');
    if (!res.headersSent) res.status(500).json({ error: err instanceof Error ? err.message : String(err) });
  });
  return app;
}
