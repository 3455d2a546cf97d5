// The deployed store's billed shape for the cost model (telemetry.json `stack`): sizes from the
// stack config (infra/aws/config/stack-config.ts, what the synth built) and storage from
// CloudWatch (Aurora VolumeBytesUsed, EFS StorageBytes). Pure.
import type { Telemetry } from '../../telemetry/telemetry-schema.ts';
import type { StackConfig } from '../config/stack-config.ts';

export type StackShape = NonNullable<Telemetry['stack']>;

const GB = 1024 ** 3;

/** What the synth builds (infra/aws/stack): an Aurora writer and reader on Standard storage, one Redis group, one ALB with one rule. */
export function stackShapeOf(
  config: Pick<StackConfig, 'region' | 'azCount' | 'natGateways' | 'database' | 'cache'>,
  measured: { auroraBytes?: number; efsBytes?: number },
): StackShape {
  return {
    region: config.region,
    aurora: {
      instanceClass: config.database.instanceClass,
      instances: 2,
      storage: 'standard',
      storageGb: (measured.auroraBytes ?? 0) / GB,
    },
    cache: { engine: 'redis', nodeType: config.cache.nodeType, nodes: config.cache.nodes },
    efs: { storageGb: (measured.efsBytes ?? 0) / GB },
    nat: { gateways: config.natGateways === 'per-az' ? config.azCount : 1 },
    alb: { count: 1, rulesPerRequest: 1 },
  };
}

/**
 * Bytes that crossed AZs, estimated: app instances spread evenly over the AZs talk to one
 * database writer and one cache primary, so (AZs − 1)/AZs of that traffic leaves its AZ. The ALB
 * to targets is free across zones; replication inside Aurora's storage and ElastiCache is not billed.
 */
export function interAzEstimate(dbBytes: number, cacheBytes: number, azCount: number): { bytes: number; note: string } {
  const share = azCount > 1 ? (azCount - 1) / azCount : 0;
  return {
    bytes: (dbBytes + cacheBytes) * share,
    note: `bytes between AZs estimated as ${Math.round(share * 100)} % of the database's and cache primary's network bytes (app instances spread over ${azCount} AZs, one writer and one primary)`,
  };
}
