// The gate's older flags (--max-error-rate, --max-check-fail-rate, --max-p95) as an SLO, so one
// evaluator serves both: a flag overrides the matching field of an SLO file, or of the defaults
// when no file is given (scenarios/slo/default-slo.ts).

import type { Slo } from '../../scenarios/slo/slo-schema.ts';
import type { RunRecord } from '../record/record-schema.ts';
import { DEFAULT_SLO } from '../../scenarios/slo/default-slo.ts';

export interface LegacyGateFlags {
  maxErrorRate?: number;
  maxCheckFailRate?: number;
  /** Applies to every journey of the run. */
  maxP95?: number;
}

export { DEFAULT_SLO };

export function sloWithFlags(record: RunRecord, base: Slo | undefined, flags: LegacyGateFlags): Slo {
  const slo: Slo = structuredClone(base ?? DEFAULT_SLO);
  if (flags.maxErrorRate !== undefined) slo.errorRate = flags.maxErrorRate;
  if (flags.maxCheckFailRate !== undefined) slo.checksPass = 1 - flags.maxCheckFailRate;
  if (flags.maxP95 !== undefined) {
    for (const j of record.journeys) slo.journeys[j.name] = { ...slo.journeys[j.name], p95Ms: flags.maxP95 };
  }
  return slo;
}

/** "10%", "10", "0.1" → 0.1: a number above 1 is read as a percentage. */
export function parseTolerance(v: string, flag = '--tolerance'): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(%?)\s*$/.exec(v);
  if (!m) throw new Error(`${flag} ${v}: not a number — give e.g. 10% or 0.1`);
  const n = Number(m[1]);
  return m[2] === '%' || n > 1 ? n / 100 : n;
}
