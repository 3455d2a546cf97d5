#!/usr/bin/env node
// Entry of every npm script: installs what the command needs (Debian packages, npm deps, k6),
// then hands over to the TypeScript command. Plain Node, because it runs before npm deps exist.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDebianPackages } from './install/debian.mjs';
import { ensureK6 } from './install/k6.mjs';
import { ensureNpmDeps } from './install/npm-deps.mjs';
import { ensurePythonTool } from './install/python-tools.mjs';
import { say } from './install/run-command.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [mode, ...rest] = process.argv.slice(2);

const modes = {
  install: { groups: ['replica', 'report', 'browser'], python: ['moto', 'checkov'], command: null },
  rehearsal: { groups: ['replica', 'report'], command: () => [['bin/rehearse.mjs', 'rehearsal', ...rest]] },
  bench: { groups: ['replica', 'report'], command: () => [['bench/run.ts', ...rest]] },
  // moto emulates S3, CloudWatch and Auto Scaling for the AWS code paths; checkov scans the synth.
  test: { groups: ['replica', 'report', 'browser'], python: ['moto', 'checkov'], command: testCommand },
};

const SKIP_DIRS = new Set(['node_modules', '.git', '.state', '.tools', 'runs']);
function findTests(dir, out = []) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) findTests(join(dir, entry.name), out);
    } else if (entry.name.endsWith('.test.ts')) {
      out.push(relative(root, join(dir, entry.name)));
    }
  }
  return out.sort();
}

// Unit tests first (fast feedback), two files at a time; then the integration tests that start the
// replica, one file at a time (they share the machine's cores and the replica's ports).
function testCommand() {
  const only = rest.find((a) => a === '--unit' || a === '--integration');
  const files = rest.filter((a) => !a.startsWith('--'));
  const tests = files.length ? files : findTests(root);
  const isIntegration = (f) => f.endsWith('.integration.test.ts');
  const unit = only === '--integration' ? [] : tests.filter((f) => !isIntegration(f));
  const integration = only === '--unit' ? [] : tests.filter(isIntegration);
  if (unit.length + integration.length === 0) throw new Error('no test files matched');
  const parallel = Math.max(1, Math.min(2, availableParallelism()));
  return [
    unit.length && ['--test', `--test-concurrency=${parallel}`, ...unit],
    integration.length && ['--test', '--test-concurrency=1', ...integration],
  ].filter(Boolean);
}

async function main() {
  const spec = modes[mode];
  if (!spec) {
    console.error(`usage: node scripts/bootstrap.mjs ${Object.keys(modes).join('|')} [args]`);
    process.exit(2);
  }
  try {
    ensureDebianPackages(spec.groups);
    ensureNpmDeps(root);
    process.env.REHEARSE_K6 = await ensureK6();
    for (const tool of spec.python ?? []) ensurePythonTool(tool);
  } catch (err) {
    say(`setup failed: ${err.message}`);
    process.exit(2);
  }
  if (!spec.command) return;
  let args;
  try {
    args = spec.command();
  } catch (err) {
    say(err.message);
    process.exit(2);
  }
  // Ctrl-C reaches the child through the terminal's process group; the child cleans up and exits.
  process.on('SIGINT', () => {});
  let child;
  process.on('SIGTERM', () => child?.kill('SIGTERM'));
  const counts = { pass: 0, fail: 0 };
  let code = 0;
  for (const phase of args) {
    const tally = phase[0] === '--test';
    child = spawn(process.execPath, ['--import', 'tsx', ...phase], {
      cwd: root,
      stdio: ['inherit', tally ? 'pipe' : 'inherit', 'inherit'],
    });
    if (tally) child.stdout.on('data', (chunk) => tallyTap(chunk, counts));
    const [exit, signal] = await new Promise((r) => child.on('exit', (c, sig) => r([c, sig])));
    if (signal === 'SIGINT') process.exit(130);
    if (exit !== 0) code = exit ?? 1;
  }
  // Two phases print two TAP summaries; one closing line counts them both.
  if (args.some((phase) => phase[0] === '--test'))
    process.stdout.write(`${counts.pass} passed, ${counts.fail} failed\n`);
  process.exit(code);
}

let partialLine = '';
/** Passes TAP through and adds up its top-level "# pass N" / "# fail N" summary lines. */
function tallyTap(chunk, counts) {
  process.stdout.write(chunk);
  const lines = (partialLine + chunk.toString('utf8')).split('\n');
  partialLine = lines.pop();
  for (const line of lines) {
    const m = line.match(/^# (pass|fail) (\d+)$/);
    if (m) counts[m[1]] += Number(m[2]);
  }
}

main();
