// When k6's ramping-arrival-rate executor starts iterations, computed as k6 does (executor
// ramping_arrival_rate.go, cal): the i-th iteration starts when the integral of the staged rate
// reaches i (i = 1, 2, …), after the scenario's startTime. For tests that check a plan's arrivals
// without running k6.
import type { PlanScenario } from '../plan/plan-schema.ts';

function seconds(d: string): number {
  let s = 0;
  for (const [, n, u] of d.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g))
    s += Number(n) * { ms: 0.001, s: 1, m: 60, h: 3600 }[u as 'ms'];
  return s;
}

/** Start times (seconds from the run's start) of the iterations one scenario schedules. */
export function arrivalTimes(sc: PlanScenario): number[] {
  const unit = seconds(sc.timeUnit);
  const out: number[] = [];
  let at = seconds(sc.startTime ?? '0s');
  let from = sc.startRate / unit;
  let done = 0;
  let i = 1;
  for (const st of sc.stages) {
    const d = seconds(st.duration);
    const to = st.target / unit;
    const end = done + (d * (from + to)) / 2;
    for (; i <= end; i++) {
      const need = i - done;
      // Solve from·x + (to − from)·x²/(2d) = need for x in [0, d].
      const x =
        to === from
          ? need / to
          : (-from + Math.sqrt(Math.max(0, from * from + (2 * (to - from) * need) / d))) / ((to - from) / d);
      out.push(at + x);
    }
    done = end;
    at += d;
    from = to;
  }
  return out;
}

/** Counts per whole second of the run. */
export function perSecond(times: number[], runS: number): number[] {
  const bins = new Array<number>(Math.ceil(runS)).fill(0);
  for (const t of times) if (t < runS) bins[Math.floor(t)]!++;
  return bins;
}
