'use strict';
/* The campaign list: `tapir list --json` plus each campaign's progress and spend from its status. */
(() => {
  const body = document.getElementById('campaigns');
  const updated = document.getElementById('updated');
  async function refresh() {
    const list = await tapir.getJson('/api/campaigns');
    if (list.length === 0) {
      body.innerHTML = '<tr><td colspan="7" class="muted">No campaigns yet: create one with <code>tapir campaign create</code>.</td></tr>';
      return;
    }
    const statuses = await Promise.all(list.map((c) => tapir.getJson(`/api/campaigns/${encodeURIComponent(c.id)}`).catch(() => null)));
    body.innerHTML = list
      .map((c, i) => {
        const s = statuses[i];
        const progress = s ? tapir.progressOf(s) : 0;
        const e = tapir.escapeHtml;
        return `<tr>
          <td><a href="/campaigns/${encodeURIComponent(c.id)}">${e(c.name)}</a><div class="muted">${e(c.id)}</div></td>
          <td><span class="status ${e(c.status)}">${e(c.status)}</span></td>
          <td class="num">${c.round}</td>
          <td class="num">${c.items.toLocaleString()}</td>
          <td><div class="bar" title="${tapir.pct(progress)}"><span style="width:${(100 * progress).toFixed(1)}%"></span></div><span class="muted">${tapir.pct(progress)}</span></td>
          <td class="num">${s ? tapir.usd(s.budget.spentUsd) : '–'}${s && s.budget.maxUsd !== null ? ` <span class="muted">of ${tapir.usd(s.budget.maxUsd)}</span>` : ''}</td>
          <td>${e(new Date(c.createdAt).toLocaleString())}</td>
        </tr>`;
      })
      .join('');
    updated.textContent = `Updated ${new Date().toLocaleTimeString()}.`;
  }
  tapir.every(3000, refresh, (err) => { updated.textContent = `Update failed: ${err.message}`; });
})();
