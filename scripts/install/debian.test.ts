// The install step against recording stand-ins for apt-get and dpkg-query: services are held
// (policy-rc.d) exactly while apt runs, Apache is only ever forbidden, and the end lists what came.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { tempDir } from '../../test-support/temp-dir.ts';

const DEBIAN = new URL('./debian.mjs', import.meta.url).href;

// dpkg-query: answers from $STUB/installed (one package a line); with no names, lists them all.
const DPKG_QUERY = `#!/bin/sh
[ "$1" = --version ] && exit 0
shift 2
if [ $# -eq 0 ]; then set -- $(cat "$STUB/installed"); fi
for p in "$@"; do
  if grep -qx "$p" "$STUB/installed"; then echo "$p installed"; else echo "$p not-installed"; fi
done
`;
// apt-get: one line per call: "policy=<what policy-rc.d says, or absent> args=<args>"; install adds
// the packages asked for (not the "pkg-" ones) and one dependency to $STUB/installed.
const APT_GET = `#!/bin/sh
if [ -f "$POLICY" ]; then pol=$(grep -o 'exit [0-9]*' "$POLICY"); else pol=absent; fi
echo "policy=$pol front=$DEBIAN_FRONTEND args=$*" >> "$STUB/apt.log"
[ "$1" = install ] || exit 0
[ -f "$STUB/fail" ] && exit 100
for a in "$@"; do case "$a" in -*|*-|install) ;; *) echo "$a" >> "$STUB/installed" ;; esac; done
echo libstub-dependency >> "$STUB/installed"
`;

function stubs(preinstalled: string[]) {
  const stub = tempDir('rehearse-apt-stub-');
  const write = (name: string, text: string) => {
    fs.writeFileSync(path.join(stub, name), text, { mode: 0o755 });
    return path.join(stub, name);
  };
  write('installed', preinstalled.map((p) => `${p}\n`).join(''));
  const env = {
    ...process.env,
    STUB: stub,
    POLICY: path.join(stub, 'policy-rc.d'),
    REHEARSE_APT_GET: write('apt-get', APT_GET),
    REHEARSE_DPKG_QUERY: write('dpkg-query', DPKG_QUERY),
    REHEARSE_POLICY_RC_D: path.join(stub, 'policy-rc.d'),
  };
  const install = (groups: string[]) =>
    spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `
      const m = await import(${JSON.stringify(DEBIAN)});
      process.stdout.write(JSON.stringify(m.ensureDebianPackages(${JSON.stringify(groups)})));`,
      ],
      { env, encoding: 'utf8' },
    );
  const aptCalls = () =>
    fs.existsSync(path.join(stub, 'apt.log'))
      ? fs.readFileSync(path.join(stub, 'apt.log'), 'utf8').trim().split('\n')
      : [];
  return { stub, env, install, aptCalls, policy: env.REHEARSE_POLICY_RC_D };
}

test('policy-rc.d forbids service starts while apt runs and is gone afterwards; Apache is only forbidden', () => {
  const s = stubs(['nginx', 'procps']);
  const res = s.install(['replica']);
  assert.equal(res.status, 0, res.stderr);
  const calls = s.aptCalls();
  assert.equal(calls.length, 2, 'update, then one install');
  for (const c of calls) assert.match(c, /^policy=exit 101 front=noninteractive /, `held while apt ran: ${c}`);
  assert.match(calls[0]!, /args=update/);
  const args = calls[1]!.replace(/^.*args=/, '').split(' ');
  assert.ok(
    args.includes('wordpress') && args.includes('php8.2-fpm') && !args.includes('nginx'),
    'asks only for what is missing',
  );
  for (const p of ['apache2', 'apache2-bin', 'libapache2-mod-php8.2']) {
    assert.ok(args.includes(`${p}-`), `${p} forbidden`);
    assert.ok(!args.includes(p), `${p} never requested`);
  }
  assert.ok(!args.some((a) => /^apache2/.test(a) && !a.endsWith('-')), 'no Apache package requested');
  assert.equal(fs.existsSync(s.policy), false, 'policy-rc.d removed afterwards');
  const added: string[] = JSON.parse(res.stdout);
  assert.ok(added.includes('libstub-dependency') && added.includes('wordpress') && !added.includes('nginx'));
  assert.match(
    res.stderr,
    /installed 15 Debian packages \(.*wordpress.*\) and 1 they depend on \(libstub-dependency\); no service was started/,
  );
});

test('a failing apt-get still removes policy-rc.d, and a second run installs nothing', () => {
  const s = stubs([]);
  fs.writeFileSync(path.join(s.stub, 'fail'), '');
  const res = s.install(['browser']);
  assert.notEqual(res.status, 0);
  assert.match(res.stderr, /apt-get install .*exited with 100/);
  assert.equal(fs.existsSync(s.policy), false, 'policy-rc.d removed after the failure');
  fs.rmSync(path.join(s.stub, 'fail'));
  assert.equal(s.install(['browser']).status, 0);
  const calls = s.aptCalls().length;
  const again = s.install(['browser']);
  assert.equal(again.status, 0, again.stderr);
  assert.equal(s.aptCalls().length, calls, 'everything present: apt-get not called');
});

test("a policy-rc.d that was already there is the owner's: used as is and kept", () => {
  const s = stubs([]);
  fs.writeFileSync(s.policy, "#!/bin/sh\n# the owner's\nexit 101\n", { mode: 0o755 });
  const res = s.install(['browser']);
  assert.equal(res.status, 0, res.stderr);
  assert.match(fs.readFileSync(s.policy, 'utf8'), /the owner's/);
  for (const c of s.aptCalls()) assert.match(c, /^policy=exit 101 /);
});
