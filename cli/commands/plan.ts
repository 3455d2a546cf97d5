// rehearse plan: profile + scale + target → plan.json
import { InputError } from '../../errors/errors.ts';
import { loadProfile, type LoadedProfile } from '../../scenarios/profile/load-profile.ts';
import { buildPlan } from '../../scenarios/plan/build-plan.ts';
import { buildReplayPlan } from '../../scenarios/plan/build-replay-plan.ts';
import { readReplayFile } from '../../scenarios/replay/replay-file.ts';
import { readSloFile } from '../../scenarios/slo/slo-file.ts';
import { readCatalogue } from '../../scenarios/plan/catalogue-file.ts';
import { writePlan } from '../../scenarios/plan/plan-file.ts';
import type { Plan } from '../../scenarios/plan/plan-schema.ts';
import type { Endpoint, TargetKind } from '../../infra/target.ts';
import { log, newCommand, parseDuration, parsePositive } from './command.ts';
import { builtinProfileNames, resolveProfilePath } from './profile-path.ts';
import { addTargetOptions, targetFrom, type TargetFlags } from './target-options.ts';

export interface ScaleFlags {
  profile: string;
  /** Journey starts per second at the peak; or give peakRps. Default DEFAULT_SCALE.peakRate. */
  peakRate?: number;
  /** Requests per second at the peak, converted through the journeys' request counts and the mix. */
  peakRps?: number;
  /** Seconds; default DEFAULT_SCALE.durationS, or the replay's own length with --replay. */
  duration?: number;
  maxRate?: number;
  allowHost?: string[];
  /** SLO file: becomes k6 thresholds, and travels in the plan for the gate. */
  slo?: string;
  /** Replay file from `rehearse profile from-log --replay-out`: replays those URLs at their pace. */
  replay?: string;
}

// 16 journeys/s: enough cart and checkout traffic past the page cache for the replica's two
// starting instances to scale out in a default rehearsal (README, "What a rehearsal does").
export const DEFAULT_SCALE = { profile: 'black-friday', peakRate: 16, durationS: 120 };

export function runId(profileName: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${profileName}`;
}

/** Read and validate the profile first, so a bad file fails before anything starts. */
export function profileFor(scale: ScaleFlags): Promise<LoadedProfile> {
  return loadProfile(resolveProfilePath(scale.profile));
}

export async function makePlan(scale: ScaleFlags, loaded: LoadedProfile, endpoint: Endpoint, kind: TargetKind): Promise<Plan> {
  if (scale.peakRate !== undefined && scale.peakRps !== undefined) throw new InputError('give --peak-rate (journeys/s) or --peak-rps (requests/s), not both');
  const common = {
    createdAt: new Date().toISOString(),
    baseUrl: endpoint.baseUrl,
    targetKind: kind,
    maxRate: scale.maxRate,
    allowHosts: scale.allowHost,
    catalogue: await readCatalogue(endpoint.cataloguePath),
    slo: scale.slo ? await readSloFile(scale.slo) : undefined,
  };
  if (scale.replay) {
    return buildReplayPlan(await readReplayFile(scale.replay), { ...common, id: runId('replay'), durationS: scale.duration });
  }
  const rate = scale.peakRps !== undefined ? { peakRps: scale.peakRps } : { peakRate: scale.peakRate ?? DEFAULT_SCALE.peakRate };
  return buildPlan(loaded, { ...common, ...rate, id: runId(loaded.profile.name), durationS: scale.duration ?? DEFAULT_SCALE.durationS });
}

export function addScaleOptions(cmd: ReturnType<typeof newCommand>) {
  return cmd
    .option('--profile <name|file>', `traffic profile: a built-in (${builtinProfileNames().join(', ')}) or a JSON file`, DEFAULT_SCALE.profile)
    .option('--peak-rate <n>', `journeys started per second at the profile's peak, all journeys together (default ${DEFAULT_SCALE.peakRate})`, parsePositive('--peak-rate'))
    .option('--peak-rps <n>', 'or: requests per second at the peak (converted through the journeys\' request counts and the mix)', parsePositive('--peak-rps'))
    .option('--duration <d>', `how long the load runs; the profile's whole span is compressed into it (e.g. 90s, 5m; default ${DEFAULT_SCALE.durationS}s)`, parseDuration)
    .option('--max-rate <n>', 'safety cap on the peak journey rate (default 50)', parsePositive('--max-rate'))
    .option('--allow-host <host...>', 'hosts the load may go to (default: loopback only)')
    .option('--slo <file>', 'SLO file (scenarios/slo/): k6 thresholds now, the gate\'s objectives later')
    .option('--replay <file>', 'replay the URLs of `rehearse profile from-log --replay-out` at their logged pace instead of a profile');
}

export function planCommand() {
  return addScaleOptions(addTargetOptions(newCommand('plan').description('turn a profile and a scale into plan.json (k6 scenarios); the target must be up')))
    .option('--out <file>', 'where to write the plan', 'plan.json')
    .action(async (flags: TargetFlags & ScaleFlags & { out: string }) => {
      const profile = await profileFor(flags);
      const target = await targetFrom(flags);
      const status = await target.status();
      if (!status.running) throw new InputError(`the ${flags.target} target is not running: run \`rehearse stack up\` first`);
      const plan = await makePlan(flags, profile, await target.up(), flags.target);
      await writePlan(flags.out, plan);
      log(`plan ${plan.id}: ${Math.round(plan.expected.total)} journeys over ${plan.run.durationS} s → ${flags.out}`);
    });
}
