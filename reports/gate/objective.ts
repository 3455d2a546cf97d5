// One named check of a run, measured against a limit: what the gate, junit.xml and the report's
// verdict are made of. Shared by the SLO's objectives and the run's own health checks.

export interface ObjectiveResult {
  /** Stable id, e.g. "errorRate", "journey.browse.p95Ms": the junit testcase name. */
  id: string;
  /** The objective in words. */
  title: string;
  pass: boolean;
  measured: number | null;
  limit: number;
  unit: 'ratio' | 'ms' | 'flag';
  /** One sentence: measured vs limit, or why it could not be measured. */
  detail: string;
  /**
   * A check of the run itself rather than of the store (completed, generator kept up, load as
   * planned): when it fails, the latency figures cannot be trusted, whatever they say.
   */
  trust?: boolean;
}

const pct = (x: number) => `${(x * 100).toFixed(2)} %`;
const lim = (x: number) => `${+(x * 100).toFixed(2)} %`;

export function maxRule(
  id: string,
  title: string,
  measured: number | null,
  limit: number,
  unit: 'ratio' | 'ms',
  what: string,
  note = '',
): ObjectiveResult {
  const f = unit === 'ratio' ? pct : (v: number) => `${v.toFixed(0)} ms`;
  const fl = unit === 'ratio' ? lim : (v: number) => `${v} ms`;
  if (measured === null)
    return {
      id,
      title,
      pass: false,
      measured,
      limit,
      unit,
      detail: `${what}: not measured (no requests), limit ${fl(limit)}.`,
    };
  const pass = measured <= limit;
  return {
    id,
    title,
    pass,
    measured,
    limit,
    unit,
    detail: `${what} ${f(measured)}${note} is ${pass ? 'within' : 'above'} ${fl(limit)}.`,
  };
}

export function minRule(
  id: string,
  title: string,
  measured: number | null,
  limit: number,
  what: string,
  note = '',
): ObjectiveResult {
  if (measured === null)
    return {
      id,
      title,
      pass: false,
      measured,
      limit,
      unit: 'ratio',
      detail: `${what}: not measured, limit at least ${lim(limit)}.`,
    };
  const pass = measured >= limit;
  return {
    id,
    title,
    pass,
    measured,
    limit,
    unit: 'ratio',
    detail: `${what} ${pct(measured)}${note} is ${pass ? 'at least' : 'below'} ${lim(limit)}.`,
  };
}
