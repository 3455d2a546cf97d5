// The plan's arrival rate at a moment of the run: k6 ramping-arrival-rate interpolates linearly
// from startRate through each stage's target; rates are per timeUnit. Pure.
import type { Plan } from '../../scenarios/plan/plan-schema.ts';

/** A k6 duration ("1m30s", "250ms", "1.5s") in seconds. */
export function k6DurationS(d: string): number {
  let s = 0;
  for (const [, n, unit] of d.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g))
    s += Number(n) * { ms: 0.001, s: 1, m: 60, h: 3600 }[unit as 'ms' | 's' | 'm' | 'h'];
  return s;
}

/** Journey starts per second the plan schedules tS seconds into the run, all journeys. */
export function plannedArrivalRate(plan: Pick<Plan, 'k6'>, tS: number): number {
  let total = 0;
  for (const sc of Object.values(plan.k6.scenarios)) {
    const unit = k6DurationS(sc.timeUnit) || 1;
    let from = sc.startRate;
    let at = k6DurationS(sc.startTime ?? '0s'); // a journey started out of phase (stages.ts delayStaged)
    let rate = 0;
    for (const st of sc.stages) {
      const len = k6DurationS(st.duration);
      if (tS < at + len) {
        rate = from + ((st.target - from) * (tS - at)) / (len || 1);
        break;
      }
      at += len;
      from = st.target;
      rate = tS === at ? from : 0; // past the last stage: no more arrivals
    }
    if (tS >= k6DurationS(sc.startTime ?? '0s')) total += rate / unit;
  }
  return total;
}
