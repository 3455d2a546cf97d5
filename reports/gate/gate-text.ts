// The gate's one-screen explanation: verdict line first, then what failed (measured vs limit),
// then regressions against the baseline, then what passed, briefly.

import type { RunRecord } from '../record/record-schema.ts';
import type { FigureDiff } from './compare-runs.ts';
import type { GateResult } from './evaluate-gate.ts';

export function fmtFigure(unit: FigureDiff['unit'], v: number | null): string {
  if (v === null) return '–';
  if (unit === 'ms') return `${v.toFixed(v < 10 ? 1 : 0)} ms`;
  if (unit === 'ratio') return `${(v * 100).toFixed(2)} %`;
  if (unit === 'usd') return `$${v.toPrecision(3)}`;
  return `${v.toFixed(1)}/s`;
}

export const fmtChange = (c: number | null) => (c === null ? '' : `${c >= 0 ? '+' : ''}${(c * 100).toFixed(1)} %`);

export function gateText(record: RunRecord, result: GateResult): string {
  const failed = result.objectives.filter((o) => !o.pass);
  const passed = result.objectives.filter((o) => o.pass);
  const head = `${result.pass ? 'PASS' : 'FAIL'}  ${record.run.id}  (${record.totals.requests} requests, ${record.run.profile ?? 'unknown profile'}; SLO ${result.sloName})`;
  const out = [head];
  const untrusted = failed.filter((o) => o.trust);
  if (untrusted.length) out.push('  Latency figures cannot be trusted: the run itself was not sound (below).');
  for (const o of failed) out.push(`  - FAILED ${o.detail}`);
  const c = result.comparison;
  if (c) {
    if (c.regressions.length === 0)
      out.push(`  - No regression against baseline ${c.baselineId} beyond ${+(c.tolerance * 100).toFixed(1)} %.`);
    for (const r of c.regressions) {
      out.push(
        `  - REGRESSION ${r.figure}: ${fmtFigure(r.unit, r.run)} vs ${fmtFigure(r.unit, r.baseline)} in baseline ${c.baselineId} (${fmtChange(r.change)}, tolerance ${+(c.tolerance * 100).toFixed(1)} %).`,
      );
    }
  }
  for (const o of passed) out.push(`  - ${o.detail}`);
  if (!result.pass)
    out.push(
      'First: open report.html in the run directory; the failed objectives above name the journey and the limit.',
    );
  return `${out.join('\n')}\n`;
}
