// Billed instance-seconds of machine lifecycles within a window. A machine costs from launch to
// terminate, pending or in service alike; an open lifecycle runs to the window's end. EC2 bills
// Linux per second with a 60-second minimum: a machine whose whole life lies in the window and is
// shorter than that is billed the minimum.

import { InputError } from '../../errors/errors.ts';
import type { MachineLife } from './cost-types.ts';
import { overlap } from './series-window.ts';

export const EC2_MINIMUM_SECONDS = 60;

export interface BilledSpan {
  id: string;
  type: string;
  /** The part of the life inside the window. */
  from: number;
  to: number;
  /** to − from, or the minimum when that applies. */
  billedSeconds: number;
}

/** `label` names where the machines came from in errors, e.g. "telemetry instances". */
export function billedSpans(
  machines: readonly MachineLife[],
  window: { from: number; to: number },
  label: string,
  minimumSeconds = EC2_MINIMUM_SECONDS,
): BilledSpan[] {
  const out: BilledSpan[] = [];
  machines.forEach((m, i) => {
    if (m.terminatedAt !== undefined && m.terminatedAt < m.launchedAt) {
      throw new InputError(
        `${label}[${i}] (${m.id}): terminatedAt ${m.terminatedAt} is before launchedAt ${m.launchedAt} — ` +
          'the lifecycle is reversed; fix the collector that wrote it',
      );
    }
    const from = Math.max(m.launchedAt, window.from);
    const to = Math.min(m.terminatedAt ?? Infinity, window.to);
    if (to <= from) return;
    const life = to - from;
    const wholeLifeInside = m.launchedAt >= window.from && m.terminatedAt !== undefined && m.terminatedAt <= window.to;
    const billedSeconds = wholeLifeInside && life < minimumSeconds ? minimumSeconds : life;
    out.push({ id: m.id, type: m.type, from, to, billedSeconds });
  });
  return out;
}

/** Billed seconds of a span that fall in [a, b) (a minimum is spread over the span's life). */
export function billedSecondsIn(span: BilledSpan, a: number, b: number): number {
  return (overlap(span.from, span.to, a, b) * span.billedSeconds) / (span.to - span.from);
}

export function secondsByType(spans: readonly BilledSpan[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of spans) out[s.type] = (out[s.type] ?? 0) + s.billedSeconds;
  return out;
}
