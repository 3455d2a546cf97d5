// Holds the target at a fixed instance count for a capacity search: autoscaling off, exactly n
// app instances. The local replica is restarted at each count (its data stays; a restart takes
// seconds); a bare URL has the one size it has; AWS would set the group's min = max = desired
// and restore them afterwards — not built yet, so it is refused with what to do instead.

import { InputError } from '../../errors/errors.ts';
import { resolveTarget, type Endpoint, type Target, type TargetKind } from '../../infra/target.ts';

export interface PinnedTarget {
  endpoint: Endpoint;
  target: Target;
  instances: number;
}

export interface PinOptions {
  kind: TargetKind;
  /** Local replica: CPU share of a core per app instance (its "size"; infra/local default 0.4). */
  instanceCpu?: number;
  /** Local replica: what a request costs (infra/local/shop-cost.ts; default calibrated). */
  shopCost?: 'calibrated' | 'light';
  url?: string;
  catalogue?: string;
  log: (line: string) => void;
  signal?: AbortSignal;
}

export function checkCounts(kind: TargetKind, counts: number[]): void {
  if (counts.length === 0) throw new InputError('--instances: give at least one count, e.g. --instances 1,2,4');
  if (kind === 'url' && counts.some((c) => c !== 1)) {
    throw new InputError(
      `--instances ${counts.join(',')}: a --target url store has the one size it has; use --instances 1 (its knee as it stands)`,
    );
  }
  if (kind === 'aws') {
    throw new InputError(
      'rehearse capacity --target aws is not built yet (it would pin the app group at min = max = desired per count); ' +
        'run it on the local replica (--target local), or a rehearsal on AWS with `rehearse rehearsal --target aws`',
    );
  }
}

export async function pinInstances(
  o: PinOptions,
  instances: number,
  previous: PinnedTarget | null,
): Promise<PinnedTarget> {
  if (o.kind === 'url') {
    const target = await resolveTarget({
      kind: 'url',
      url: o.url,
      catalogue: o.catalogue,
      log: o.log,
      signal: o.signal,
    });
    return { endpoint: await target.up(), target, instances };
  }
  // Local: down then up at the new count, autoscaler off (a running one would move the count).
  if (previous) await previous.target.down();
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
  await target.down();
  return { endpoint: await target.up(), target, instances };
}
