import type { CampaignStatus } from '@tapir/pipeline';

function table(rows: (string | number)[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => String(r[i] ?? '').length)));
  return rows.map((r) => '  ' + r.map((cell, i) => String(cell).padEnd(widths[i]!)).join('  ').trimEnd());
}

function histogramBar(count: number, max: number, width = 40): string {
  return max === 0 ? '' : '#'.repeat(Math.round((count / max) * width));
}

/** The human-readable `tapir status`. */
export function formatStatus(s: CampaignStatus): string {
  const out: string[] = [];
  const c = s.campaign;
  out.push(`campaign ${c.id} (${c.name}) round ${c.round}: ${c.status}${c.message ? ` - ${c.message}` : ''}`);
  out.push(
    `items ${s.items.total} (judged ${s.items.judged}, pending ${s.items.pending}, failed ${s.items.failed}; ` +
      `${s.items.duplicatesSkipped} duplicates and ${s.items.badRows} bad rows skipped at import)`,
  );
  const conv = s.items.conversations;
  if (conv && (conv.withSystemPrompt > 0 || conv.multiTurn > 0)) {
    out.push(
      `conversations: ${conv.withSystemPrompt} with a system prompt, ${conv.multiTurn} multi-turn; ` +
        (conv.turns === 'all' ? `${conv.followUpTurns} follow-up turn(s) kept (import.turns: all)` : `${conv.followUpTurnsCut} follow-up turn(s) cut (import.turns: first)`),
    );
  }
  for (const warning of s.warnings ?? []) out.push(warning);
  out.push('', 'steps');
  out.push(...table([['step', 'done', 'failed', 'total'], ...s.steps.map((st) => [st.step, st.done, st.failed, st.total])]));

  const clean = s.clean;
  if (clean.kept + clean.dropped + clean.pending > 0) {
    out.push('', `clean: kept ${clean.kept}, dropped ${clean.dropped}${clean.pending > 0 ? `, ${clean.pending} not judged yet` : ''}`);
    if (clean.dropped > 0) out.push(...table([['reason', 'items'], ...Object.entries(clean.droppedByReason)]));
    const benchmarks = Object.entries(clean.contaminatedByBenchmark).map(([name, n]) => `${name} ${n}`);
    if (benchmarks.length > 0) out.push(`  contaminated by: ${benchmarks.join(', ')}`);
  }

  if (s.failures.length > 0) {
    out.push('', 'failures');
    for (const f of s.failures.slice(0, 10)) {
      out.push(`  ${f.count} x ${f.step}: ${f.reason} (items ${f.sampleItemIds.join(', ')})`);
    }
  }

  if (s.mfd.count > 0) {
    out.push('', `MFD (teacher - student score), ${s.mfd.count} items, mean ${s.mfd.mean}`);
    const max = Math.max(...s.mfd.histogram.map((b) => b.count));
    for (const b of s.mfd.histogram) {
      if (b.count === 0) continue;
      out.push(`  [${String(b.from).padStart(3)}, ${String(b.to).padStart(3)}) ${String(b.count).padStart(6)} ${histogramBar(b.count, max)}`);
    }
  }

  if (s.selection) {
    const sel = s.selection;
    out.push(
      '',
      `plan: ${sel.hard} hard + ${sel.easyKept} easy selected of ${sel.measured} judged ` +
        `(${sel.droppedBySelection} below delta, ${sel.droppedByRebalance} over quota); ` +
        `${sel.planned} rows (${sel.repeats} repeats) for target ${sel.targetSize}` +
        (sel.shortfall ? `; ${sel.shortfall} short: every category is at its repetition cap (rebalance.maxRepeats)` : ''),
    );
    // Rounds planned before issue 19 did not record these; their status reads as it always did.
    if (sel.hardShareExported !== undefined) {
      out.push(`hard share: target ${sel.hardShareTarget}, exported ${sel.hardShareExported} (planned rows), pool ${sel.hardSharePool ?? '-'}`);
      out.push(...limitLines(sel.limitedBy ?? [], '  limited by '));
    }
    const names = Object.keys({ ...s.categories.before, ...s.categories.after })
      .filter((n) => (s.categories.after[n] ?? 0) + (s.categories.before[n] ?? 0) > 0)
      .sort((a, b) => (s.categories.after[b] ?? 0) - (s.categories.after[a] ?? 0));
    out.push(
      ...table([
        ['category', 'pool', 'selected', 'quota', 'planned'],
        ...names.map((n) => [n, s.categories.before[n] ?? 0, s.categories.selected[n] ?? 0, s.categories.quotas[n] ?? 0, s.categories.after[n] ?? 0]),
      ]),
    );
    // Only categories filled by something other than their seeds: the common case stays one table.
    const filled = Object.entries(s.categories.fill ?? {}).filter(([, f]) => f.expansion + f.synthesis > 0);
    if (filled.length > 0) {
      out.push('filled by (planned rows): ' + filled.map(([n, f]) => `${n}: seeds ${f.seeds}, expansion ${f.expansion}, synthesis ${f.synthesis}, repeats ${f.repeats}`).join('; '));
    }
  }

  // One source is the pool itself; the table only says something when there are several.
  if ((s.sources ?? []).length > 1) {
    out.push('', 'sources');
    out.push(
      ...table([
        ['source', 'items', 'hard share', 'planned', 'wanted'],
        ...s.sources.map((src) => [src.name, src.items, src.hardShare ?? '-', src.plannedRows ?? '-', src.wantedRows ?? '-']),
      ]),
    );
  }

  if (s.stages.length > 0) {
    out.push('', 'stages');
    out.push(...table([['stage', 'rows', 'MFD min', 'MFD max'], ...s.stages.map((st) => [st.stage, st.count, st.mfdMin ?? '-', st.mfdMax ?? '-'])]));
  }

  if (s.rounds.length > 1 || s.plan.rounds > 1) out.push('', ...formatRounds(s));

  if (s.llm.length > 0) {
    out.push('', 'LLM calls');
    out.push(
      ...table([
        ['role', 'sent', 'ok', 'failed', 'in flight', 'abandoned', 'from ledger', 'tokens in', 'tokens out', 'cost USD', 'mean ms'],
        ...s.llm.map((u) => [
          u.role,
          u.calls,
          u.completed,
          u.failed,
          u.pending,
          u.abandoned,
          u.servedFromLedger,
          u.inputTokens,
          u.outputTokens,
          u.costUsd.toFixed(4),
          u.meanLatencyMs ?? '-',
        ]),
      ]),
    );
    const abandoned = s.llm.reduce((a, u) => a + u.abandoned, 0);
    if (abandoned > 0) {
      const twice = s.llm.reduce((a, u) => a + u.mayHaveBeenBilledTwice, 0);
      const twiceUsd = s.llm.reduce((a, u) => a + u.mayHaveBeenBilledTwiceUsd, 0);
      out.push(
        `  ${abandoned} requests abandoned by a stopped worker (sent, answer never recorded; the provider may have billed them); ` +
          `${twice} of them (${Math.round((twice / abandoned) * 100)}%) were answered again, so up to ${twice} requests ` +
          `($${twiceUsd.toFixed(4)}) may have been billed twice`,
      );
    }
  }
  const b = s.budget;
  if (b.maxUsd !== null || b.maxTokens !== null) {
    const parts = [];
    if (b.maxUsd !== null) parts.push(`$${b.spentUsd.toFixed(4)} of $${b.maxUsd}`);
    if (b.maxTokens !== null) parts.push(`${b.spentTokens} of ${b.maxTokens} tokens`);
    out.push('', `budget: ${parts.join(', ')} spent${b.inFlightUsd > 0 ? ` ($${b.inFlightUsd.toFixed(4)} reserved in flight)` : ''}`);
  }
  return out.join('\n');
}

