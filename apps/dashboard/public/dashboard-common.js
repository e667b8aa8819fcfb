/* Helpers shared by the dashboard's pages (plain browser script, no build step). */
'use strict';
const tapir = (() => {
  const escapeHtml = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const usd = (v) => (v === null || v === undefined ? '–' : `$${Number(v).toFixed(Number(v) < 1 ? 4 : 2)}`);
  const pct = (v) => (v === null || v === undefined ? '–' : `${(100 * v).toFixed(1)}%`);
  async function getJson(url) {
    const res = await fetch(url, { headers: { accept: 'application/json' }, credentials: 'same-origin' });
    if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
    return res.json();
  }
  /** Overall progress of a status document: settled work over known work, as the projection counts it. */
  function progressOf(status) {
    const total = status.steps.reduce((a, s) => a + s.total, 0);
    const settled = status.steps.reduce((a, s) => a + Math.min(s.total, s.done + s.failed), 0);
    return status.campaign.status === 'completed' ? 1 : total > 0 ? settled / total : 0;
  }
  /** Polls `fn` every `ms`, never two at once; a failed poll is shown and retried. */
  function every(ms, fn, onError) {
    let stopped = false;
    const tick = async () => {
      try { await fn(); } catch (err) { onError(err); }
      if (!stopped) setTimeout(tick, ms);
    };
    tick();
    return () => { stopped = true; };
  }
  const palette = ['#2f6fed', '#f79009', '#12b76a', '#9e77ed', '#f04438', '#0ba5ec', '#ee46bc', '#667085', '#854d0e', '#155e75'];
  return { escapeHtml, usd, pct, getJson, progressOf, every, palette };
})();
