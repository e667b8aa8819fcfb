'use strict';
/* One campaign: `tapir status --json` (/api/campaigns/<id>) and the charts' extras (/charts), polled. */
(() => {
  const id = decodeURIComponent(location.pathname.split('/').pop());
  const $ = (sel) => document.getElementById(sel);
  const e = tapir.escapeHtml;
  const charts = {};
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;

  /** Creates the chart once, then swaps its data in place on every poll. */
  function draw(name, config) {
    const existing = charts[name];
    if (existing) {
      existing.data = config.data;
      existing.update('none');
      return existing;
    }
    charts[name] = new Chart($(`chart-${name}`), config);
    return charts[name];
  }
  const color = (i) => tapir.palette[i % tapir.palette.length];
  const histogramLabels = (bins) => bins.map((b) => `${b.from}`);

  function drawSteps(status) {
    const steps = status.steps;
    draw('steps', {
      type: 'bar',
      data: {
        labels: steps.map((s) => s.step),
        datasets: [
          { label: 'done', data: steps.map((s) => s.done), backgroundColor: '#12b76a' },
          { label: 'failed', data: steps.map((s) => s.failed), backgroundColor: '#f04438' },
          { label: 'to do', data: steps.map((s) => Math.max(0, s.total - s.done - s.failed)), backgroundColor: '#e4e7ec' },
        ],
      },
      options: { indexAxis: 'y', scales: { x: { stacked: true, title: { display: true, text: 'items' } }, y: { stacked: true } } },
    });
  }

  function drawTimeline(timeline) {
    draw('timeline', {
      type: 'line',
      data: {
        labels: timeline.times.map((t) => new Date(t).toLocaleTimeString()),
        datasets: timeline.steps.map((s, i) => ({ label: s.step, data: s.cumulative, borderColor: color(i), backgroundColor: color(i), pointRadius: 0, borderWidth: 2 })),
      },
      options: { scales: { y: { beginAtZero: true, title: { display: true, text: 'requests' } }, x: { ticks: { maxTicksLimit: 8 } } } },
    });
  }

  function drawHistograms(status, charts) {
    const rounds = status.rounds.filter((r) => r.mfd.count > 0);
    const bins = rounds[0] ? rounds[0].mfd.histogram : status.mfd.histogram;
    draw('mfd', {
      type: 'bar',
      data: {
        labels: histogramLabels(bins),
        datasets: (rounds.length ? rounds : [{ round: status.campaign.round, mfd: status.mfd }]).map((r, i) => ({
          label: `round ${r.round}`, data: r.mfd.histogram.map((b) => b.count), backgroundColor: color(i),
        })),
      },
      options: { scales: { x: { title: { display: true, text: 'MFD (bin from)' } }, y: { beginAtZero: true, title: { display: true, text: 'items' } } } },
    });
    $('card-ifd').hidden = charts.ifd.length === 0;
    if (charts.ifd.length > 0) {
      draw('ifd', {
        type: 'bar',
        data: {
          labels: histogramLabels(charts.ifd[0].histogram),
          datasets: charts.ifd.map((r, i) => ({ label: `round ${r.round}`, data: r.histogram.map((b) => b.count), backgroundColor: color(i) })),
        },
        options: { scales: { x: { title: { display: true, text: 'IFD (bin from)' } }, y: { beginAtZero: true } } },
      });
    }
  }

  function drawMix(status) {
    const c = status.categories;
    // Categories with nothing anywhere (a quota of 0 and no item) would only crowd the axis.
    const names = [...new Set([...Object.keys(c.quotas), ...Object.keys(c.before), ...Object.keys(c.selected), ...Object.keys(c.after)])]
      .filter((n) => (c.quotas[n] || 0) + (c.before[n] || 0) + (c.selected[n] || 0) + (c.after[n] || 0) > 0)
      .sort((a, b) => (c.before[b] || 0) - (c.before[a] || 0) || a.localeCompare(b));
    const series = [['target', c.quotas, '#98a2b3'], ['pool', c.before, '#2f6fed'], ['selected', c.selected, '#f79009'], ['planned', c.after, '#12b76a']];
    draw('mix', {
      type: 'bar',
      data: { labels: names, datasets: series.map(([label, counts, bg]) => ({ label, data: names.map((n) => counts[n] || 0), backgroundColor: bg })) },
      options: { scales: { y: { beginAtZero: true, title: { display: true, text: 'items' } }, x: { ticks: { autoSkip: false, maxRotation: 60, minRotation: 45 } } } },
    });
  }

  function drawHeatmap(heatmap) {
    $('heatmap-note').textContent = heatmap.categories.length ? 'Current round; stage 1 is the easiest.' : 'No plan yet for this round: it is drawn once every item is measured.';
    const points = [];
    heatmap.categories.forEach((category, ci) => heatmap.stages.forEach((stage, si) => points.push({ x: `stage ${stage}`, y: category, v: heatmap.cells[ci][si] })));
    draw('heatmap', {
      type: 'matrix',
      data: {
        datasets: [{
          label: 'planned rows',
          data: points,
          backgroundColor: (ctx) => {
            const v = ctx.raw ? ctx.raw.v : 0;
            const a = heatmap.max > 0 ? 0.08 + 0.92 * (v / heatmap.max) : 0.08;
            return `rgba(47, 111, 237, ${a.toFixed(3)})`;
          },
          borderColor: '#fff', borderWidth: 1,
          width: ({ chart }) => (chart.chartArea || {}).width / Math.max(1, heatmap.stages.length) - 2,
          height: ({ chart }) => (chart.chartArea || {}).height / Math.max(1, heatmap.categories.length) - 2,
        }],
      },
      options: {
        plugins: { legend: { display: false }, tooltip: { callbacks: { title: () => '', label: (ctx) => `${ctx.raw.y}, ${ctx.raw.x}: ${ctx.raw.v} rows` } } },
        scales: {
          x: { type: 'category', labels: heatmap.stages.map((s) => `stage ${s}`), grid: { display: false } },
          y: { type: 'category', labels: heatmap.categories, offset: true, grid: { display: false }, ticks: { autoSkip: false } },
        },
      },
    });
  }

  function drawHardShare(status) {
    const rounds = status.rounds;
    const pctOf = (v) => (v === null || v === undefined ? null : Math.round(v * 1000) / 10);
    draw('hard', {
      type: 'bar',
      data: {
        labels: rounds.map((r) => `round ${r.round}`),
        datasets: [
          { label: 'target', data: rounds.map((r) => pctOf(r.plan && r.plan.hardShareTarget)), backgroundColor: '#98a2b3' },
          { label: 'exported', data: rounds.map((r) => pctOf(r.plan && r.plan.hardShareExported)), backgroundColor: '#12b76a' },
          { label: 'pool', data: rounds.map((r) => pctOf(r.hardShare)), backgroundColor: '#2f6fed' },
        ],
      },
      options: { scales: { y: { beginAtZero: true, max: 100, title: { display: true, text: '% hard' } } } },
    });
  }

  function drawSpend(status, projection) {
    const labels = [...projection.roles.map((r) => r.role), 'total'];
    const datasets = [
      { label: 'spent', data: [...projection.roles.map((r) => r.spentUsd), projection.spentUsd], backgroundColor: '#2f6fed' },
      { label: 'projected at completion', data: [...projection.roles.map((r) => r.projectedUsd), projection.projectedUsd], backgroundColor: '#b2ccff' },
    ];
    // The budget is drawn only when it is on the same scale as the spend; far above, it would flatten every bar.
    const highest = Math.max(projection.spentUsd, projection.projectedUsd || 0);
    const budget = projection.budgetUsd;
    if (budget !== null && budget <= 3 * highest) datasets.push({ label: 'budget', data: [...projection.roles.map(() => null), budget], backgroundColor: '#f79009' });
    draw('spend', { type: 'bar', data: { labels, datasets }, options: { scales: { y: { beginAtZero: true, title: { display: true, text: 'USD' } } } } });
    $('spend-note').textContent =
      (budget === null ? 'No budget. ' : `Budget ${tapir.usd(budget)}: ${tapir.pct(projection.spentUsd / budget)} spent, ${tapir.pct((projection.projectedUsd || 0) / budget)} projected. `) +
      `Projection: spend so far over the share of known work settled (${tapir.pct(projection.workDone)}); steps whose size is known only later (refinement before the plan) raise it when they appear.` +
      (projection.overBudget ? ' At this rate the budget runs out before the round completes: the campaign will pause.' : '');
  }

  /**
   * The clean step's drops by reason (`status.clean`); the kept count only when nothing was
   * dropped, since hundreds kept beside a handful dropped would flatten the drops to nothing.
   */
  function cleanBars(clean) {
    const byReason = Object.entries(clean.droppedByReason || {}).filter(([, n]) => typeof n === 'number' && n > 0);
    return byReason.length > 0 ? byReason.sort((x, y) => y[1] - x[1]) : [['kept', clean.kept || 0]];
  }

  function drawClean(status) {
    const clean = status.clean;
    $('card-clean').hidden = !clean;
    if (!clean) return;
    const bars = cleanBars(clean);
    draw('clean', {
      type: 'bar',
      data: {
        labels: bars.map(([r]) => r),
        datasets: [{ label: 'items', data: bars.map(([, n]) => n), backgroundColor: bars.map(([r]) => (r === 'kept' ? '#12b76a' : '#9e77ed')) }],
      },
      options: { indexAxis: 'y', scales: { x: { beginAtZero: true } } },
    });
    const benchmarks = Object.entries(clean.contaminatedByBenchmark || {}).map(([b, n]) => `${b} ${n}`);
    $('clean-note').textContent =
      `${clean.dropped || 0} dropped, ${clean.kept || 0} kept` + (clean.pending ? `, ${clean.pending} not yet cleaned` : '') +
      (benchmarks.length ? `. Benchmark copies: ${benchmarks.join(', ')}.` : '.');
  }

  function showFigures(status, projection) {
    $('title').textContent = `${status.campaign.name}`;
    document.title = `tapir: ${status.campaign.name}`;
    $('status').textContent = status.campaign.status;
    $('status').className = `status ${status.campaign.status}`;
    $('message').textContent = status.campaign.message || '';
    $('delta').textContent = 'selection.delta';
    const figures = [
      [status.campaign.id, 'campaign'],
      [`${status.campaign.round} of ${status.plan.rounds}`, 'round'],
      [status.items.total.toLocaleString(), 'items'],
      [tapir.pct(tapir.progressOf(status)), 'progress'],
      [status.items.failed.toLocaleString(), 'failed items'],
      [tapir.usd(projection.spentUsd), 'spent'],
      [tapir.usd(projection.projectedUsd), 'projected'],
      [status.budget.maxUsd === null ? 'none' : tapir.usd(status.budget.maxUsd), 'budget'],
    ];
    $('figures').innerHTML = figures.map(([v, k]) => `<div class="figure"><b>${e(v)}</b><span>${e(k)}</span></div>`).join('');
    $('failures').innerHTML = status.failures.length
      ? status.failures.map((f) => `<tr><td>${e(f.step)}</td><td>${e(f.reason)}</td><td class="num">${f.count}</td><td class="muted">${f.sampleItemIds.map((i) => `<code>tapir show ${e(status.campaign.id)} --item ${i}</code>`).slice(0, 2).join(' ')}</td></tr>`).join('')
      : '<tr><td colspan="4" class="muted">No failures.</td></tr>';
  }

  async function refresh() {
    const [status, extras] = await Promise.all([tapir.getJson(`/api/campaigns/${encodeURIComponent(id)}`), tapir.getJson(`/api/campaigns/${encodeURIComponent(id)}/charts`)]);
    showFigures(status, extras.projection);
    drawSteps(status);
    drawTimeline(extras.timeline);
    drawHistograms(status, extras);
    drawMix(status);
    drawHeatmap(extras.heatmap);
    drawHardShare(status);
    drawSpend(status, extras.projection);
    drawClean(status);
    $('updated').textContent = `Updated ${new Date().toLocaleTimeString()}.`;
  }

  const tokenInput = $('token');
  tokenInput.value = sessionStorage.getItem('tapir-dashboard-token') || '';
  async function act(action) {
    const result = $('action-result');
    sessionStorage.setItem('tapir-dashboard-token', tokenInput.value);
    const headers = tokenInput.value ? { authorization: `Bearer ${tokenInput.value}` } : {};
    const res = await fetch(`/api/campaigns/${encodeURIComponent(id)}/${action}`, { method: 'POST', headers, credentials: 'same-origin' });
    const body = await res.json().catch(() => ({}));
    result.className = res.ok ? 'ok' : 'error';
    result.textContent = body.message || body.error || `HTTP ${res.status}`;
    refresh().catch(() => undefined);
  }
  for (const action of ['pause', 'resume', 'cancel']) $(action).addEventListener('click', () => act(action));
  tapir.getJson('/api/session').then((session) => {
    if (!session.actionsEnabled) {
      for (const action of ['pause', 'resume', 'cancel']) $(action).disabled = true;
      $('action-result').textContent = 'Actions are off: the dashboard was started without a token.';
    }
  }).catch(() => undefined);

  tapir.every(2000, refresh, (err) => { $('updated').textContent = `Update failed: ${err.message}`; });
})();
