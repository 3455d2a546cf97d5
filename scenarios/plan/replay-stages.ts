// A replay's URL offsets → k6 ramping-arrival-rate stages that start each bucket's logged
// requests within that bucket: a step curve (a 1 ms ramp, then flat), so the logged pace is kept
// to the bucket (1 s for runs up to ~17 min). Pure.

import type { PlanStage } from './plan-schema.ts';
import { formatK6Duration } from './stages.ts';

/** Keep the stage list readable for k6: at most this many buckets. */
const MAX_BUCKETS = 1000;
const RAMP_MS = 1;

export interface ReplayStages {
  timeUnit: string;
  startRate: number;
  stages: PlanStage[];
  /** Iterations the stages schedule (∫ of the staged rate). */
  arrivals: number;
  /** The busiest bucket, in requests per second. */
  peakPerS: number;
  bucketS: number;
}

/** `offsetsS`: sorted offsets in the replay file's seconds; the replay is scaled to `durationS`. */
export function replayStages(offsetsS: readonly number[], fileDurationS: number, durationS: number): ReplayStages {
  const scale = durationS / fileDurationS;
  const bucketS = Math.max(1, Math.ceil(durationS / MAX_BUCKETS));
  const counts = new Array<number>(Math.max(1, Math.ceil(durationS / bucketS))).fill(0);
  for (const o of offsetsS) counts[Math.min(counts.length - 1, Math.floor((o * scale) / bucketS))]!++;

  const bucketMs = bucketS * 1000;
  // Half an arrival more at the end, so rounding in k6's schedule never loses the last URL
  // (the replay journey ignores iterations past the end of the list).
  const tailMs = Math.ceil((0.5 / Math.max(1, counts.at(-1)!)) * bucketMs);
  const stages: PlanStage[] = [];
  for (let k = 0; k < counts.length;) {
    let end = k + 1;
    while (end < counts.length && counts[end] === counts[k]) end++;
    const c = counts[k]!;
    const ms = (end - k) * bucketMs + (end === counts.length ? tailMs : 0);
    if (k === 0) stages.push({ duration: formatK6Duration(ms), target: c });
    else
      stages.push(
        { duration: formatK6Duration(RAMP_MS), target: c },
        { duration: formatK6Duration(ms - RAMP_MS), target: c },
      );
    k = end;
  }
  let arrivals = 0;
  let rate = counts[0]!;
  for (const s of stages) {
    const ms = parseMs(s.duration);
    arrivals += ((rate + s.target) / 2) * (ms / bucketMs);
    rate = s.target;
  }
  return {
    timeUnit: formatK6Duration(bucketMs),
    startRate: counts[0]!,
    stages,
    arrivals,
    peakPerS: Math.max(...counts) / bucketS,
    bucketS,
  };
}

/** The inverse of formatK6Duration for its own output ("1h2m3.5s", "1ms" is "0.001s"). */
function parseMs(d: string): number {
  const m = /^(?:(\d+)h)?(?:(\d+)m)?(?:([\d.]+)s)?$/.exec(d)!;
  return Number(m[1] ?? 0) * 3_600_000 + Number(m[2] ?? 0) * 60_000 + Math.round(Number(m[3] ?? 0) * 1000);
}
