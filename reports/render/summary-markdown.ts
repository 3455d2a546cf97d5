// A short Markdown summary for a CI job summary (e.g. $GITHUB_STEP_SUMMARY): verdict, headline
// numbers, the busiest journeys, and input warnings. Every data string is escaped.

import { crossCheck } from '../analyse/k6-cross-check.ts';
import { judgeRun, type Verdict } from '../analyse/verdict.ts';
import type { RunRecord } from '../record/record-schema.ts';
import type { RunAnalysis } from '../analyse/analyse-run.ts';
import { fmtChange, fmtFigure } from '../gate/gate-text.ts';
import { escapeMarkdown as md } from './escape.ts';
import { fmtDuration, fmtInt, fmtMs, fmtPct, fmtRate } from './format.ts';
import { plainHttpNotice } from './transport-notice.ts';

const MAX_JOURNEYS = 10;

export function renderSummaryMarkdown(
  record: RunRecord,
  verdict: Verdict = judgeRun(record),
  analysis?: RunAnalysis,
): string {
  const t = record.totals;
  const r = record.run;
  const icon = verdict.status === 'PASS' ? '✅' : '❌';
  const notice = plainHttpNotice(record);
  const lines: string[] = [
    `### ${icon} ${verdict.status}: load test ${md(r.id)}`,
    '',
    ...(verdict.untrusted.length
      ? [`**Latency figures cannot be trusted:** ${verdict.untrusted.map(md).join(' ')}`, '']
      : []),
    ...(notice ? [`**${md(notice)}**`, ''] : []),
    ...verdict.reasons.map((x) => `- ${md(x)}`),
    '',
    `${r.profile ? `Profile ${md(r.profile)} · ` : ''}${r.target.baseUrl ? `${md(r.target.baseUrl)} · ` : ''}${fmtDuration(r.durationS)} · ${r.runners.length} runner(s)`,
    '',
    '| Requests | Rate (mean / peak) | Error rate | p95 | p99 | Dropped iterations |',
    '|---:|---:|---:|---:|---:|---:|',
    `| ${fmtInt(t.requests)} | ${fmtRate(t.achievedRate)} / ${fmtRate(t.peakRate)} | ${fmtPct(t.errorRate)} | ${fmtMs(t.latency.p95)} | ${fmtMs(t.latency.p99)} | ${fmtInt(t.droppedIterations)} (${fmtPct(t.droppedRate)}) |`,
  ];
  const journeys = [...record.journeys].sort((a, b) => b.requests - a.requests);
  if (journeys.length > 0) {
    lines.push('', '| Journey | Requests | Errors | p95 | p99 |', '|---|---:|---:|---:|---:|');
    for (const j of journeys.slice(0, MAX_JOURNEYS)) {
      lines.push(
        `| ${md(j.name)} | ${fmtInt(j.requests)} | ${fmtInt(j.failed)} (${fmtPct(j.errorRate)}) | ${fmtMs(j.latency.p95)} | ${fmtMs(j.latency.p99)} |`,
      );
    }
    if (journeys.length > MAX_JOURNEYS)
      lines.push('', `…and ${journeys.length - MAX_JOURNEYS} more journeys in report.html.`);
  }
  if (analysis) lines.push(...analysisLines(analysis));
  const warnings: string[] = [];
  if (record.input.corruptLines > 0)
    warnings.push(`${fmtInt(record.input.corruptLines)} corrupt sample line(s) skipped`);
  if (record.input.lateSamples > 0)
    warnings.push(`${fmtInt(record.input.lateSamples)} late sample(s) missing from the timeline`);
  const x = crossCheck(record);
  if (x.requestsMatch === false)
    warnings.push(`k6 summary counted ${fmtInt(x.k6Requests)} requests, the record ${fmtInt(x.recordRequests)}`);
  if (warnings.length > 0) lines.push('', `**Input:** ${warnings.join('; ')}.`);
  lines.push('', 'Full report with charts: `report.html` in the run directory.', '');
  return lines.join('\n');
}

