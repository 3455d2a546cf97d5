// `rehearse reap`: finds what past rehearsals left in every region asked for, and removes it only
// when told to and after confirmation. A rehearsal whose Terraform state is on this machine is
// destroyed by Terraform; without state, S3 buckets are emptied and deleted through the API and
// everything else is listed with what to do. Live rehearsals are never touched (reap.ts).
import { AutoScalingClient, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { GetResourcesCommand, ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import {
  DeleteBucketCommand,
  DeleteObjectsCommand,
  GetBucketLocationCommand,
  ListBucketsCommand,
  ListObjectVersionsCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { TAG } from '../config/common.ts';
import type { RehearsalInfra } from '../config/infra-config.ts';
import { findLeftovers, type Leftover } from './reap.ts';
import { runTerraformPlan } from './run-terraform.ts';
import { liveRehearsals } from './live-lease.ts';
import { defaultStateRoot } from './state-root.ts';
import { terraformPlan } from './terraform-commands.ts';

/** Every region a config names (store and fleet), plus any given; us-east-1 when there are none. */
export function reapRegions(infra: RehearsalInfra | undefined, extra: string[] = []): string[] {
  const regions = [...(infra?.store ? [infra.store.region] : []), ...(infra?.fleet?.regions ?? []), ...extra];
  return [...new Set(regions.length ? regions : ['us-east-1'])];
}

export type RegionalLeftover = Leftover & { regions: string[] };

export interface ListLeftoversOptions {
  regions: string[];
  olderThanS: number;
  /** An AWS-compatible endpoint (moto in tests). */
  endpoint?: string;
  /** Rehearsal ids known to be live (e.g. running here). */
  exclude?: string[];
  includeUnknownAge?: boolean;
  log?: (line: string) => void;
  now?: Date;
}

const clientConfig = (region: string, endpoint?: string) => ({ region, ...(endpoint ? { endpoint } : {}) });

/** Leftovers in every region, oldest first; a resource seen from several regions (S3 is global) counts once. */
export async function listLeftovers(opts: ListLeftoversOptions): Promise<RegionalLeftover[]> {
  const byId = new Map<string, RegionalLeftover>();
  const live = new Set<string>();
  const created = creationTimes(opts.regions[0] ?? 'us-east-1', opts.endpoint);
  for (const region of opts.regions) {
    const tagging = new ResourceGroupsTaggingAPIClient(clientConfig(region, opts.endpoint));
    const found = await findLeftovers({
      getResources: (input) => tagging.send(new GetResourcesCommand(input)),
      olderThanHours: opts.olderThanS / 3600,
      exclude: opts.exclude,
      includeUnknownAge: opts.includeUnknownAge,
      now: opts.now,
      creationTime: (arn) => created(arn, region),
      onLive: (id, why) => {
        if (!live.has(id)) opts.log?.(`${id}: skipped, ${why}`);
        live.add(id);
      },
    });
    for (const l of found) {
      const seen = byId.get(l.rehearsalId);
      if (!seen) {
        byId.set(l.rehearsalId, { ...l, regions: [region] });
        continue;
      }
      seen.regions.push(region);
      for (const r of l.resources) if (!seen.resources.some((x) => x.arn === r.arn)) seen.resources.push(r);
    }
  }
  // A rehearsal live in one region is live everywhere.
  return [...byId.values()]
    .filter((l) => !live.has(l.rehearsalId))
    .sort((a, b) => (a.createdAt?.getTime() ?? 0) - (b.createdAt?.getTime() ?? 0));
}

/** Creation time of the resource types whose APIs tell it (S3 buckets, Auto Scaling groups). */
function creationTimes(home: string, endpoint?: string) {
  let buckets: Promise<Map<string, Date>> | undefined;
  return async (arn: string, region: string): Promise<Date | undefined> => {
    const parts = arn.split(':');
    if (parts[2] === 's3' && !arn.includes('/')) {
      buckets ??= new S3Client({ ...clientConfig(home, endpoint), forcePathStyle: Boolean(endpoint) })
        .send(new ListBucketsCommand({}))
        .then(
          (r) =>
            new Map((r.Buckets ?? []).filter((b) => b.Name && b.CreationDate).map((b) => [b.Name!, b.CreationDate!])),
        );
      return (await buckets).get(parts[5]!);
    }
    const group = /^autoScalingGroup:[^:]+:autoScalingGroupName\/(.+)$/.exec(parts.slice(5).join(':'))?.[1];
    if (parts[2] === 'autoscaling' && group) {
      const res = await new AutoScalingClient(clientConfig(region, endpoint)).send(
        new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [group] }),
      );
      return res.AutoScalingGroups?.[0]?.CreatedTime;
    }
    return undefined;
  };
}

export interface ReapOptions extends ListLeftoversOptions {
  /** Only list (the default) or destroy after confirmation. */
  destroy: boolean;
  /** Asked once with everything that would be destroyed; nothing is deleted unless it resolves true. */
  confirm: (leftovers: RegionalLeftover[]) => Promise<boolean>;
  stateRoot?: string;
  /** terraform/tofu, when a rehearsal's state is on this machine. */
  terraformPath?: () => string;
  log: (line: string) => void;
}

export interface ReapResult {
  leftovers: RegionalLeftover[];
  destroyed: string[];
  /** What could not be deleted here, with what to do. */
  manual: string[];
}

export async function reap(opts: ReapOptions): Promise<ReapResult> {
  // Rehearsals a process on this machine is bringing up, running or taking down are live too.
  const running = liveRehearsals(opts.stateRoot ?? defaultStateRoot());
  const leftovers = await listLeftovers({ ...opts, exclude: [...(opts.exclude ?? []), ...running] });
  const result: ReapResult = { leftovers, destroyed: [], manual: [] };
  if (!opts.destroy || leftovers.length === 0) return result;
  if (!(await opts.confirm(leftovers))) {
    opts.log('nothing destroyed');
    return result;
  }
  for (const l of leftovers) {
    const stacks = localStacks(opts.stateRoot ?? defaultStateRoot(), l.rehearsalId);
    if (stacks.length > 0 && opts.terraformPath) {
      await runTerraformPlan(terraformPlan(opts.terraformPath(), stacks, 'down'), { log: opts.log });
      result.destroyed.push(...l.resources.map((r) => r.arn));
      continue;
    }
    const manual: string[] = [];
    for (const r of l.resources) {
      if (r.type === 's3') {
        await deleteBucket(r.arn.split(':')[5]!, opts.regions[0] ?? 'us-east-1', opts.endpoint);
        result.destroyed.push(r.arn);
        opts.log(`${l.rehearsalId}: deleted ${r.arn}`);
      } else {
        manual.push(r.arn);
      }
    }
    if (manual.length) {
      result.manual.push(...manual);
      opts.log(
        `${l.rehearsalId}: no Terraform state here for ${manual.length} resource(s); delete them in the console or with the AWS CLI ` +
          `(tag ${TAG.rehearsalId}=${l.rehearsalId}), dependents first: ${manual.join(', ')}`,
      );
    }
  }
  return result;
}

/** Stack directories this machine still holds the Terraform state of, for one rehearsal. */
function localStacks(stateRoot: string, id: string) {
  const stacksDir = join(stateRoot, id, 'stacks');
  if (!existsSync(stacksDir)) return [];
  return readdirSync(stacksDir).map((name) => ({
    name,
    dir: join(stacksDir, name),
    file: join(stacksDir, name, 'cdk.tf.json'),
  }));
}

/** Empties a bucket (every version and delete marker) and deletes it, in the bucket's own region. */
async function deleteBucket(bucket: string, home: string, endpoint?: string): Promise<void> {
  const locate = new S3Client({ ...clientConfig(home, endpoint), forcePathStyle: Boolean(endpoint) });
  const region =
    (await locate.send(new GetBucketLocationCommand({ Bucket: bucket }))).LocationConstraint || 'us-east-1';
  const s3 = new S3Client({ ...clientConfig(region, endpoint), forcePathStyle: Boolean(endpoint) });
  let keyMarker: string | undefined;
  let versionMarker: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectVersionsCommand({ Bucket: bucket, KeyMarker: keyMarker, VersionIdMarker: versionMarker }),
    );
    const objects = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])].map((v) => ({
      Key: v.Key!,
      VersionId: v.VersionId,
    }));
    if (objects.length)
      await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: objects, Quiet: true } }));
    [keyMarker, versionMarker] = page.IsTruncated
      ? [page.NextKeyMarker, page.NextVersionIdMarker]
      : [undefined, undefined];
  } while (keyMarker);
  await s3.send(new DeleteBucketCommand({ Bucket: bucket }));
}
