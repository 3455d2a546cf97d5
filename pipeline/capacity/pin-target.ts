// Holds the target at a fixed instance count for a capacity search: autoscaling off, exactly n
// app instances. The local replica is restarted at each count (its data stays; a restart takes
// seconds); a bare URL has the one size it has. On AWS the deployed store's app group is pinned at
// min = max = desired = n with the processes that would move it suspended
// (infra/aws/lifecycle/pin-app-group.ts), and `release` puts it back as it was, exactly once,
// however the search ended: the stack is never deployed or destroyed here (`rehearse stack up`
// made it, `rehearse stack down` removes it).

import { InputError } from '../../errors/errors.ts';
import { resolveTarget, type Endpoint, type Target, type TargetKind } from '../../infra/target.ts';
import type { HealthProbe } from '../../infra/aws/lifecycle/wait-healthy.ts';
import type { StoreAppGroup } from '../../infra/aws/lifecycle/store-outputs.ts';
import type { AppGroupHold, AppGroupHoldOptions } from '../../infra/aws/lifecycle/pin-app-group.ts';

export interface PinnedTarget {
  endpoint: Endpoint;
  target: Target;
  instances: number;
}

/** Test seams of the AWS pin: where the store is, which clients, how long to wait. */
export interface AwsPinDeps {
  /** Default: the store stack's `terraform output` (infra/aws/lifecycle/store-outputs.ts). */
  readStore?: () => Promise<StoreAppGroup>;
  autoScaling?: AppGroupHoldOptions['autoScaling'];
  /** Default: HealthyHostCount from CloudWatch for the store's balancer and target group. */
  targetHealth?: HealthProbe;
  timeoutMs?: number;
  intervalMs?: number;
  /** Default: the AWS target's CloudWatch telemetry. */
  telemetry?: Target['telemetry'];
}

export interface PinOptions {
  kind: TargetKind;
  /** Local replica: CPU share of a core per app instance (its "size"; infra/local default 0.4). */
  instanceCpu?: number;
  /** Local replica: what a request costs (infra/local/shop-cost.ts; default calibrated). */
  shopCost?: 'calibrated' | 'light';
  url?: string;
  catalogue?: string;
  /** AWS: the { store, fleet } config of the deployed stack. */
  awsConfig?: string;
  aws?: AwsPinDeps;
  /** Local: leave the replica running at the end (AWS: the stack always stays). */
  keepUp?: boolean;
  log: (line: string) => void;
  signal?: AbortSignal;
}

export interface TargetPinner {
  /** The target at exactly n app instances, ready for load. */
  pin(instances: number): Promise<PinnedTarget>;
  /**
   * Call once at the end, in a finally: stops the local replica (unless keepUp), restores the AWS
   * group. Rejects only when the AWS group could not be restored (the error says how by hand).
   */
  release(): Promise<void>;
}

export function checkCounts(kind: TargetKind, counts: number[]): void {
  if (counts.length === 0) throw new InputError('--instances: give at least one count, e.g. --instances 1,2,4');
  if (kind === 'url' && counts.some((c) => c !== 1)) {
    throw new InputError(
      `--instances ${counts.join(',')}: a --target url store has the one size it has; use --instances 1 (its knee as it stands)`,
    );
  }
}

/** A pinner for the options' target; bad options fail here, before anything starts. */
export function targetPinner(o: PinOptions): TargetPinner {
  if (o.kind === 'aws') return awsPinner(o);
  if (o.kind === 'url') return urlPinner(o);
  return localPinner(o);
}

function urlPinner(o: PinOptions): TargetPinner {
  return {
    async pin(instances) {
      const target = await resolveTarget({
        kind: 'url',
        url: o.url,
        catalogue: o.catalogue,
        log: o.log,
        signal: o.signal,
      });
      return { endpoint: await target.up(), target, instances };
    },
    release: async () => {},
  };
}

function localPinner(o: PinOptions): TargetPinner {
  let current: Target | null = null;
  return {
    async pin(instances) {
      // Down then up at the new count, autoscaler off (a running one would move the count).
      if (current) await current.down();
      const replica = await import('../../infra/local/replica.ts');
      const opts = {
        instances,
        autoscaling: false,
        log: o.log,
        ...(o.instanceCpu ? { size: { cpu: o.instanceCpu } } : {}),
        ...(o.shopCost ? { shopCost: o.shopCost } : {}),
      };
      const target: Target = {
        kind: 'local',
        up: () => replica.up(opts),
        down: () => replica.down(opts),
        status: async () => ({ kind: 'local', ...(await replica.status(opts)) }),
        telemetry: (from, to) => replica.telemetry(from, to, opts),
      };
      current = target;
      await target.down();
      return { endpoint: await target.up(), target, instances };
    },
    async release() {
      if (current && !o.keepUp) await current.down().catch((e) => o.log(`stack down failed: ${(e as Error).message}`));
    },
  };
}

function awsPinner(o: PinOptions): TargetPinner {
  const deps = o.aws ?? {};
  if (!o.awsConfig && !deps.readStore)
    throw new InputError(
      '--target aws needs --aws-config FILE: the config of the deployed store stack (infra/aws/README.md)',
    );
  if (!o.catalogue)
    throw new InputError(
      '--target aws needs --catalogue FILE: the deployed store\'s categories and products (format: scenarios/README.md, "Catalogue")',
    );
  const cataloguePath = o.catalogue;
  let store: StoreAppGroup | undefined;
  let hold: AppGroupHold | undefined;
  let aws: Target | undefined;
  // Telemetry through the AWS target (CloudWatch for the plateau's window); made when first asked.
  const telemetry: Target['telemetry'] =
    deps.telemetry ??
    (async (from, to) => {
      aws ??= await resolveTarget({ kind: 'aws', awsConfig: o.awsConfig, catalogue: cataloguePath, log: o.log });
      return aws.telemetry!(from, to);
    });
  return {
    async pin(instances) {
      if (!store) {
        store =
          (await deps.readStore?.()) ??
          (await (
            await import('../../infra/aws/lifecycle/store-outputs.ts')
          ).readStoreAppGroup({ configPath: o.awsConfig!, log: o.log }));
        const { appGroupHold } = await import('../../infra/aws/lifecycle/pin-app-group.ts');
        hold = appGroupHold(store, {
          autoScaling: deps.autoScaling,
          targetHealth: deps.targetHealth,
          timeoutMs: deps.timeoutMs,
          intervalMs: deps.intervalMs,
          log: o.log,
          signal: o.signal,
        });
      }
      await hold!.pinTo(instances);
      const endpoint: Endpoint = { baseUrl: store.siteUrl, cataloguePath };
      // The stack stays up: only `rehearse stack down` destroys it, never the search's clean-up.
      const target: Target = {
        kind: 'aws',
        up: async () => endpoint,
        down: async () => {},
        status: async () => ({ kind: 'aws', running: true, baseUrl: endpoint.baseUrl, components: [] }),
        telemetry,
      };
      return { endpoint, target, instances };
    },
    async release() {
      await hold?.restore();
    },
  };
}
