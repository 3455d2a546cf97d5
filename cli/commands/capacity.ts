// rehearse capacity --instances 1,2,4: the knee at each instance count (autoscaling held), the
// capacity curve and the sale-day count from it. On the local replica, a URL, or a deployed AWS
// store (its app group pinned per count, restored at the end). Flags only: the search is pipeline/capacity/.
import { InvalidArgumentError, Option } from 'commander';
import { EXIT } from '../../errors/errors.ts';
import { parseTolerance } from '../../reports/gate/implicit-slo.ts';
import { runCapacity, type CapacityOptions } from '../../pipeline/capacity/capacity-run.ts';
import { readSloFile } from '../../scenarios/slo/slo-file.ts';
import type { TargetKind } from '../../infra/target.ts';
import { log, newCommand, out, parseDuration, parsePositive, setExitCode } from './command.ts';
import { profileFor, runId } from '../../pipeline/make-plan.ts';
import type { AssetsPerPage } from '../../scenarios/plan/peak-rps.ts';
import { DEFAULT_MAX_RPS } from '../../scenarios/plan/safety.ts';
import { parseAssetsPerPage } from './plan.ts';

export interface CapacityFlags {
  instances: number[];
  plateau: number;
  step: number;
  tolerance: number;
  startRate: number;
  warmup: number;
  profile: string;
  slo?: string;
  maxRate?: number;
  maxRps?: number;
  assetsPerPage?: AssetsPerPage;
  salePeakRps?: number;
  headroom: number;
  runsDir: string;
  keepUp?: boolean;
  target: TargetKind;
  url?: string;
  catalogue?: string;
  awsConfig?: string;
  allowHost?: string[];
  cacheBust?: boolean;
  instanceCpu?: number;
  shopCost?: 'calibrated' | 'light';
}

/** "1,2,4" → [1, 2, 4]: whole counts, each at most once. */
export function parseCounts(value: string): number[] {
  const counts = value.split(',').map((s) => Number(s.trim()));
  if (counts.length === 0 || counts.some((n) => !Number.isInteger(n) || n < 1 || n > 64)) {
    throw new InvalidArgumentError(
      `--instances ${value}: give whole instance counts from 1 to 64, comma-separated, e.g. 1,2,4`,
    );
  }
  if (new Set(counts).size !== counts.length) throw new InvalidArgumentError(`--instances ${value}: each count once`);
  return counts;
}

const share = (flag: string) => (v: string) => {
  try {
    return parseTolerance(v, flag);
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message);
  }
};

export async function capacityOptions(flags: CapacityFlags, signal?: AbortSignal): Promise<CapacityOptions> {
  const profile = await profileFor({ profile: flags.profile });
  return {
    id: runId(`capacity-${profile.profile.name}`),
    runsDir: flags.runsDir,
    target: flags.target,
    url: flags.url,
    catalogue: flags.catalogue,
    awsConfig: flags.awsConfig,
    instances: flags.instances,
    profile,
    slo: flags.slo ? await readSloFile(flags.slo) : undefined,
    plateauS: flags.plateau,
    stepFactor: 1 + flags.step,
    tolerance: flags.tolerance,
    startRate: flags.startRate,
    warmupS: flags.warmup,
    maxRate: flags.maxRate,
    maxRps: flags.maxRps,
    assetsPerPage: flags.assetsPerPage,
    allowHosts: flags.allowHost,
    cacheBust: flags.cacheBust,
    instanceCpu: flags.instanceCpu,
    shopCost: flags.shopCost,
    salePeakRps: flags.salePeakRps,
    headroom: flags.headroom,
    keepUp: flags.keepUp,
    log,
    signal,
  };
}

