// junit.xml for CI test panels: one testsuite per run, one testcase per SLO objective (and one per
// baseline figure when a baseline was given); a failure carries the measured value and the limit.

import type { GateResult } from './evaluate-gate.ts';
import { fmtChange, fmtFigure } from './gate-text.ts';

const x = (s: string) =>
  s
    .replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!)
    // XML 1.0 forbids most control characters even escaped.
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

export function renderJunitXml(runId: string, result: GateResult): string {
  const cases: string[] = [];
  for (const o of result.objectives) {
    const body = o.pass
      ? ''
      : `<failure message="${x(o.detail)}" type="slo">measured: ${x(String(o.measured ?? 'not measured'))}\nlimit: ${x(String(o.limit))} (${o.unit})</failure>`;
    cases.push(`    <testcase classname="rehearse.slo.${x(result.sloName)}" name="${x(o.id)}">${body}</testcase>`);
  }
  const c = result.comparison;
  if (c) {
    for (const f of c.figures) {
      const msg = `${f.figure}: ${fmtFigure(f.unit, f.run)} vs baseline ${fmtFigure(f.unit, f.baseline)} ${fmtChange(f.change)}`;
      const body = f.regression
        ? `<failure message="${x(msg)}" type="regression">tolerance ${+(c.tolerance * 100).toFixed(1)} %</failure>`
        : '';
      cases.push(
        `    <testcase classname="rehearse.baseline.${x(c.baselineId)}" name="${x(f.figure)}">${body}</testcase>`,
      );
    }
  }
  const failures = result.objectives.filter((o) => !o.pass).length + (c?.regressions.length ?? 0);
  return `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="rehearse" tests="${cases.length}" failures="${failures}">
  <testsuite name="${x(runId)}" tests="${cases.length}" failures="${failures}" errors="0">
${cases.join('\n')}
  </testsuite>
</testsuites>
`;
}