function analysisLines(a: RunAnalysis): string[] {
  const out: string[] = [];
  const c = a.comparison;
  if (c) {
    out.push(
      '',
      `**Against baseline ${md(c.baselineId)}** (tolerance ${+(c.tolerance * 100).toFixed(1)} %)`,
      '',
      '| Figure | This run | Baseline | Change |',
      '|---|---:|---:|---:|',
    );
    for (const f of c.figures.slice(0, 12)) {
      out.push(
        `| ${f.regression ? '❌ ' : ''}${md(f.figure)} | ${fmtFigure(f.unit, f.run)} | ${fmtFigure(f.unit, f.baseline)} | ${fmtChange(f.change)} |`,
      );
    }
  }
  const cap = a.capacity;
  const bits: string[] = [];
  if (cap.sustainedRateAtSlo !== null)
    bits.push(
      `held ${fmtRate(cap.sustainedRateAtSlo)} (requests) for ${cap.windowS} s within SLO ${md(a.slo.name)}${cap.lowerBound ? ' (never breached: a lower bound)' : ''}`,
    );
  if (cap.rpsPerInstanceAtSlo !== null) bits.push(`${fmtRate(cap.rpsPerInstanceAtSlo)} per instance`);
  if (cap.bottleneck) bits.push(`bottleneck ${cap.bottleneck.tier} (CPU p95 ${cap.bottleneck.p95.toFixed(0)} %)`);
  const b = a.scaling?.breaches[0];
  if (b)
    bits.push(
      `first breach → new capacity in ${b.timeToCapacityS === null ? 'never' : fmtDuration(b.timeToCapacityS)}`,
    );
  if (bits.length) out.push('', `**Capacity:** ${bits.join('; ')}.`);
  const r = a.recommendation;
  if (r)
    out.push(
      '',
      `**Sale day:** hold ${r.minimumInstances} × ${md(r.projection.instanceType)} for a peak of ${fmtRate(r.peak.peakRps)} (requests); pre-scale ${r.preScaleMinutesBefore} min before the peak; about $${r.projection.total.toFixed(2)}${r.modelled ? ' (modelled)' : ''}.`,
    );
  const cost = a.cost;
  if (cost && cost.perRequest !== null) {
    const parts = [`$${(cost.perRequest * 1e6).toFixed(2)} per million requests`];
    if (cost.perCompletedOrder !== null) parts.push(`$${cost.perCompletedOrder.toFixed(4)} per completed order`);
    parts.push(`$${cost.total.toFixed(2)} for the window`);
    const top = Object.entries(cost.byComponent ?? {})
      .filter(([, v]) => v > 0)
      .sort((x, y) => y[1] - x[1])
      .slice(0, 4)
      .map(([k, v]) => `${md(k)} $${v.toFixed(2)}`);
    out.push(
      '',
      `**Cost:** ${parts.join('; ')}${cost.modelled ? ' (modelled)' : ''}, ${md(cost.region)} price book of ${md(cost.priceBookAsOf)}.${top.length ? ` By component: ${top.join(', ')}.` : ''}` +
        `${cost.rehearsal && cost.rehearsal.total > 0 ? ` The rehearsal itself (runner fleet, S3, CloudWatch): $${cost.rehearsal.total.toFixed(2)}.` : ''}`,
    );
  }
  const o = a.orders;
  if (o?.clean)
    out.push(
      '',
      `**Orders:** ${fmtInt(o.accepted)} accepted, reconciled by id with ${md(o.where)}: none missing, duplicated, oversold or unseen.`,
    );
  if (o && o.findings.length)
    out.push(
      '',
      `**Orders (by id, ${md(o.source)}):** ${o.findings.map((f) => `${f.kind} ${fmtInt(f.count)}`).join(', ')}.`,
      ...o.findings.map((f) => `- ${md(f.explanation)}`),
    );
  if (o?.notChecked.length) out.push('', `**Orders not checked:** ${o.notChecked.map(md).join(' ')}`);
  const k = a.checkout;
  if ((!o || o.source === 'none') && k && k.missing !== null && k.missing > 0)
    out.push(
      '',
      `**Orders:** ${fmtInt(k.missing)} accepted checkout(s) not persisted (${fmtInt(k.accepted)} accepted, ${fmtInt(k.persisted)} persisted).`,
    );
  return out;
}