export function addCapacityOptions<T extends ReturnType<typeof newCommand>>(
  cmd: T,
  countsFlag = '--instances <counts>',
): T {
  return cmd
    .option(countsFlag, 'instance counts to find the knee at, e.g. 1,2,4 (autoscaling held at each)', parseCounts)
    .option('--plateau <duration>', 'length of each constant-rate plateau', parseDuration, 30)
    .option('--step <percent>', 'rate increase per plateau while stepping up, as 25% or 0.25', share('--step'), 0.25)
    .option(
      '--tolerance <percent>',
      'bisect until the first rate that broke is within this of the last that held',
      share('--tolerance'),
      0.1,
    )
    .option(
      '--start-rate <journeys/s>',
      'first plateau at the smallest count (later counts start from the knee before)',
      parsePositive('--start-rate'),
      1,
    )
    .option(
      '--warmup <duration>',
      'unjudged plateau after each pin (cold caches are not capacity); 0 for none',
      (v: string) => (v === '0' ? 0 : parseDuration(v)),
      10,
    )
    .option(
      '--instance-cpu <cores>',
      'local replica: CPU share of a core per app instance, its "size" (default 0.4)',
      parsePositive('--instance-cpu'),
    )
    .option(
      '--cache-bust',
      'bypass page caches on every request: the knee of the origin (PHP, database), not of the page cache',
    )
    .option(
      '--sale-peak-rps <n>',
      'size the sale day for this peak, requests/s (assets included)',
      parsePositive('--sale-peak-rps'),
    )
    .option('--headroom <percent>', 'headroom over the sale-day peak, as 30% or 0.3', share('--headroom'), 0.3) as T;
}

export function capacityCommand() {
  return addCapacityOptions(
    newCommand('capacity')
      .description(
        'find the request rate each instance count holds at the SLO (the knee), autoscaling held; writes runs/<id>/capacity.html and capacity.json',
      )
      .addOption(
        new Option(
          '--target <kind>',
          'the local replica; an existing URL (one size: --instances 1); or the AWS store `stack up` deployed ' +
            '(its app group pinned at min = max = desired = each count, scaling processes suspended, all restored at the end)',
        )
          .choices(['local', 'url', 'aws'])
          .default('local'),
      )
      .option('--url <baseUrl>', "with --target url: the store's base URL (must be on the allowlist)")
      .option('--catalogue <file>', 'with --target url or aws: catalogue manifest of the store')
      .option(
        '--aws-config <file>',
        'with --target aws: the config of the deployed store stack (infra/aws/README.md); pass --allow-host <its site host>',
      )
      .option('--allow-host <host...>', 'hosts the load may go to (default: loopback only)')
      .option('--profile <name|file>', 'whose journey mix the plateaus use', 'black-friday')
      .option('--slo <file>', 'SLO file whose objectives define "held" (default: scenarios/slo/default-slo.ts)')
      .option('--max-rate <journeys/s>', 'safety cap: no plateau above this (default 50)', parsePositive('--max-rate'))
      .option(
        '--max-rps <requests/s>',
        `safety cap: no plateau makes more requests/s than this, assets included (default ${DEFAULT_MAX_RPS})`,
        parsePositive('--max-rps'),
      )
      .option(
        '--assets-per-page <n|first,later>',
        "assets a page view loads (default: measured on the target's pages)",
        parseAssetsPerPage,
      )
      .option('--runs-dir <dir>', 'where run directories go', 'runs')
      .option('--keep-up', 'leave the local replica running afterwards (an AWS stack always stays up)')
      .addOption(
        new Option('--shop-cost <cost>', "local replica: what a request costs — calibrated (WooCommerce's) or light")
          .choices(['calibrated', 'light'])
          .default('calibrated'),
      ),
  ).action(capacityAction);
}

/**
 * Runs the search with Ctrl-C (and SIGTERM, as a CI job's cancel sends) wired: the first stops the
 * plateau and ends the search (an AWS group is restored before exit), a second quits at once.
 * Shared with `rehearsal --capacity`.
 */
export async function capacityAction(flags: CapacityFlags): Promise<void> {
  if (!flags.instances) throw new InvalidArgumentError('--instances is required, e.g. --instances 1,2,4');
  const abort = new AbortController();
  const quit = () => process.exit(EXIT.interrupted);
  const onSignal = () => {
    log(
      '\ninterrupted: stopping the plateau; the curve will cover the counts measured so far' +
        (flags.target === 'aws'
          ? '; the app group is restored before exit (Ctrl-C again quits without restoring it: the commands to restore it by hand were printed when it was pinned)'
          : ''),
    );
    abort.abort();
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
    process.once('SIGINT', quit).once('SIGTERM', quit);
  };
  process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
  try {
    const res = await runCapacity(await capacityOptions(flags, abort.signal));
    for (const f of res.curve.findings) log(f);
    if (res.curve.recommendation) log(res.curve.recommendation.text);
    log(`capacity report: ${res.dir}/capacity.html (${(res.wallS / 60).toFixed(1)} min)`);
    out(`${res.dir}\n`);
    if (abort.signal.aborted) setExitCode(EXIT.interrupted);
  } finally {
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal).off('SIGINT', quit).off('SIGTERM', quit);
  }
}
