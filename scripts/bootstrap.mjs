#!/usr/bin/env node
// Entry of every npm script: installs what the command needs (Debian packages, npm deps, k6),
// then hands over to the TypeScript command. Plain Node, because it runs before npm deps exist.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ensureDebianPackages } from './install/debian.mjs';
import { ensureK6 } from './install/k6.mjs';
import { ensureNpmDeps } from './install/npm-deps.mjs';
import { ensurePythonTool } from './install/python-tools.mjs';
import { say } from './install/run-command.mjs';
import { testPhases } from './test-lanes.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [mode, ...rest] = process.argv.slice(2);

const modes = {
  install: { groups: ['replica', 'report', 'browser'], python: ['moto', 'checkov'], command: null },
  rehearsal: { groups: ['replica', 'report'], command: () => [[{ args: ['bin/rehearse.mjs', 'rehearsal', ...rest] }]] },
  bench: { groups: ['replica', 'report'], command: () => [[{ args: ['bench/run.ts', ...rest] }]] },
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

// The unit tests in batches beside the integration tests' lanes (scripts/test-lanes.mjs).
function testCommand() {
  const only = rest.find((a) => a === '--unit' || a === '--integration');
  const files = rest.filter((a) => !a.startsWith('--'));
  const tests = files.length ? files : findTests(root);
  const isIntegration = (f) => f.endsWith('.integration.test.ts');
  const unit = only === '--integration' ? [] : tests.filter((f) => !isIntegration(f));
  const integration = only === '--unit' ? [] : tests.filter(isIntegration);
  if (unit.length + integration.length === 0) throw new Error('no test files matched');
  const parallel = Math.max(1, Math.min(2, availableParallelism()));
  const read = (f) => readFileSync(join(root, f), 'utf8');
  return testPhases({ unit, integration, parallel, read, rootUrl: pathToFileURL(`${root}/`).href });
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
  let phases;
  try {
    phases = spec.command();
  } catch (err) {
    say(err.message);
    process.exit(2);
  }
  // Ctrl-C reaches the children through the terminal's process group; they clean up and exit.
  process.on('SIGINT', () => {});
  const children = new Set();
  process.on('SIGTERM', () => children.forEach((c) => c.kill('SIGTERM')));
  const counts = { pass: 0, fail: 0 };
  let code = 0;
  for (const lanes of phases) {
    // The first lane streams; a lane beside it is held and printed whole when the phase ends, so
    // the log stays line-oriented (two TAP streams would interleave mid-line).
    const results = await Promise.all(lanes.map((lane, i) => runLane(lane, { stream: i === 0, children, counts })));
    for (const { exit, signal, held, files } of results) {
      if (held.length) {
        process.stdout.write(`# --- ${files} test file(s) that ran beside the ones above ---\n`);
        process.stdout.write(Buffer.concat(held));
      }
      if (signal === 'SIGINT') process.exit(130);
      if (exit !== 0) code = exit ?? 1;
    }
  }
  // Each test process prints its own TAP summary; one closing line counts them all.
  if (phases.flat().some((lane) => lane.files)) process.stdout.write(`${counts.pass} passed, ${counts.fail} failed\n`);
  process.exit(code);
}

/** Runs `node --import tsx ...args`; resolves its exit, and its output when it was held. */
async function runLane({ args, files }, { stream, children, counts }) {
  const tally = Boolean(files);
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    cwd: root,
    stdio: ['inherit', tally ? 'pipe' : 'inherit', 'inherit'],
  });
  children.add(child);
  const held = [];
  const tap = { partial: '' };
  if (tally)
    child.stdout.on('data', (chunk) => {
      tallyTap(chunk, counts, tap);
      if (stream) process.stdout.write(chunk);
      else held.push(chunk);
    });
  // 'close', not 'exit': every byte of its output has been read by then.
  const [exit, signal] = await new Promise((r) => child.on('close', (c, sig) => r([c, sig])));
  children.delete(child);
  return { exit, signal, held, files: files?.length ?? 0 };
}

/** Adds up a TAP stream's top-level "# pass N" / "# fail N" summary lines. */
function tallyTap(chunk, counts, tap) {
  const lines = (tap.partial + chunk.toString('utf8')).split('\n');
  tap.partial = lines.pop();
  for (const line of lines) {
    const m = line.match(/^# (pass|fail) (\d+)$/);
    if (m) counts[m[1]] += Number(m[2]);
  }
}

main();