/** A round's limits, the first few in full: a round limited in every category would fill a screen. */
function limitLines(lines: readonly string[], prefix: string, shown = 6): string[] {
  const out = lines.slice(0, shown).map((line) => prefix + line);
  if (lines.length > shown) out.push(`${prefix}${lines.length - shown} more categories (tapir status --json lists them all)`);
  return out;
}

const fmt = (x: number | null | undefined, digits = 2) => (x === null || x === undefined ? '-' : x.toFixed(digits));

/** Every round side by side: which student, how much it still had to learn, what was planned. */
function formatRounds(s: CampaignStatus): string[] {
  const out: string[] = [];
  const ifd = s.plan.signal !== 'mfd';
  out.push(`rounds (${s.rounds.length} of ${s.plan.rounds}; difficulty signal ${s.plan.signal})`);
  // Target and exported hard share are columns once a round recorded them (planned since issue
  // 19); the pool's share, which this table always showed, is then named as such.
  const shares = s.rounds.some((r) => r.plan?.hardShareExported !== undefined);
  out.push(
    ...table([
      [
        'round',
        'student',
        'state',
        'measured',
        'hard',
        ...(shares ? ['pool hard share', 'target', 'exported'] : ['hard share']),
        'MFD mean',
        ...(ifd ? ['IFD mean'] : []),
        'selected',
        'planned',
        'repeats',
        'expanded',
        'stages',
      ],
      ...s.rounds.map((r) => [
        r.round,
        r.studentModel,
        r.state,
        r.measured,
        r.hard,
        fmt(r.hardShare, 3),
        ...(shares ? [fmt(r.plan?.hardShareTarget, 2), fmt(r.plan?.hardShareExported, 3)] : []),
        fmt(r.mfd.mean),
        ...(ifd ? [fmt(r.ifd?.mean, 3)] : []),
        r.plan?.selected ?? '-',
        r.plan?.planned ?? '-',
        r.plan?.repeats ?? '-',
        r.plan?.expanded ?? '-',
        r.plan ? r.plan.stageSizes.join('/') : '-',
      ]),
    ]),
  );
  for (const r of s.rounds) {
    out.push(...limitLines(r.plan?.limitedBy ?? [], `  round ${r.round} limited by `));
  }
  const withMfd = s.rounds.filter((r) => r.mfd.count > 0);
  if (withMfd.length > 0) {
    out.push('', 'MFD histogram per round (items per bin)');
    const bins = withMfd[0]!.mfd.histogram.map((b, i) => ({ label: `[${b.from}, ${b.to})`, counts: withMfd.map((r) => r.mfd.histogram[i]?.count ?? 0) }));
    const used = bins.filter((b) => b.counts.some((c) => c > 0));
    out.push(...table([['MFD', ...withMfd.map((r) => `round ${r.round}`)], ...used.map((b) => [b.label, ...b.counts])]));
  }
  const categories = [...new Set(s.rounds.flatMap((r) => Object.keys(r.categories)))].sort();
  if (categories.length > 0) {
    out.push('', `per category: hard share (mean ${s.plan.signal === 'ifd' ? 'IFD' : 'MFD'}) per round`);
    out.push(
      ...table([
        ['category', ...s.rounds.map((r) => `round ${r.round}`)],
        ...categories.map((c) => [
          c,
          ...s.rounds.map((r) => {
            const m = r.categories[c];
            if (!m || m.measured === 0) return '-';
            const mean = s.plan.signal === 'ifd' ? m.ifdMean : m.mfdMean;
            return `${(m.hard / m.measured).toFixed(2)} (${fmt(mean)})`;
          }),
        ]),
      ]),
    );
  }
  return out;
}
