import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PUBLIC_DIR } from './static-assets';

export interface DashboardPage {
  title: string;
  /** The page's <main>, a fragment in public/ (NAME.body.html). */
  body: string;
  /** Page scripts after the shared ones, in order. */
  scripts: readonly string[];
}

const escapeHtml = (text: string) => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** Every page's head, navigation and shared script around its own <main>, read once at start. */
export function renderPage(page: DashboardPage): string {
  const main = readFileSync(path.join(PUBLIC_DIR, page.body), 'utf8');
  const scripts = ['/assets/dashboard-common.js', ...page.scripts];
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${escapeHtml(page.title)}</title>
  <link rel="icon" href="data:,">
  <link rel="stylesheet" href="/assets/dashboard.css">
</head>
<body>
  <header><span class="brand">tapir</span><a href="/">Campaigns</a><a href="/queues">Queues</a><a href="/metrics">Metrics</a></header>
${main}${scripts.map((src) => `  <script src="${escapeHtml(src)}"></script>\n`).join('')}</body>
</html>
`;
}

export const CAMPAIGNS_PAGE: DashboardPage = { title: 'tapir dashboard', body: 'index.body.html', scripts: ['/assets/campaigns.js'] };
export const CAMPAIGN_PAGE: DashboardPage = {
  title: 'tapir campaign',
  body: 'campaign.body.html',
  // The charting library and its heat-map plugin before the page script that uses them.
  scripts: ['/assets/vendor/chart.umd.js', '/assets/vendor/chartjs-chart-matrix.min.js', '/assets/campaign.js'],
};
