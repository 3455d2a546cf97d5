// The agent bundle the fleet's runners install (infra/aws/fleet/runner-user-data.ts): `npm pack`
// of this repo (package.json "files": the code, no tests, no .state/, runs/, .tools/ or
// node_modules), plus package-lock.json as npm-shrinkwrap.json, which npm pack leaves out of a
// tarball otherwise: with it `npm ci` on a runner installs exactly the versions tested here.
import { copyFile, mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { $ } from 'zx';
import { RunError } from '../../errors/errors.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

/** What a runner runs: `node --import tsx cli/agent-main.ts` after `npm ci`. */
export const BUNDLE_MUST_HOLD = [
  'package.json',
  'npm-shrinkwrap.json',
  'bin/rehearse.mjs',
  'cli/agent-main.ts',
  'cli/commands/agent.ts',
  'tools/k6/go.mod',
];

export interface AgentBundle {
  bytes: Buffer;
  /** Paths inside the tarball, without npm's "package/" prefix. */
  files: string[];
}

interface PackResult {
  filename: string;
  files: Array<{ path: string }>;
}

async function npmPack(cwd: string, args: string[]): Promise<PackResult> {
  // --ignore-scripts: packing must not run anything of the package's own.
  const res = await $({ cwd, quiet: true, nothrow: true })`npm pack --json --ignore-scripts ${args}`;
  if (res.exitCode === 127) {
    throw new RunError(
      "npm is not on PATH: the AWS fleet's agent bundle is made with `npm pack`; install Node.js with npm",
    );
  }
  if (res.exitCode !== 0) {
    throw new RunError(`npm pack in ${cwd} failed: ${res.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  }
  return (JSON.parse(res.stdout) as PackResult[])[0]!;
}

export async function packAgentBundle(repoRoot = REPO): Promise<AgentBundle> {
  const tmp = await mkdtemp(join(tmpdir(), 'rehearse-bundle-'));
  try {
    const listed = await npmPack(repoRoot, ['--dry-run']);
    const stage = join(tmp, 'package');
    for (const f of listed.files) {
      await mkdir(dirname(join(stage, f.path)), { recursive: true });
      await copyFile(join(repoRoot, f.path), join(stage, f.path));
    }
    const lock = join(repoRoot, 'package-lock.json');
    if (!(await stat(lock).catch(() => null)))
      throw new RunError(
        `${lock} is missing: the agent bundle pins its dependencies with it; run \`npm install\` once`,
      );
    await copyFile(lock, join(stage, 'npm-shrinkwrap.json'));
    const packed = await npmPack(stage, ['--pack-destination', tmp]);
    const files = packed.files.map((f) => f.path);
    const missing = BUNDLE_MUST_HOLD.filter((f) => !files.includes(f));
    if (missing.length)
      throw new RunError(
        `the agent bundle lacks ${missing.join(', ')}: check "files" in ${join(repoRoot, 'package.json')}`,
      );
    return { bytes: await readFile(join(tmp, packed.filename)), files };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
