// `rehearse doctor` and the rehearsal's preflight: the same checks, so a run that would stop
// half-way stops before it starts, with the doctor's advice.
import { InputError } from '../../errors/errors.ts';
import { chooseStateDir } from '../../infra/local/state-dir.ts';
import { REPO_ROOT } from '../../infra/local/layout.ts';
import {
  checkCgroup,
  checkDisk,
  checkK6,
  checkNode,
  checkPackages,
  checkPorts,
  checkUser,
  checkStateDir,
} from './checks.ts';
import { blocking, type Finding } from './finding.ts';

export interface DoctorOptions {
  /** Where run directories go (the rehearsal's --runs-dir). */
  runsDir?: string;
  env?: NodeJS.ProcessEnv;
}

// A first start copies WordPress (~60 MB) and makes MariaDB's files (~200 MB); a run's raw
// samples are tens of MB per minute of load at tens of requests/s.
const STATE_MB = { fail: 500, warn: 2048 };
const RUNS_MB = { fail: 100, warn: 1024 };

export async function runDoctor(opts: DoctorOptions = {}): Promise<Finding[]> {
  const env = opts.env ?? process.env;
  return [
    checkNode(),
    checkUser(),
    checkPackages(),
    checkK6(env),
    checkCgroup(),
    checkStateDir(env),
    await checkPorts(env),
    checkDisk([
      {
        what: 'state dir',
        dir: chooseStateDir(REPO_ROOT, env).dir,
        failBelowMb: STATE_MB.fail,
        warnBelowMb: STATE_MB.warn,
      },
      { what: 'runs dir', dir: opts.runsDir ?? 'runs', failBelowMb: RUNS_MB.fail, warnBelowMb: RUNS_MB.warn },
    ]),
  ];
}

/** Throws an InputError (exit 2) with each blocking finding and its advice; warnings are logged. */
export async function preflightLocal(opts: DoctorOptions & { log?: (line: string) => void } = {}): Promise<Finding[]> {
  const findings = await runDoctor(opts);
  for (const f of findings.filter((x) => x.status === 'warn')) opts.log?.(`warning: ${f.check}: ${f.detail}`);
  const failed = blocking(findings);
  if (failed.length) {
    throw new InputError(
      `the local replica cannot run here:\n${failed.map((f) => `  ${f.check}: ${f.detail}\n    → ${f.advice}`).join('\n')}\n` +
        "(run 'rehearse doctor' to see every check)",
    );
  }
  return findings;
}
