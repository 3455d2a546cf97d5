// rehearse profile from-log <files...> --out profile.json [--name] [--classify rules.json]
//                                       [--replay-out urls.json] [--speed n]
// rehearse profile list
// from-log turns a shop's own access logs (nginx/Apache combined, AWS ALB; plain or gzipped)
// into a profile (arrival curve + journey mix) and, optionally, a replay file of its GET URLs.
import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { InputError } from '../../errors/errors.ts';
import { progressDisplay } from '../progress-display.ts';
import { writeFileAtomic } from '../../reports/record/atomic-write.ts';
import { DEFAULT_RULES, readRules } from '../../scenarios/replay/classify.ts';
import type { LogDigest } from '../../scenarios/replay/log-digest.ts';
import { profileFromDigest } from '../../scenarios/replay/profile-from-log.ts';
import { digestLogs } from '../../scenarios/replay/read-log.ts';
import { replayFromDigest } from '../../scenarios/replay/replay-file.ts';
import { log, newCommand, parsePositive, out } from './command.ts';
import { BUILTIN_PROFILES, builtinProfileNames } from '../../pipeline/profile-path.ts';

interface FromLogFlags {
  out: string;
  name?: string;
  classify?: string;
  replayOut?: string;
  speed: number;
}

/** `out` receives stdout text (the list); log lines go to stderr. */
export function profileCommand() {
  const cmd = newCommand('profile').description(
    "traffic profiles: list the built-ins, or derive one from a shop's access logs",
  );
  cmd
    .command('list')
    .description('the built-in profiles and what each is')
    .action(() => {
      for (const name of builtinProfileNames()) {
        const p = JSON.parse(readFileSync(`${BUILTIN_PROFILES}${name}.json`, 'utf8')) as {
          span: string;
          description: string;
        };
        out(`${name.padEnd(14)} ${p.span.padEnd(5)} ${p.description}\n`);
      }
    });
  cmd
    .command('from-log')
    .description(
      'derive a profile (arrival curve per minute, journey mix, think time) from access logs: nginx/Apache combined or AWS ALB, plain or .gz',
    )
    .argument('<files...>', 'access log files, read in order (a log may be many GB: it is streamed)')
    .requiredOption('--out <file>', 'where to write the profile JSON')
    .option('--name <name>', "the profile's name (default: the --out file name)")
    .option(
      '--classify <rules.json>',
      'your own URL rules, { "regex": "browse|search|cart|checkout|returning|asset|admin" }, checked before the WooCommerce defaults',
    )
    .option(
      '--replay-out <urls.json>',
      'also write the GET URLs (path + query, no host) with their offsets, for a replay plan',
    )
    .option('--speed <n>', 'replay this many times faster than logged (with --replay-out)', parsePositive('--speed'), 1)
    .addHelpText('after', '\nLines that cannot be read are counted and the first few named; they never stop the run.')
    .action(async (files: string[], flags: FromLogFlags) => fromLog(files, flags));
  return cmd;
}

async function fromLog(files: string[], flags: FromLogFlags): Promise<void> {
  const rules = flags.classify ? await readRules(flags.classify) : DEFAULT_RULES;
  const progress = progressDisplay();
  const digest = await digestLogs(files, { rules, keepReplay: Boolean(flags.replayOut) }, (p) =>
    progress.update(
      `from-log: ${basename(p.file)} ${p.lines} lines, ${Math.round((100 * p.bytes) / Math.max(1, p.totalBytes))} %`,
    ),
  );
  progress.done();
  reportDigest(digest);
  if (digest.parsed === 0)
    throw new InputError(
      `no request could be read from ${files.join(', ')} — is it an nginx/Apache combined or AWS ALB access log?`,
    );

  const name = flags.name ?? basename(flags.out).replace(/\.json$/, '');
  let result;
  try {
    result = profileFromDigest(digest, { name, file: flags.out });
  } catch (e) {
    throw new InputError((e as Error).message);
  }
  await writeFileAtomic(flags.out, JSON.stringify(result.profile, null, 2) + '\n');
  for (const note of result.notes) log(`  note: ${note}`);
  log(
    `profile ${name}: span ${result.profile.span}, mix ${JSON.stringify(result.profile.mix)}, think ${result.profile.thinkTime.medianS}/${result.profile.thinkTime.p90S} s → ${flags.out}`,
  );

  if (flags.replayOut) {
    const replay = replayFromDigest(
      digest,
      flags.speed,
      files.map((f) => basename(f)),
    );
    await writeFileAtomic(flags.replayOut, JSON.stringify(replay) + '\n');
    const dropped = digest.replayDropped ? ` (${digest.replayDropped} more left out: the list is capped)` : '';
    log(
      `replay: ${replay.urls.length} GET URLs over ${replay.durationS} s at ${flags.speed}× → ${resolve(flags.replayOut)}${dropped}`,
    );
  }
}

function reportDigest(d: LogDigest): void {
  const counts = d.curve.minuteCounts;
  const busiest = counts.length ? Math.max(...counts) : 0;
  log(
    `read ${d.parsed} requests over ${counts.length} min (busiest minute ${busiest}, ${(busiest / 60).toFixed(1)} requests/s)` +
      `${d.blank ? `, ${d.blank} blank lines` : ''}`,
  );
  if (d.malformed.count) log(`  ${d.malformed.count} lines could not be read, e.g. ${d.malformed.first.join('; ')}`);
  log(
    `  URLs: ${Object.entries(d.classes)
      .filter(([, n]) => n)
      .map(([c, n]) => `${c} ${n}`)
      .join(', ')}`,
  );
  log(
    `  visits: ${
      Object.entries(d.visits)
        .filter(([, n]) => n)
        .map(([k, n]) => `${k} ${n}`)
        .join(', ') || 'none'
    }`,
  );
}
