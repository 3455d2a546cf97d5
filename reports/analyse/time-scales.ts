// The time scales a run was played at, stated so no figure reads as real time when it is not:
// the profile's compression (a 24 h sale day in 120 s is ×720) from plan.json, and the autoscaler's
// time scale (a 5 s period standing for AWS's minute is ×12) from telemetry.json. Pure.

import type { Telemetry } from '../../infra/telemetry/telemetry-schema.ts';

export interface TimeScales {
  /** Profile span ÷ run duration (plan.run.compression); null when the plan does not say. */
  profileCompression: number | null;
  /** The autoscaler's compression factor and preset (telemetry.timeScale); null when not recorded. */
  autoscaler: { factor: number; preset: string } | null;
  /** One sentence each, for the report's run settings and capacity sections. */
  text: string[];
}

const times = (x: number) => `×${x >= 10 ? Math.round(x) : +x.toFixed(2)}`;

function fmtSpan(s: number): string {
  if (s >= 3600) return `${+(s / 3600).toFixed(1)} h`;
  if (s >= 60) return `${+(s / 60).toFixed(1)} min`;
  return `${Math.round(s)} s`;
}

export function timeScales(plan: unknown, tel: Pick<Telemetry, 'timeScale'> | null): TimeScales {
  const run = (plan as { run?: { compression?: unknown; durationS?: unknown } } | null)?.run;
  const c = typeof run?.compression === 'number' && run.compression > 0 ? run.compression : null;
  const d = typeof run?.durationS === 'number' ? run.durationS : null;
  const auto = tel?.timeScale ?? null;
  const text: string[] = [];
  if (c !== null) {
    text.push(
      c === 1
        ? 'Profile played in real time (×1).'
        : `Profile compressed ${times(c)}: ${d !== null ? `${fmtSpan(d * c)} of traffic shape played in ${fmtSpan(d)}` : 'its span played faster'}; rates are real, times of day are scaled.`,
    );
  } else text.push('Profile compression: unknown (plan.json does not say).');
  if (auto)
    text.push(
      `Autoscaler time scale ${times(auto.factor)} (preset "${auto.preset}"): a scaling delay of t seconds in this run stands for ${times(auto.factor).slice(1)} × t in AWS time.`,
    );
  else
    text.push(
      'Autoscaler time scale: not recorded (no autoscaler, or telemetry from an older Rehearse): scaling figures are in run time.',
    );
  return { profileCompression: c, autoscaler: auto, text };
}

/** A scaling delay in run time and, when the autoscaler was compressed, in AWS time. */
export function runAndAwsTime(seconds: number, ts: TimeScales, fmt: (s: number) => string): string {
  return ts.autoscaler && ts.autoscaler.factor !== 1
    ? `${fmt(seconds)} run time (≈ ${fmt(seconds * ts.autoscaler.factor)} in AWS time)`
    : fmt(seconds);
}
