// Before anything is deployed on AWS: what will this rehearsal cost, and is it within the limit?
import { createInterface } from 'node:readline/promises';
import { InputError } from '../errors/errors.ts';
import { DEFAULT_GRACE_MS } from '../runners/fleet/fleet-watch.ts';
import type { RehearsalInfra } from '../infra/aws/app.ts';
import { DEFAULT_PRICE_BOOK_PATH, loadPriceBook } from '../reports/price-book/load-price-book.ts';
import { estimateRehearsal, needsConfirmation, type RehearsalEstimate } from '../reports/cost/rehearsal-estimate.ts';

export interface AwsRunShape {
  durationSeconds: number;
  expectedRequests: number;
  /** k6 runners on the fleet (1: k6 runs here, no fleet machine is used). */
  runners?: number;
  /** Seconds the fleet gets to boot before the start (--fleet-boot-s). */
  fleetBootSeconds?: number;
}

/** After the load: the time a fleet runner may take to report, plus a minute to scale in. */
const RUNNER_WIND_DOWN_S = DEFAULT_GRACE_MS / 1000 + 60;

/** The deployed shape (from the stack and fleet configs) priced for a run of the given length. */
export async function estimateAwsRehearsal(infra: RehearsalInfra, run: AwsRunShape): Promise<RehearsalEstimate> {
  const store = infra.store;
  if (!store) throw new InputError('the AWS config has no "store": nothing to estimate');
  const book = await loadPriceBook(DEFAULT_PRICE_BOOK_PATH, { now: new Date() });
  const fleet = infra.fleet;
  return estimateRehearsal(
    {
      plan: run,
      stack: {
        region: store.region,
        aurora: { instanceClass: store.database.instanceClass, instances: 2, storage: 'standard', storageGb: 20 },
        cache: { engine: 'redis', nodeType: store.cache.nodeType, nodes: store.cache.nodes },
        efs: { storageGb: 5 },
        nat: { gateways: store.natGateways === 'per-az' ? store.azCount : 1 },
        alb: { count: 1, rulesPerRequest: 1 },
      },
      app: { type: store.app.instanceType, min: store.app.min, max: store.app.max },
      // Runner groups rest at 0; a run scales them to --runners for its boot, load and wind-down.
      runners: {
        type: fleet?.instanceTypes[0] ?? 'c7g.xlarge',
        count: fleet && (run.runners ?? 1) > 1 ? run.runners! : 0,
        lifeSeconds: (run.fleetBootSeconds ?? 0) + run.durationSeconds + RUNNER_WIND_DOWN_S,
      },
    },
    book,
  );
}

/** Asks on a terminal; elsewhere only --yes lets a rehearsal above the limit go ahead. */
export async function confirmCost(
  estimate: RehearsalEstimate,
  limitUsd: number,
  yes: boolean,
  log: (l: string) => void,
): Promise<void> {
  const verdict = needsConfirmation(estimate, limitUsd);
  log(verdict.message);
  for (const a of estimate.assumptions) log(`  assumes ${a}`);
  if (!verdict.needed || yes) return;
  if (!process.stdin.isTTY)
    throw new InputError(
      'refusing to deploy above the cost limit without confirmation: pass --yes, or raise --confirm-above',
    );
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  const answer = await rl.question('Deploy anyway? [y/N] ');
  rl.close();
  if (!/^y(es)?$/i.test(answer.trim()))
    throw new InputError('not deployed: the estimate was above the limit and you said no');
}
