// Checks of the run itself, made before any SLO objective is believed: did every segment finish,
// did the generator start the arrivals the plan scheduled, and did it have the VUs and the CPU to
// send them on time? A run failing one of these cannot PASS, and its latency cannot be trusted.

import type { RunRecord } from '../record/record-schema.ts';
import { maxRule, type ObjectiveResult } from './objective.ts';

export interface RunLimits {
  /** Highest acceptable failed / requests (default 0.01). */
  maxErrorRate: number;
  /** Highest acceptable dropped / (iterations + dropped) (default 0.01). */
  maxDroppedRate: number;
  /** Highest acceptable failed / all k6 checks (default 0.01): a 200 with the wrong page is a failure too. */
  maxCheckFailRate: number;
  /** Highest acceptable shortfall of journeys started vs the plan's, relative (default 0.1). */
  maxRateShortfall: number;
  /** Highest acceptable k6 CPU over a 5 s window, in cores (default 0.85): beyond it k6 queues its own requests. */
  maxGeneratorCpu: number;
}

export const DEFAULT_LIMITS: RunLimits = {
  maxErrorRate: 0.01,
  maxDroppedRate: 0.01,
  maxCheckFailRate: 0.01,
  maxRateShortfall: 0.1,
  maxGeneratorCpu: 0.85,
};

const pct = (x: number) => `${+(x * 100).toFixed(2)} %`;

function journeyCount(record: Pick<RunRecord, 'run' | 'totals'> & { journeys?: RunRecord['journeys'] }): number {
  return record.journeys?.length ?? 1;
}

export function runHealth(
  record: Pick<RunRecord, 'run' | 'totals'> & { journeys?: RunRecord['journeys'] },
  limits: Partial<RunLimits> = {},
): ObjectiveResult[] {
  const l = { ...DEFAULT_LIMITS, ...limits };
  const t = record.totals;
  const r = record.run;
  const out: ObjectiveResult[] = [];
  const partial = r.partial ?? [];
  const completed = !r.interrupted && t.requests > 0 && partial.length === 0;
  out.push({
    id: 'completed',
    title: 'the run completed its plan',
    unit: 'flag',
    limit: 1,
    measured: completed ? 1 : 0,
    pass: completed,
    trust: true,
    detail:
      t.requests === 0
        ? 'No requests were recorded: the load never reached the store, or the samples are missing.'
        : r.interrupted
          ? 'The run was interrupted before its planned end: it cannot show the store holds the whole plan.'
          : partial.length > 0
            ? `Partial run: ${partial.length} of ${r.runners.length || partial.length} segment(s) did not finish (${partial.map((p) => `${p.runner} ${p.segment}: ${p.reason}`).join('; ')}): part of the planned load never reached the store.`
            : 'The run completed its plan.',
  });
  const dropped = maxRule(
    'droppedRate',
    'dropped iterations',
    t.droppedRate,
    l.maxDroppedRate,
    'ratio',
    'Dropped iterations',
    ` (${t.droppedIterations}: arrivals the load generator could not start)`,
  );
  // k6 may drop one start per scenario while it initialises a VU: in a short run that alone is over 1 %.
  if (!dropped.pass && t.droppedIterations <= journeyCount(record)) {
    Object.assign(dropped, {
      pass: true,
      detail: `${dropped.detail.replace(/ is above .*$/, '')} is at most one per journey type (k6 starting a VU), so it is not held against the run.`,
    });
  }
  out.push({ ...dropped, trust: true });
  const expected = r.expectedTotal;
  if (expected !== null && expected > 0 && !r.interrupted && partial.length === 0) {
    const started = t.iterations;
    // k6 rounds each arrival-rate scenario's schedule: up to one journey per scenario may never start.
    const slack = Math.max(1, journeyCount(record));
    const shortfall = Math.max(0, expected - started - slack) / expected;
    const pass = shortfall <= l.maxRateShortfall;
    out.push({
      id: 'achievedRate',
      title: 'journeys started vs planned',
      unit: 'ratio',
      limit: l.maxRateShortfall,
      measured: shortfall,
      pass,
      trust: true,
      detail: `${started} of ${Math.round(expected)} planned journeys ran (${pct(shortfall)} short, beyond one per journey type for k6's rounding); ${pass ? 'within' : 'beyond'} the ${pct(l.maxRateShortfall)} tolerance${pass ? '.' : ': the store saw less load than planned.'}`,
    });
  }
  out.push(generatorCheck(r.generator, l.maxGeneratorCpu));
  return out;
}

function generatorCheck(g: RunLimitsGenerator, maxCpu: number): ObjectiveResult {
  const base = { id: 'generator', title: 'the load generator kept up', unit: 'flag' as const, limit: 1, trust: true };
  if (!g)
    return {
      ...base,
      pass: true,
      measured: null,
      detail: 'Load generator health was not recorded (a record from an older Rehearse).',
    };
  const problems: string[] = [];
  const warned = g.runners.filter((x) => x.insufficientVUs > 0);
  if (warned.length > 0)
    problems.push(
      `k6 warned of insufficient VUs ${warned.reduce((a, x) => a + x.insufficientVUs, 0)} time(s) (${warned.map((x) => x.runner).join(', ')})`,
    );
  if (g.maxVUs !== null && g.peakVUs !== null && g.peakVUs >= g.maxVUs)
    problems.push(`active VUs reached maxVUs (${g.peakVUs} of ${g.maxVUs})`);
  const hot = g.runners.filter((x) => x.cpuPeak !== null && x.cpuPeak > maxCpu);
  if (hot.length > 0)
    problems.push(
      `k6 used more than ${pct(maxCpu)} of a core (${hot.map((x) => `${x.runner} ${pct(x.cpuPeak!)}`).join(', ')})`,
    );
  if (problems.length > 0) {
    return {
      ...base,
      pass: false,
      measured: 0,
      detail: `The load generator was saturated: ${problems.join('; ')}. Requests waited in the generator, so latency and rate figures cannot be trusted; use more runners (--runners) or a larger maxVUs.`,
    };
  }
  const cpu = g.runners.filter((x) => x.cpuPeak !== null).map((x) => x.cpuPeak!);
  const cpuNote = cpu.length ? `, k6 CPU at most ${pct(Math.max(...cpu))} of a core` : ', k6 CPU not measured';
  const vuNote = g.peakVUs !== null && g.maxVUs !== null ? `, at most ${g.peakVUs} of ${g.maxVUs} VUs active` : '';
  return {
    ...base,
    pass: true,
    measured: 1,
    detail: `The load generator kept up: no insufficient-VU warnings${vuNote}${cpuNote}.`,
  };
}

type RunLimitsGenerator = RunRecord['run']['generator'];
