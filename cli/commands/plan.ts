// rehearse plan: profile + scale + target → plan.json
import { InvalidArgumentError } from 'commander';
import { InputError } from '../../errors/errors.ts';
import { ASSET_LIMIT, type AssetsPerPage } from '../../scenarios/plan/peak-rps.ts';
import { DEFAULT_MAX_RATE, DEFAULT_MAX_RPS } from '../../scenarios/plan/safety.ts';
import { writePlan } from '../../scenarios/plan/plan-file.ts';
import { DEFAULT_SCALE, makePlan, profileFor, type ScaleFlags } from '../../pipeline/make-plan.ts';
import { builtinProfileNames } from '../../pipeline/profile-path.ts';
import { targetFrom, type TargetFlags } from '../../pipeline/target-from.ts';
import { log, newCommand, parseDuration, parsePositive } from './command.ts';
import { addTargetOptions } from './target-options.ts';

/** "--assets-per-page 40" (every page) or "40,4" (a visit's first page, each later page). */
export function parseAssetsPerPage(value: string): AssetsPerPage {
  const parts = value.split(',').map((p) => p.trim());
  const nums = parts.map(Number);
  if (
    parts.length < 1 ||
    parts.length > 2 ||
    parts.some((p) => p === '') ||
    nums.some((n) => !Number.isFinite(n) || n < 0 || n > ASSET_LIMIT)
  )
    throw new InvalidArgumentError(
      `--assets-per-page must be a number of assets from 0 to ${ASSET_LIMIT} ("40"), or the first page's and each later page's ("40,4"), got "${value}"`,
    );
  return { first: nums[0]!, later: nums[1] ?? nums[0]! };
}

export function addScaleOptions(cmd: ReturnType<typeof newCommand>) {
  return cmd
    .option(
      '--profile <name|file>',
      `traffic profile: a built-in (${builtinProfileNames().join(', ')}) or a JSON file`,
      DEFAULT_SCALE.profile,
    )
    .option(
      '--peak-rate <n>',
      `journeys started per second at the profile's peak, all journeys together (default ${DEFAULT_SCALE.peakRate})`,
      parsePositive('--peak-rate'),
    )
    .option(
      '--peak-rps <n>',
      "or: HTTP requests per second at the peak, every request counted: pages, Store API calls and each page's assets (converted through the journeys' request counts, the assets per page and the mix)",
      parsePositive('--peak-rps'),
    )
    .option(
      '--duration <d>',
      `how long the load runs; the profile's whole span is compressed into it (e.g. 90s, 5m; default ${DEFAULT_SCALE.durationS}s)`,
      parseDuration,
    )
    .option(
      '--assets-per-page <n|first,later>',
      "assets a page view loads, that --peak-rps counts: one number for every page, or a visit's first page and each later one (its browser cache holds the rest); default: measured on the target's pages",
      parseAssetsPerPage,
    )
    .option(
      '--max-rate <n>',
      `safety cap on the peak journey rate, journeys/s (default ${DEFAULT_MAX_RATE})`,
      parsePositive('--max-rate'),
    )
    .option(
      '--max-rps <n>',
      `safety cap on the peak request rate, requests/s with assets (default ${DEFAULT_MAX_RPS})`,
      parsePositive('--max-rps'),
    )
    .option('--allow-host <host...>', 'hosts the load may go to (default: loopback only)')
    .option('--slo <file>', "SLO file (scenarios/slo/): k6 thresholds now, the gate's objectives later")
    .option(
      '--replay <file>',
      'replay the URLs of `rehearse profile from-log --replay-out` at their logged pace instead of a profile',
    );
}

export function planCommand() {
  return addScaleOptions(
    addTargetOptions(
      newCommand('plan').description('turn a profile and a scale into plan.json (k6 scenarios); the target must be up'),
    ),
  )
    .option('--out <file>', 'where to write the plan', 'plan.json')
    .action(async (flags: TargetFlags & ScaleFlags & { out: string }) => {
      const profile = await profileFor(flags);
      const target = await targetFrom(flags, log);
      const status = await target.status();
      if (!status.running) {
        throw new InputError(`the ${flags.target} target is not running: run \`rehearse stack up\` first`);
      }
      const plan = await makePlan(flags, profile, await target.up(), flags.target, log);
      await writePlan(flags.out, plan);
      const r = plan.run;
      log(
        `plan ${plan.id}: ${Math.round(plan.expected.total)} journeys over ${r.durationS} s; at the peak ` +
          `${+r.peakRate.toFixed(2)} journeys/s × ${r.requestsPerStart} requests each = ${+r.peakRps.toFixed(1)} requests/s, ` +
          `assets included (cap ${r.maxRps}) → ${flags.out}`,
      );
    });
}
