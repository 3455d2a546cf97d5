// A parent bound child dies with its parent when the parent is SIGKILLed (no handler runs); an
// unbound one, the control, lives on. The child here is `sleep`, standing for k6.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parentBound } from './parent-bound.ts';

const PARENT = `
const { spawn } = require('node:child_process');
const [command, ...args] = JSON.parse(process.argv[1]);
const child = spawn(command, args, { stdio: 'ignore' });
process.stdout.write(child.pid + '\\n');
setInterval(() => {}, 1000);
`;

/** Alive and not a zombie (an orphan's zombie may wait for a reaper in a container). */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** Starts a parent that starts command; SIGKILLs the parent; says whether the child is running 2 s later. */
async function childSurvivesParent(command: string, args: string[]): Promise<boolean> {
  const parent = spawn(process.execPath, ['-e', PARENT, JSON.stringify([command, ...args])], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const childPid = await new Promise<number>((done, fail) => {
    let out = '';
    parent.stdout.on('data', (d) => {
      out += d;
      if (out.includes('\n')) done(Number(out.trim()));
    });
    parent.on('exit', () => fail(new Error('parent exited before starting its child')));
  });
  assert.ok(running(childPid), 'the child started');
  const gone = new Promise((done) => parent.on('exit', done));
  parent.kill('SIGKILL');
  await gone;
  const until = Date.now() + 2000;
  while (running(childPid) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
  const alive = running(childPid);
  if (alive) process.kill(childPid, 'SIGKILL');
  return alive;
}

describe('parentBound (Linux)', () => {
  it('wraps the command in setpriv --pdeathsig SIGKILL, keeping the arguments', () => {
    const b = parentBound('/opt/k6', ['run', '--quiet', 'entry.ts']);
    assert.equal(b.bound, true);
    assert.match(b.command, /\/setpriv$/);
    assert.deepEqual(b.args, ['--pdeathsig', 'SIGKILL', '--', '/opt/k6', 'run', '--quiet', 'entry.ts']);
  });

  it('a bound child dies when its parent is SIGKILLed; an unbound one (control) outlives it', async () => {
    const bound = parentBound('sleep', ['60']);
    assert.equal(await childSurvivesParent(bound.command, bound.args), false, 'bound child was left running');
    assert.equal(
      await childSurvivesParent('sleep', ['60']),
      true,
      'unbound child died too: the test would not see a failure',
    );
  });
});
