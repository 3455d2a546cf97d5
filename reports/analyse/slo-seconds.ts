// Which seconds of a run broke the SLO: a second breaks it when its error rate is above the
// SLO's (whole-run or the journey's own) or a journey's p95/p99 in that second is above its
// limit. Per-second percentiles are exact (HDR per second), never averaged.

import type { Slo } from '../../scenarios/slo/slo-schema.ts';
import type { RunRecord } from '../record/record-schema.ts';

export interface SecondState {
  t: number;
  requests: number;
  breached: boolean;
}

export function sloSeconds(record: Pick<RunRecord, 'timeline' | 'journeys'>, slo: Slo): SecondState[] {
  const bad = new Set<number>();
  for (const j of record.journeys) {
    const js = slo.journeys[j.name];
    const errLimit = js?.errorRate ?? slo.errorRate;
    for (const p of j.timeline) {
      if (p.requests > 0 && p.failed / p.requests > errLimit) bad.add(p.t);
      if (js?.p95Ms !== undefined && p.p95 !== null && p.p95 > js.p95Ms) bad.add(p.t);
      if (js?.p99Ms !== undefined && p.p99 !== null && p.p99 > js.p99Ms) bad.add(p.t);
    }
  }
  return record.timeline.map((p) => ({
    t: p.t,
    requests: p.requests,
    breached: bad.has(p.t) || (p.requests > 0 && p.failed / p.requests > slo.errorRate),
  }));
}

export interface Episode {
  from: number;
  /** Exclusive. */
  to: number;
}

/** Breached seconds merged into episodes; gaps of up to `gapS` good seconds do not split one. */
export function breachEpisodes(seconds: SecondState[], gapS = 10): Episode[] {
  const out: Episode[] = [];
  for (const s of seconds) {
    if (!s.breached) continue;
    const last = out[out.length - 1];
    if (last && s.t - last.to <= gapS) last.to = s.t + 1;
    else out.push({ from: s.t, to: s.t + 1 });
  }
  return out;
}
