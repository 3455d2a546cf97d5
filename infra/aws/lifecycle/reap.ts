// The reaper's eyes: which resources in a region are tagged by past rehearsals older than N
// hours (a Ctrl-C at the wrong moment or a lost state file leaves them behind), leaving out live
// ones (excluded, or expires-at still ahead). Lists; deletes nothing. Written against the Resource Groups Tagging API's GetResources shape; the caller
// injects it, e.g. `(input) => client.send(new GetResourcesCommand(input))` with
// @aws-sdk/client-resource-groups-tagging-api.
import { TAG } from '../config/common.ts';

export interface GetResourcesInput {
  TagFilters?: Array<{ Key: string; Values?: string[] }>;
  ResourceTypeFilters?: string[];
  ResourcesPerPage?: number;
  PaginationToken?: string;
}

export interface GetResourcesOutput {
  PaginationToken?: string;
  ResourceTagMappingList?: Array<{ ResourceARN?: string; Tags?: Array<{ Key?: string; Value?: string }> }>;
}

export type GetResources = (input: GetResourcesInput) => Promise<GetResourcesOutput>;

export interface Leftover {
  rehearsalId: string;
  /** When the rehearsal started: its created-at tag, else the timestamp its id starts with, else its oldest resource's creation time. */
  createdAt?: Date;
  ageFrom: 'tag' | 'id' | 'resource' | 'unknown';
  /** Its expires-at tag: before then the rehearsal is live and never reported. */
  expiresAt?: Date;
  ageHours?: number;
  resources: Array<{ arn: string; type: string }>;
}

export interface FindLeftoversOptions {
  getResources: GetResources;
  olderThanHours: number;
  now?: Date;
  /** Rehearsals still running here: never reported. */
  exclude?: string[];
  /** Report rehearsals whose age cannot be told (no tag, no timestamp in the id, no creation time). Off by default: unknown is not old. */
  includeUnknownAge?: boolean;
  /** A resource's own creation time, for rehearsals whose tags and id carry none (e.g. S3 CreationDate). */
  creationTime?: (arn: string) => Promise<Date | undefined>;
  /** Told each rehearsal left out because it is live (excluded, or its expires-at is ahead). */
  onLive?: (rehearsalId: string, why: string) => void;
}

/** Rehearsals with tagged resources older than the limit, oldest first. */
export async function findLeftovers(opts: FindLeftoversOptions): Promise<Leftover[]> {
  const now = opts.now ?? new Date();
  const byId = new Map<string, Leftover>();
  let token: string | undefined;
  do {
    const page = await opts.getResources({
      TagFilters: [{ Key: TAG.rehearsalId }],
      ResourcesPerPage: 100,
      PaginationToken: token,
    });
    for (const mapping of page.ResourceTagMappingList ?? []) {
      const tags = new Map((mapping.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));
      const id = tags.get(TAG.rehearsalId);
      if (!id || !mapping.ResourceARN) continue;
      const entry = byId.get(id) ?? ({ rehearsalId: id, ageFrom: 'unknown', resources: [] } as Leftover);
      entry.resources.push({ arn: mapping.ResourceARN, type: resourceType(mapping.ResourceARN) });
      const tagged = parseTime(tags.get(TAG.createdAt));
      // The earliest created-at any of its resources carries is when the rehearsal began.
      if (tagged && (entry.ageFrom !== 'tag' || tagged < entry.createdAt!))
        Object.assign(entry, { createdAt: tagged, ageFrom: 'tag' });
      const expires = parseTime(tags.get(TAG.expiresAt));
      if (expires && (!entry.expiresAt || expires > entry.expiresAt)) entry.expiresAt = expires;
      byId.set(id, entry);
    }
    token = page.PaginationToken || undefined;
  } while (token);

  const limitMs = opts.olderThanHours * 3_600_000;
  const out: Leftover[] = [];
  for (const entry of byId.values()) {
    if (opts.exclude?.includes(entry.rehearsalId)) {
      opts.onLive?.(entry.rehearsalId, 'running on this machine');
      continue;
    }
    if (entry.expiresAt && entry.expiresAt > now) {
      opts.onLive?.(entry.rehearsalId, `live until ${entry.expiresAt.toISOString()} (its ${TAG.expiresAt} tag)`);
      continue;
    }
    if (entry.ageFrom === 'unknown') {
      const fromId = timeFromRehearsalId(entry.rehearsalId);
      if (fromId) Object.assign(entry, { createdAt: fromId, ageFrom: 'id' });
    }
    if (entry.ageFrom === 'unknown' && opts.creationTime) {
      const times = (
        await Promise.all(entry.resources.map((r) => opts.creationTime!(r.arn).catch(() => undefined)))
      ).filter((t): t is Date => !!t);
      if (times.length)
        Object.assign(entry, { createdAt: new Date(Math.min(...times.map((t) => t.getTime()))), ageFrom: 'resource' });
    }
    if (entry.createdAt) {
      const ageMs = now.getTime() - entry.createdAt.getTime();
      entry.ageHours = Math.round((ageMs / 3_600_000) * 10) / 10;
      if (ageMs >= limitMs) out.push(entry);
    } else if (opts.includeUnknownAge) {
      out.push(entry);
    }
  }
  return out.sort((a, b) => (a.createdAt?.getTime() ?? 0) - (b.createdAt?.getTime() ?? 0));
}

/** "20261125-104512-…" (the CLI's run ids) or "20261125-…" → that UTC time; otherwise undefined. */
export function timeFromRehearsalId(id: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})(?:-(\d{2})(\d{2})(\d{2}))?(?:-|$)/.exec(id);
  if (!m) return undefined;
  const [y, mo, d, h = '00', mi = '00', s = '00'] = m.slice(1).map((x) => x ?? undefined) as string[];
  const date = new Date(Date.UTC(+y!, +mo! - 1, +d!, +h, +mi, +s));
  // Reject impossible dates (Date.UTC rolls 20261345 over into another month).
  return date.getUTCMonth() === +mo! - 1 && date.getUTCDate() === +d! && +h < 24 && +mi < 60 && +s < 60
    ? date
    : undefined;
}

function parseTime(value: string | undefined): Date | undefined {
  if (!value) return undefined;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : new Date(t);
}

/** "arn:aws:ec2:eu-west-1:123:instance/i-0abc" → "ec2:instance"; "arn:aws:s3:::bucket" → "s3". */
export function resourceType(arn: string): string {
  const parts = arn.split(':');
  const kind = /^([^/:]+)[/:]/.exec(parts.slice(5).join(':'))?.[1];
  return kind ? `${parts[2]}:${kind}` : (parts[2] ?? '');
}
