#!/usr/bin/env node
// Entry of every npm script: installs what the command needs (Debian packages, npm deps, k6),
// then hands over to the TypeScript command. Plain Node, because it runs before npm deps exist.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
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
  rehearsal: { groups: ['replica', 'report'], command: () => ['bin/rehearse.mjs', 'rehearsal', ...rest] },
  bench: { groups: ['replica', 'report'], command: () => ['bench/run.ts', ...rest] },
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

// Unit tests first (fast feedback), then the integration tests that start the replica.
function testCommand() {
  const only = rest.find((a) => a === '--unit' || a === '--integration');
  const files = rest.filter((a) => !a.startsWith('--'));
  let tests = files.length ? files : findTests(root);
  const isIntegration = (f) => f.endsWith('.integration.test.ts');
  if (only === '--unit') tests = tests.filter((f) => !isIntegration(f));
  if (only === '--integration') tests = tests.filter(isIntegration);
  tests = [...tests.filter((f) => !isIntegration(f)), ...tests.filter(isIntegration)];
  if (tests.length === 0) throw new Error('no test files matched');
  // One file at a time: integration tests share the machine's two cores and the replica's ports.
  return ['--test', '--test-concurrency=1', ...tests];
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
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: root, stdio: 'inherit' });
  // Ctrl-C reaches the child through the terminal's process group; the child cleans up and exits.
  process.on('SIGINT', () => {});
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  child.on('exit', (code, signal) => process.exit(code ?? (signal === 'SIGINT' ? 130 : 1)));
}

main();
