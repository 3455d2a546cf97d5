// The app fleet over time from telemetry: instances in service and pending at a second, and
// instance-seconds in a window. Instance lifecycles are preferred (exact); the capacity series
// are the fallback when a collector reports no lifecycles.

import type { Telemetry } from '../../infra/telemetry/telemetry-schema.ts';

type Series = Array<{ t: number; v: number }>;

/** Step-function value of a series at t (the last point at or before t), or 0. */
export function levelAt(s: Series, t: number): number {
  let v = 0;
  for (const p of s) {
    if (p.t > t) break;
    v = p.v;
  }
  return v;
}

export function inServiceAt(tel: Telemetry, t: number): number {
  if (tel.instances.length === 0) return levelAt(tel.capacity.inService, t);
  return tel.instances.filter(
    (i) => i.inServiceAt !== undefined && i.inServiceAt <= t && (i.terminatedAt === undefined || t < i.terminatedAt),
  ).length;
}

export function pendingAt(tel: Telemetry, t: number): number {
  if (tel.instances.length === 0) return levelAt(tel.capacity.pending, t);
  return tel.instances.filter(
    (i) =>
      i.launchedAt <= t &&
      (i.inServiceAt === undefined || t < i.inServiceAt) &&
      (i.terminatedAt === undefined || t < i.terminatedAt),
  ).length;
}

/** Instance-seconds (pending and in service) inside [from, to). */
export function instanceSeconds(tel: Telemetry, from: number, to: number): number {
  if (tel.instances.length > 0) {
    let s = 0;
    for (const i of tel.instances) s += Math.max(0, Math.min(i.terminatedAt ?? to, to) - Math.max(i.launchedAt, from));
    return s;
  }
  let s = 0;
  for (let t = from; t < to; t++) s += levelAt(tel.capacity.inService, t) + levelAt(tel.capacity.pending, t);
  return s;
}
