// A short Markdown summary for a CI job summary (e.g. $GITHUB_STEP_SUMMARY): verdict, headline
// numbers, the busiest journeys, and input warnings. Every data string is escaped.

import { crossCheck } from '../analyse/k6-cross-check.ts';
import { judgeRun, type Verdict } from '../analyse/verdict.ts';
import type { RunRecord } from '../record/record-schema.ts';
import { escapeMarkdown as md } from './escape.ts';
import { fmtDuration, fmtInt, fmtMs, fmtPct, fmtRate } from './format.ts';

const MAX_JOURNEYS = 10;

export function renderSummaryMarkdown(record: RunRecord, verdict: Verdict = judgeRun(record)): string {
  const t = record.totals;
  const r = record.run;
  const icon = verdict.status === 'PASS' ? '✅' : '⚠️';
  const lines: string[] = [
    `### ${icon} ${verdict.status}: load test ${md(r.id)}`,
    '',
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
      lines.push(`| ${md(j.name)} | ${fmtInt(j.requests)} | ${fmtInt(j.failed)} (${fmtPct(j.errorRate)}) | ${fmtMs(j.latency.p95)} | ${fmtMs(j.latency.p99)} |`);
    }
    if (journeys.length > MAX_JOURNEYS) lines.push('', `…and ${journeys.length - MAX_JOURNEYS} more journeys in report.html.`);
  }
  const warnings: string[] = [];
  if (record.input.corruptLines > 0) warnings.push(`${fmtInt(record.input.corruptLines)} corrupt sample line(s) skipped`);
  if (record.input.lateSamples > 0) warnings.push(`${fmtInt(record.input.lateSamples)} late sample(s) missing from the timeline`);
  const x = crossCheck(record);
  if (x.requestsMatch === false) warnings.push(`k6 summary counted ${fmtInt(x.k6Requests)} requests, the record ${fmtInt(x.recordRequests)}`);
  if (warnings.length > 0) lines.push('', `**Input:** ${warnings.join('; ')}.`);
  lines.push('', 'Full report with charts: `report.html` in the run directory.', '');
  return lines.join('\n');
}
