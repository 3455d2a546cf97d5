// `--runners N` on an AWS plan: the run's store and launcher on the deployed runner fleet. The
// fleet's stack outputs come from infra/aws (readFleetEndpoint); the clients from the SDK's
// default chain (environment, profile, SSO), each in its region.
import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { S3Client } from '@aws-sdk/client-s3';
import { readFleetEndpoint, type FleetEndpoint } from '../../infra/aws/fleet/fleet-outputs.ts';
import type { DistributedOptions } from '../distributed/run-distributed.ts';
import { S3Store } from '../store/s3-store.ts';
import { packAgentBundle } from './agent-bundle.ts';
import { FleetAgents, type FleetAgentsOptions } from './fleet-agents.ts';

export interface FleetRunOptions extends Pick<
  FleetAgentsOptions,
  'planId' | 'runners' | 'log' | 'bootMs' | 'graceMs' | 'stopGraceMs' | 'switchAfterMs'
> {
  /** The agent bundle; default npm pack of this repo. */
  bundle?: () => Promise<Buffer>;
  /** Extra client settings (tests point both APIs at moto: endpoint, credentials, path-style S3). */
  clientConfig?: {
    endpoint?: string;
    credentials?: { accessKeyId: string; secretAccessKey: string };
    forcePathStyle?: boolean;
  };
}

export type FleetRun = Required<Pick<DistributedOptions, 'store' | 'launcher'>>;

/** The store and launcher of one run on a fleet whose endpoint is known. */
export function fleetRunOn(fleet: FleetEndpoint, o: FleetRunOptions): FleetRun {
  const { forcePathStyle, ...common } = o.clientConfig ?? {};
  // The bucket lives in the first region; runners write to it from every region.
  const root = new S3Store(fleet.storeUrl, new S3Client({ ...common, forcePathStyle, region: fleet.bucketRegion }));
  const clients = new Map<string, AutoScalingClient>();
  const autoScaling = (region: string) => {
    if (!clients.has(region)) clients.set(region, new AutoScalingClient({ ...common, region }));
    return clients.get(region)!;
  };
  const launcher = new FleetAgents({
    ...o,
    root,
    groups: fleet.groups,
    autoScaling,
    bundleKey: fleet.bundleKey,
    configPath: fleet.configPath,
    bundle: o.bundle ?? (async () => (await packAgentBundle()).bytes),
  });
  return { store: launcher.runStore, launcher };
}

/** The same, reading the deployed fleet of the rehearsal in an AWS config (terraform output). */
export async function awsFleetRun(configPath: string, o: FleetRunOptions & { stateRoot?: string }): Promise<FleetRun> {
  return fleetRunOn(await readFleetEndpoint({ configPath, stateRoot: o.stateRoot, log: o.log }), o);
}
