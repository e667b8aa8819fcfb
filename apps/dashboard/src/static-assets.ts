import path from 'node:path';

/** The page scripts, styles and HTML shipped with the dashboard (apps/dashboard/public). */
export const PUBLIC_DIR = path.resolve(__dirname, '..', 'public');

/**
 * The charting library's browser builds, served from node_modules (the machine may have no
 * internet, and a CDN would leak who looks at what).
 */
export const VENDOR_FILES: Record<string, string> = {
  // Neither package exports its browser build: found beside the CommonJS entry, in the same dist/.
  'chart.umd.js': path.join(path.dirname(require.resolve('chart.js')), 'chart.umd.min.js'),
  'chartjs-chart-matrix.min.js': path.join(path.dirname(require.resolve('chartjs-chart-matrix')), 'chartjs-chart-matrix.min.js'),
};
