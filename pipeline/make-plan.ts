// Profile + scale + target → plan: the first step of every rehearsal, and of `rehearse plan`.
import { InputError } from '../errors/errors.ts';
import { loadProfile, type LoadedProfile } from '../scenarios/profile/load-profile.ts';
import { buildPlan } from '../scenarios/plan/build-plan.ts';
import { buildReplayPlan } from '../scenarios/plan/build-replay-plan.ts';
import { readReplayFile } from '../scenarios/replay/replay-file.ts';
import { readSloFile } from '../scenarios/slo/slo-file.ts';
import { readCatalogue } from '../scenarios/plan/catalogue-file.ts';
import { measureAssets } from '../scenarios/plan/measure-assets.ts';
import { DEFAULT_ASSETS_PER_PAGE, type AssetsPerPage } from '../scenarios/plan/peak-rps.ts';
import { DEFAULT_ALLOW_HOSTS } from '../scenarios/plan/safety.ts';
import type { Plan } from '../scenarios/plan/plan-schema.ts';
import type { Endpoint, TargetKind } from '../infra/target.ts';
import { resolveProfilePath } from './profile-path.ts';

export interface ScaleFlags {
  profile: string;
  /** Journey starts per second at the peak; or give peakRps. Default DEFAULT_SCALE.peakRate. */
  peakRate?: number;
  /** Requests per second at the peak, assets included, converted through the journeys' request counts and the mix. */
  peakRps?: number;
  /** Assets per page view (--assets-per-page); default: measured on the target's pages. */
  assetsPerPage?: AssetsPerPage;
  /** Seconds; default DEFAULT_SCALE.durationS, or the replay's own length with --replay. */
  duration?: number;
  maxRate?: number;
  /** Cap on requests/s at the peak, assets included (--max-rps). */
  maxRps?: number;
  allowHost?: string[];
  /** SLO file: becomes k6 thresholds, and travels in the plan for the gate. */
  slo?: string;
  /** Replay file from `rehearse profile from-log --replay-out`: replays those URLs at their pace. */
  replay?: string;
}

// 5 journeys/s: with the shop costing what WooCommerce costs (infra/local/wordpress/calibration/),
// enough for the replica's two starting instances to scale out in a default rehearsal (README,
// "What a rehearsal does"); the light shop needed 16.
export const DEFAULT_SCALE = { profile: 'black-friday', peakRate: 5, durationS: 120 };

export function runId(profileName: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${profileName}`;
}

/** Read and validate the profile first, so a bad file fails before anything starts. */
export function profileFor(scale: ScaleFlags): Promise<LoadedProfile> {
  return loadProfile(resolveProfilePath(scale.profile));
}

/**
 * The assets per page --peak-rps counts with: --assets-per-page, else measured on the target's
 * own pages (3 GETs, scenarios/plan/measure-assets.ts), else the default, said in the log.
 */
export async function assetsFor(
  scale: Pick<ScaleFlags, 'assetsPerPage' | 'allowHost'>,
  baseUrl: string,
  catalogue: Parameters<typeof measureAssets>[1],
  log: (line: string) => void,
): Promise<(AssetsPerPage & { source: 'measured' | 'given' }) | undefined> {
  if (scale.assetsPerPage) return { ...scale.assetsPerPage, source: 'given' };
  const m = await measureAssets(baseUrl, catalogue, scale.allowHost ?? DEFAULT_ALLOW_HOSTS);
  if ('failed' in m) {
    const d = DEFAULT_ASSETS_PER_PAGE;
    log(
      `assets per page not measured (${m.failed}): counting ${d.first} on a visit's first page, ${d.later} on later ones — set --assets-per-page`,
    );
    return undefined;
  }
  log(
    `assets per page measured on ${m.pages.join(', ')}: ${m.first} on a visit's first page, ${m.later} on later ones`,
  );
  return { first: m.first, later: m.later, source: 'measured' };
}

export async function makePlan(
  scale: ScaleFlags,
  loaded: LoadedProfile,
  endpoint: Endpoint,
  kind: TargetKind,
  log: (line: string) => void = () => {},
): Promise<Plan> {
  if (scale.peakRate !== undefined && scale.peakRps !== undefined) {
    throw new InputError('give --peak-rate (journeys/s) or --peak-rps (requests/s), not both');
  }
  const common = {
    createdAt: new Date().toISOString(),
    baseUrl: endpoint.baseUrl,
    targetKind: kind,
    maxRate: scale.maxRate,
    maxRps: scale.maxRps,
    allowHosts: scale.allowHost,
    catalogue: await readCatalogue(endpoint.cataloguePath),
    slo: scale.slo ? await readSloFile(scale.slo) : undefined,
  };
  if (scale.replay) {
    const replay = await readReplayFile(scale.replay);
    return buildReplayPlan(replay, { ...common, id: runId('replay'), durationS: scale.duration });
  }
  const rate =
    scale.peakRps !== undefined ? { peakRps: scale.peakRps } : { peakRate: scale.peakRate ?? DEFAULT_SCALE.peakRate };
  const id = runId(loaded.profile.name);
  const assetsPerPage = await assetsFor(scale, endpoint.baseUrl, common.catalogue, log);
  return buildPlan(loaded, {
    ...common,
    ...rate,
    id,
    durationS: scale.duration ?? DEFAULT_SCALE.durationS,
    assetsPerPage,
  });
}
