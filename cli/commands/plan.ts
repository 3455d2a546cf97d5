// rehearse plan: profile + scale + target → plan.json
import { InputError } from '../errors.ts';
import { loadProfile, type LoadedProfile } from '../../scenarios/profile/load-profile.ts';
import { buildPlan } from '../../scenarios/plan/build-plan.ts';
import { readCatalogue } from '../../scenarios/plan/catalogue-file.ts';
import { writePlan } from '../../scenarios/plan/plan-file.ts';
import type { Plan } from '../../scenarios/plan/plan-schema.ts';
import type { Endpoint, TargetKind } from '../../infra/target.ts';
import { log, newCommand, parseDuration, parsePositive } from './command.ts';
import { builtinProfileNames, resolveProfilePath } from './profile-path.ts';
import { addTargetOptions, targetFrom, type TargetFlags } from './target-options.ts';

export interface ScaleFlags {
  profile: string;
  peakRate: number;
  duration: number;
  maxRate?: number;
  allowHost?: string[];
}

export const DEFAULT_SCALE = { profile: 'black-friday', peakRate: 4, durationS: 120 };

export function runId(profileName: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${profileName}`;
}

/** Read and validate the profile first, so a bad file fails before anything starts. */
export function profileFor(scale: ScaleFlags): Promise<LoadedProfile> {
  return loadProfile(resolveProfilePath(scale.profile));
}

export async function makePlan(scale: ScaleFlags, loaded: LoadedProfile, endpoint: Endpoint, kind: TargetKind): Promise<Plan> {
  return buildPlan(loaded, {
    id: runId(loaded.profile.name),
    createdAt: new Date().toISOString(),
    baseUrl: endpoint.baseUrl,
    targetKind: kind,
    peakRate: scale.peakRate,
    durationS: scale.duration,
    maxRate: scale.maxRate,
    allowHosts: scale.allowHost,
    catalogue: await readCatalogue(endpoint.cataloguePath),
  });
}

export function addScaleOptions(cmd: ReturnType<typeof newCommand>) {
  return cmd
    .option('--profile <name|file>', `traffic profile: a built-in (${builtinProfileNames().join(', ')}) or a JSON file`, DEFAULT_SCALE.profile)
    .option('--peak-rate <n>', 'journeys started per second at the profile\'s peak (all journeys together)', parsePositive('--peak-rate'), DEFAULT_SCALE.peakRate)
    .option('--duration <d>', 'how long the load runs: the profile\'s whole span is compressed into it (e.g. 90s, 5m)', parseDuration, DEFAULT_SCALE.durationS)
    .option('--max-rate <n>', 'safety cap on --peak-rate (default 50)', parsePositive('--max-rate'))
    .option('--allow-host <host...>', 'hosts the load may go to (default: loopback only)');
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
