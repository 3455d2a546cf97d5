// The capacity search as a pure function of what has been measured so far: step the arrival rate
// up in plateaus until one breaks, then bisect between the last that held and the first that
// broke until they are within the tolerance. Works in ratios only, so it finds the knee whatever
// the store's absolute speed (a heavier page just moves every rate down).

export interface SearchSettings {
  /** First plateau's rate, journeys/s. */
  startRate: number;
  /** Each step up multiplies the rate by this (1.25 = +25 %). */
  stepFactor: number;
  /** Stop when first-broken ÷ last-held - 1 is at most this (0.1 = within 10 %). */
  tolerance: number;
  /** Never plan above this (the plan's safety cap, journeys/s). */
  maxRate: number;
  /** Give up below this: the store does not hold even this rate. */
  minRate: number;
  /** Bound on plateaus for one knee, whatever happens. */
  maxPlateaus: number;
}

export interface PlateauVerdict {
  rate: number;
  held: boolean;
}

export type SearchStep =
  | { kind: 'run'; rate: number; phase: 'step' | 'bisect' | 'down' }
  | {
      kind: 'done';
      /** Highest rate that held with a broken one within the tolerance above it; null when none held. */
      knee: number | null;
      /** Lowest rate above the knee that broke; null when nothing above it broke. */
      brokeAt: number | null;
      /** found: bracketed within the tolerance; lower-bound: held up to the cap or the plateau budget; none: nothing held. */
      outcome: 'found' | 'lower-bound' | 'none';
    };

const round = (x: number) => Math.round(x * 1000) / 1000;

export function nextStep(history: readonly PlateauVerdict[], s: SearchSettings): SearchStep {
  if (history.length === 0) return { kind: 'run', rate: round(Math.min(s.startRate, s.maxRate)), phase: 'step' };
  const held = history.filter((h) => h.held).map((h) => h.rate);
  const lo = held.length ? Math.max(...held) : null;
  // A rate that broke below one that held later was noise on a shared box: the bracket is above lo.
  const brokenAbove = history.filter((h) => !h.held && (lo === null || h.rate > lo)).map((h) => h.rate);
  const hi = brokenAbove.length ? Math.min(...brokenAbove) : null;
  const budgetLeft = history.length < s.maxPlateaus;

  if (lo === null) {
    const lowest = hi!;
    if (lowest <= s.minRate * (1 + 1e-9) || !budgetLeft)
      return { kind: 'done', knee: null, brokeAt: lowest, outcome: 'none' };
    return { kind: 'run', rate: round(Math.max(s.minRate, lowest / (s.stepFactor * s.stepFactor))), phase: 'down' };
  }
  if (hi === null) {
    if (lo >= s.maxRate * (1 - 1e-9) || !budgetLeft)
      return { kind: 'done', knee: lo, brokeAt: null, outcome: 'lower-bound' };
    return { kind: 'run', rate: round(Math.min(s.maxRate, lo * s.stepFactor)), phase: 'step' };
  }
  if (hi / lo - 1 <= s.tolerance + 1e-9) return { kind: 'done', knee: lo, brokeAt: hi, outcome: 'found' };
  if (!budgetLeft) return { kind: 'done', knee: lo, brokeAt: hi, outcome: 'found' };
  // Geometric midpoint: the bracket shrinks by the same ratio whatever the absolute rates.
  return { kind: 'run', rate: round(Math.sqrt(lo * hi)), phase: 'bisect' };
}

/** Runs the search to its end with `measure` deciding each plateau (the I/O lives there). */
export async function searchKnee<T extends PlateauVerdict>(
  s: SearchSettings,
  measure: (rate: number, phase: 'step' | 'bisect' | 'down') => Promise<T>,
): Promise<{ result: Extract<SearchStep, { kind: 'done' }>; plateaus: T[] }> {
  const plateaus: T[] = [];
  for (;;) {
    const step = nextStep(plateaus, s);
    if (step.kind === 'done') return { result: step, plateaus };
    plateaus.push(await measure(step.rate, step.phase));
  }
}

/** A plateau plans at least this many journeys: fewer cannot be judged against the plan (k6 rounds each journey type). */
export const MIN_JOURNEYS_PER_PLATEAU = 20;
/** …but no plateau runs longer than this, however low the rate. */
export const MAX_PLATEAU_S = 180;

/** Seconds a plateau at `rate` journeys/s runs: the asked length, longer when that would plan too few journeys. */
export function plateauSeconds(rate: number, askedS: number): number {
  if (!(rate > 0)) return askedS;
  return Math.max(askedS, Math.min(MAX_PLATEAU_S, Math.ceil(MIN_JOURNEYS_PER_PLATEAU / rate)));
}
