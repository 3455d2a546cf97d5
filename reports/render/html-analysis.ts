// The report's analysis sections (SLO objectives, baseline comparison, capacity and scaling,
// sale-day recommendation, checkout reconciliation, cost, error breakdown): HTML strings, each
// empty when its data does not exist.

import type { RunAnalysis } from '../analyse/analyse-run.ts';
import type { OrderFindingKind, OrderReconciliation } from '../analyse/orders.ts';
import { fmtChange, fmtFigure } from '../gate/gate-text.ts';
import { escapeHtml as h } from './escape.ts';
import { fmtDuration, fmtInt, fmtPct, fmtRate } from './format.ts';
import { runAndAwsTime } from '../analyse/time-scales.ts';

const num = (v: string, cls = '') => `<td class="n${cls ? ' ' + cls : ''}">${v}</td>`;
const usd = (v: number | null) => (v === null ? '–' : v >= 1 ? `$${v.toFixed(2)}` : `$${v.toPrecision(3)}`);
const rps = (v: number) => `${+v.toFixed(v < 10 ? 2 : v < 100 ? 1 : 0)} requests/s`;
const list = (items: string[]) => `<ul>${items.map((s) => `<li>${s}</li>`).join('')}</ul>`;

export function objectivesSection(a: RunAnalysis): string {
  const g = a.gate;
  const rows = g.objectives.map(
    (o) =>
      `<tr><td>${h(o.id)}</td><td>${o.pass ? 'pass' : '<span class="bad">FAIL</span>'}</td>` +
      `${num(o.unit === 'flag' ? (o.measured === null ? '–' : o.measured ? 'yes' : 'no') : h(fmtFigure(o.unit, o.measured)), o.pass ? '' : 'bad')}` +
      `${num(h(o.unit === 'flag' ? 'yes' : fmtFigure(o.unit, o.limit)))}<td>${h(o.detail)}</td></tr>`,
  );
  return `<h2 id="slo">SLO ${h(g.sloName)}</h2><table><thead><tr><th>objective</th><th>result</th><th class="n">measured</th><th class="n">limit</th><th>detail</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

export function comparisonSection(a: RunAnalysis): string {
  const c = a.comparison;
  if (!c) return '';
  const rows = c.figures.map(
    (f) =>
      `<tr${f.regression ? ' class="regression"' : ''}><td>${h(f.figure)}</td>${num(h(fmtFigure(f.unit, f.run)))}${num(h(fmtFigure(f.unit, f.baseline)))}` +
      `${num(h(fmtChange(f.change)), f.regression ? 'bad' : '')}<td>${f.regression ? '<span class="bad">regression</span>' : ''}</td></tr>`,
  );
  const head =
    c.regressions.length === 0
      ? `<p>No figure is worse than baseline <b>${h(c.baselineId)}</b> by more than ${+(c.tolerance * 100).toFixed(1)} %.</p>`
      : `<p class="bad">${c.regressions.length} figure(s) worse than baseline <b>${h(c.baselineId)}</b> by more than ${+(c.tolerance * 100).toFixed(1)} %: ${c.regressions.map((r) => h(r.figure)).join(', ')}.</p>`;
  return `<h2 id="baseline">Against baseline ${h(c.baselineId)}</h2>${head}<table><thead><tr><th>figure</th><th class="n">this run</th><th class="n">baseline</th><th class="n">change</th><th></th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

export function capacitySection(a: RunAnalysis): string {
  const c = a.capacity;
  const s = a.scaling;
  const items: string[] = [];
  if (c.sustainedRateAtSlo !== null) {
    items.push(
      `Highest request rate sustained for ${c.windowS} s while meeting SLO ${h(a.slo.name)}: <b>${rps(c.sustainedRateAtSlo)}</b>` +
        `${c.lowerBound ? ' — the SLO never broke, so the store may hold more (a lower bound)' : ''}.`,
    );
  } else items.push(`<span class="bad">No ${c.windowS}-second window met SLO ${h(a.slo.name)}.</span>`);
  if (c.rpsPerInstanceAtSlo !== null)
    items.push(
      `Per instance at the SLO: <b>${rps(c.rpsPerInstanceAtSlo)}</b> (${c.instancesInService!.toFixed(1)} in service on average in that window).`,
    );
  if (c.bottleneck) {
    const b = c.bottleneck;
    items.push(
      `Bottleneck: <b>${h(b.tier)}</b> tier, CPU p95 ${b.p95.toFixed(0)} % (max ${b.max.toFixed(0)} %)${b.p95 >= c.saturatedAtPct ? ' <span class="bad">saturated</span>' : ''}; ` +
        c.tiers
          .filter((t) => t !== b)
          .map((t) => `${h(t.tier)} p95 ${t.p95.toFixed(0)} %`)
          .join(', ') +
        '.',
    );
  }
  if (s) {
    for (const b of s.breaches.slice(0, 5)) {
      items.push(
        `SLO breached at ${fmtDuration(b.from - s.runStart)} for ${fmtDuration(b.seconds)} with ${b.inServiceAtBreach} instance(s) in service; ` +
          (b.timeToCapacityS !== null
            ? `new capacity in service <b>${runAndAwsTime(b.timeToCapacityS, a.timeScales, fmtDuration)}</b> after the breach began.`
            : '<span class="bad">no new capacity came into service</span>.'),
      );
    }
    if (s.breaches.length > 5) items.push(`…and ${s.breaches.length - 5} more breaches.`);
    items.push(
      `SLO breached while capacity was still arriving: ${s.breachedWhilePendingMinutes.toFixed(1)} min (${fmtInt(s.breachedWhilePendingS)} s).`,
    );
    items.push(
      `Instance-minutes used: ${s.instanceMinutesUsed.toFixed(1)}` +
        (s.instanceMinutesNeeded !== null
          ? `; the fewest that would have held the SLO at the measured per-instance rate: ${s.instanceMinutesNeeded.toFixed(1)}.`
          : '.'),
    );
    if (s.activities.length)
      items.push(
        `${s.activities.length} scaling activit${s.activities.length === 1 ? 'y' : 'ies'}: ` +
          s.activities
            .slice(0, 8)
            .map((x) => `${fmtDuration(x.atS)} ${x.delta > 0 ? '+' : ''}${x.delta} (${h(x.status)})`)
            .join(', ') +
          '.',
      );
  }
  items.push(...(a.timeScales?.text ?? []).map(h));
  for (const n of a.notes) items.push(`<i>${h(n)}</i>`);
  return `<h2 id="capacity">Capacity and scaling</h2>${list(items)}`;
}

export function recommendationSection(a: RunAnalysis): string {
  const r = a.recommendation;
  if (!r) return '';
  const p = r.projection;
  const rows = p.phases.map(
    (x) =>
      `<tr><td>${h(x.name)}</td>${num(fmtRate(x.requestsPerSecond))}${num(String(x.hours))}${num(fmtInt(x.instances))}${num(usd(x.usd))}</tr>`,
  );
  return `<h2 id="sale-day">Sale day: what to provision</h2>
<p class="recommend">Hold at least <b>${r.minimumInstances} × ${h(p.instanceType)}</b> in service for a peak of ${rps(r.peak.peakRps)}, and pre-scale <b>${r.preScaleMinutesBefore} minutes</b> before it starts (${h(r.leadReason)}).
The day costs about <b>${usd(p.total)}</b>${r.modelled ? ' (modelled)' : ''}, ${usd(p.perMillionRequests)} per million requests.</p>
<table><thead><tr><th>phase</th><th class="n">requests/s</th><th class="n">hours</th><th class="n">instances</th><th class="n">cost</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

export function checkoutSection(a: RunAnalysis): string {
  const c = a.checkout;
  const o = a.orders ?? null;
  if (!c && !o) return '';
  const items = c
    ? [
        `Checkout attempts: ${fmtInt(c.attempts)}; accepted (successful responses): ${fmtInt(c.accepted)}${c.endpoints.length ? ` from ${c.endpoints.map(h).join(', ')}` : ''}.`,
      ]
    : [];
  if (o) items.push(...ordersById(o));
  // Reconciled by id: a comparison of counts would only repeat it, less exactly.
  const byCount = c !== null && (o === null || o.source === 'none');
  if (byCount && c.persisted === null)
    items.push('Orders persisted: not counted by the target (telemetry.orders absent).');
  else if (byCount)
    items.push(
      `Orders persisted: ${fmtInt(c.persisted)}. ${c.missing === 0 ? 'Every accepted order was kept.' : c.missing! > 0 ? `<span class="bad">${fmtInt(c.missing)} accepted order(s) were not persisted.</span>` : `${fmtInt(-c.missing!)} more orders persisted than accepted responses (orders from outside the run, or responses lost).`}`,
    );
  return `<h2 id="checkout">Checkout reconciliation</h2>${list(items)}`;
}

const FINDING_TITLE: Record<OrderFindingKind, string> = {
  missing: 'Accepted but missing',
  duplicate: 'Duplicate orders',
  oversold: 'Oversold stock',
  unseen: 'Orders no runner saw',
};

function ordersById(o: OrderReconciliation): string[] {
  const items: string[] = [];
  if (o.source !== 'none') {
    items.push(
      `Orders reconciled by id with ${h(o.where)} at ${h(o.checkedAt)}: ${fmtInt(o.accepted)} accepted by the store during the run. ${o.findings.length === 0 ? 'Every accepted order is there, no cart was paid twice, no stock is below zero, and every order in the window was seen by a runner.' : ''}`,
    );
  }
  for (const f of o.findings) {
    items.push(
      `<span class="bad"><b>${FINDING_TITLE[f.kind]}: ${fmtInt(f.count)}.</b></span> ${h(f.explanation)}${f.examples.length ? `<br><small>${f.examples.map(h).join('; ')}</small>` : ''}`,
    );
  }
  for (const n of o.notChecked) items.push(`<i>Not checked: ${h(n)}</i>`);
  return items;
}

const COMPONENT_NAMES: Record<string, string> = {
  ec2: 'app instances (EC2)',
  alb: 'load balancer (ALB)',
  aurora: 'database (Aurora)',
  cache: 'cache (ElastiCache)',
  efs: 'shared files (EFS)',
  nat: 'NAT gateways',
  interAz: 'between AZs',
  transferOut: 'transfer out',
};

export function costSection(a: RunAnalysis): string {
  const c = a.cost;
  if (!c) return '';
  const perMillion = c.perMillionRequests ?? (c.perRequest !== null ? c.perRequest * 1e6 : null);
  const items = [
    `${c.modelled ? 'Modelled' : 'Estimated'} cost of the run window: <b>${usd(c.total)}</b>; per request ${usd(c.perRequest)}` +
      `${perMillion !== null ? `; per million requests ${usd(perMillion)}` : ''}` +
      `${c.perCompletedOrder !== null ? `; per completed order ${usd(c.perCompletedOrder)}${c.completedOrders != null ? ` (${fmtInt(c.completedOrders)} orders)` : ''}` : ''}.`,
    `Prices: ${h(c.region)} price book of ${h(c.priceBookAsOf)}${c.modelled ? '; a local run is priced as the AWS stack it stands for' : ''}.`,
  ];
  const r = c.rehearsal;
  if (r && r.total > 0) {
    const types = Object.entries(r.runnerSecondsByType)
      .map(([t, s]) => `${fmtInt(Math.round(s))} s of ${h(t)}`)
      .join(', ');
    items.push(
      `The rehearsal itself (not the store): ${usd(r.total)} — runner fleet ${usd(r.runners)}${types ? ` (${types}, boot to wind-down)` : ''}, S3 requests ${usd(r.s3)}, CloudWatch ${usd(r.cloudwatch)}.`,
    );
  }
  items.push(...c.assumptions.slice(0, 8).map(h));
  const rows = c.byComponent
    ? Object.entries(c.byComponent)
        .filter(([, v]) => v > 0)
        .sort((x, y) => y[1] - x[1])
        .map(
          ([k, v]) =>
            `<tr><td>${h(COMPONENT_NAMES[k] ?? k)}</td>${num(usd(v))}${num(c.total > 0 ? fmtPct(v / c.total) : '–')}${num(c.perRequest !== null && c.total > 0 ? usd((perMillion! * v) / c.total) : '–')}</tr>`,
        )
    : [];
  const table = rows.length
    ? `<table><thead><tr><th>component</th><th class="n">cost</th><th class="n">share</th><th class="n">per million requests</th></tr></thead><tbody>${rows.join('')}</tbody></table>`
    : '';
  return `<h2 id="cost">Cost</h2>${list(items)}${table}`;
}

export function errorBreakdownSection(a: RunAnalysis): string {
  const e = a.errors;
  if (e.byStatus.length + e.byCode.length + e.byCheck.length === 0) return '';
  const items: string[] = [];
  if (e.byStatus.length)
    items.push(
      `By status: ${e.byStatus
        .slice(0, 6)
        .map((x) => `${h(x.key)} × ${fmtInt(x.count)}`)
        .join(', ')}.`,
    );
  if (e.byCode.length)
    items.push(
      `By k6 error code: ${e.byCode
        .slice(0, 6)
        .map((x) => `${h(x.key)} × ${fmtInt(x.count)}`)
        .join(', ')}.`,
    );
  if (e.byCheck.length)
    items.push(
      `Failed checks: ${e.byCheck
        .slice(0, 6)
        .map(
          (x) => `${h(x.journey)} “${h(x.check)}” × ${fmtInt(x.failed)} (${fmtPct(x.failed / (x.failed + x.passed))})`,
        )
        .join(', ')}.`,
    );
  if (e.byEndpoint.length)
    items.push(
      `Most failing endpoints: ${e.byEndpoint
        .slice(0, 4)
        .map((x) => `${h(x.journey)} ${h(x.endpoint)} × ${fmtInt(x.failed)}`)
        .join(', ')}.`,
    );
  return `<h2 id="errors">Errors</h2>${list(items)}`;
}
