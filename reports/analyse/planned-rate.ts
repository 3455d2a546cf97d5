// The planned arrival curve from plan.json's k6 scenarios (ramping-arrival-rate stages ramp
// linearly from the previous target; constant-arrival-rate holds), beside what was achieved:
// journey starts per second estimated as a journey's requests ÷ its requests per iteration.

import type { RunRecord } from '../record/record-schema.ts';

export interface RatePoint {
  /** Seconds since the run started. */
  x: number;
  planned: number;
  achieved: number;
}

/** "1m30s", "0.167s", "250ms", "2h" → seconds; null when unreadable. */
export function durationS(v: unknown): number | null {
  if (typeof v === 'number') return v / 1000; // k6 reads bare numbers as ms
  if (typeof v !== 'string') return null;
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;
  let total = 0;
  let seen = '';
  for (let m = re.exec(v); m; m = re.exec(v)) {
    total += Number(m[1]) * { ms: 0.001, s: 1, m: 60, h: 3600 }[m[2] as 'ms' | 's' | 'm' | 'h'];
    seen += m[0];
  }
  return seen === v.replace(/\s/g, '') && seen !== '' ? total : null;
}

type Scenario = {
  executor?: string;
  startRate?: number;
  rate?: number;
  timeUnit?: string;
  stages?: Array<{ duration: string; target: number }>;
  duration?: string;
  startTime?: string;
};

/** Planned journey starts per second at offset x (s), summed over scenarios; null when the plan has none readable. */
export function plannedRateFn(plan: unknown): ((x: number) => number) | null {
  const scenarios = (plan as { k6?: { scenarios?: Record<string, Scenario> } } | null)?.k6?.scenarios;
  if (!scenarios) return null;
  const fns: Array<(x: number) => number> = [];
  for (const s of Object.values(scenarios)) {
    const unit = durationS(s.timeUnit ?? '1s') ?? 1;
    const offset = durationS(s.startTime ?? '0s') ?? 0;
    if (s.executor === 'ramping-arrival-rate' && Array.isArray(s.stages)) {
      const stages = s.stages.map((st) => ({ d: durationS(st.duration) ?? 0, target: st.target / unit }));
      const start = (s.startRate ?? 0) / unit;
      fns.push((x) => {
        let t = x - offset;
        if (t < 0) return 0;
        let from = start;
        for (const st of stages) {
          if (t < st.d) return from + (st.target - from) * (st.d > 0 ? t / st.d : 1);
          t -= st.d;
          from = st.target;
        }
        return 0;
      });
    } else if (s.executor === 'constant-arrival-rate') {
      const d = durationS(s.duration) ?? 0;
      fns.push((x) => (x >= offset && x < offset + d ? (s.rate ?? 0) / unit : 0));
    }
  }
  return fns.length ? (x) => fns.reduce((a, f) => a + f(x), 0) : null;
}

/** One point per second of the run; planned is the mean over the second (sampled at its middle). */
export function plannedVsAchieved(record: Pick<RunRecord, 'timeline' | 'journeys'>, plan: unknown): RatePoint[] | null {
  const f = plannedRateFn(plan);
  if (!f || record.timeline.length === 0) return null;
  const t0 = record.timeline[0].t;
  const achieved = new Map<number, number>();
  for (const j of record.journeys) {
    const perIter = j.iterations > 0 ? j.requests / j.iterations : 0;
    if (perIter === 0) continue;
    for (const p of j.timeline) achieved.set(p.t, (achieved.get(p.t) ?? 0) + p.requests / perIter);
  }
  return record.timeline.map((p) => ({ x: p.t - t0, planned: f(p.t - t0 + 0.5), achieved: achieved.get(p.t) ?? 0 }));
}
