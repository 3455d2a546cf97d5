// Per-instance metric over an interval, from two samples (cumulative counters). Pure; shared by
// the controller (one value per evaluation period) and telemetry.ts (one per second).
import type { Sample } from './records.ts';

type SampledInstance = Sample['instances'][number];

/** CPU used between a and b as % of the instance's share (100 = its whole cap). */
export function cpuPercent(a: SampledInstance | undefined, b: SampledInstance, dtS: number): number | undefined {
  if (!a || a.usageNs === undefined || b.usageNs === undefined || dtS <= 0) return undefined;
  const used = b.usageNs - a.usageNs;
  if (used < 0) return undefined; // the cgroup was recreated
  return (used / 1e9 / (dtS * b.share)) * 100;
}

/** Requests per second the balancer sent to the instance between a and b. */
export function requestsPerSecond(a: SampledInstance | undefined, b: SampledInstance, dtS: number): number | undefined {
  if (!a || a.sessions === undefined || b.sessions === undefined || dtS <= 0) return undefined;
  const n = b.sessions - a.sessions;
  return n < 0 ? undefined : n / dtS;
}

/** The metric of each instance present in both samples. */
export function metricByInstance(kind: 'cpu' | 'requestsPerTarget', from: Sample, to: Sample): Record<string, number> {
  const dt = to.t - from.t;
  const before = new Map(from.instances.map((i) => [i.id, i]));
  const out: Record<string, number> = {};
  for (const i of to.instances) {
    const v = kind === 'cpu' ? cpuPercent(before.get(i.id), i, dt) : requestsPerSecond(before.get(i.id), i, dt);
    if (v !== undefined) out[i.id] = v;
  }
  return out;
}
