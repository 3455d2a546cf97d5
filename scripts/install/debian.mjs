// Installs the Debian packages a command needs, once: dpkg tells what is already there.
// The install has no side effects beyond the packages: package scripts may not start or enable
// services (Debian's policy-rc.d convention, in place only while apt runs), and nginx stands in for
// WordPress's `apache2 | httpd` dependency so Apache is never installed.
import { existsSync, readFileSync } from 'node:fs';
import { capture, run, say } from './run-command.mjs';

const lists = JSON.parse(readFileSync(new URL('./debian-packages.json', import.meta.url), 'utf8'));

// Tests point these at recording stand-ins; nobody else should need to.
const APT_GET = process.env.REHEARSE_APT_GET || 'apt-get';
const DPKG_QUERY = process.env.REHEARSE_DPKG_QUERY || 'dpkg-query';
export const POLICY_RC_D = process.env.REHEARSE_POLICY_RC_D || '/usr/sbin/policy-rc.d';

/** apt-get's "pkg-" suffix forbids a package: these would pull Apache in through WordPress's alternatives. */
export const FORBIDDEN = lists.$forbidden ?? [];

export function packagesFor(groups) {
  return [
    ...new Set(
      groups.flatMap((g) => {
        if (!lists[g] || g.startsWith('$'))
          throw new Error(`unknown package group "${g}" in scripts/install/debian-packages.json`);
        return lists[g];
      }),
    ),
  ];
}

/** False off Debian (no dpkg): nobody can say which packages are there. */
export function dpkgAvailable() {
  return capture(DPKG_QUERY, ['--version']) !== null;
}

/** Every installed package (to list afterwards what an install added, dependencies included). */
export function installedPackages() {
  const out = capture(DPKG_QUERY, ['-W', '-f=${Package} ${db:Status-Status}\n']) ?? '';
  return new Set(
    out
      .split('\n')
      .filter((l) => l.endsWith(' installed'))
      .map((l) => l.split(' ')[0]),
  );
}

export function missingPackages(names) {
  const out = capture(DPKG_QUERY, ['-W', '-f=${Package} ${db:Status-Status}\n', ...names]) ?? '';
  const installed = new Set(
    out
      .split('\n')
      .filter((l) => l.endsWith(' installed'))
      .map((l) => l.split(' ')[0]),
  );
  return names.filter((n) => !installed.has(n));
}

/** How this user runs a privileged step: directly as root, through password-less sudo, or not at all. */
export function privilege() {
  if (process.getuid?.() === 0) return [];
  if (capture('sh', ['-c', 'command -v sudo']) && capture('sudo', ['-n', 'true']) !== null) return ['sudo', '-n'];
  return null;
}

function asRoot(prefix, cmd, args, opts) {
  return prefix.length ? run(prefix[0], [...prefix.slice(1), cmd, ...args], opts) : run(cmd, args, opts);
}

// "exit 101" is invoke-rc.d's "action forbidden by policy": postinst scripts then neither start
// nor restart a service. A policy-rc.d that was already there is the machine owner's: keep it.
const POLICY = '#!/bin/sh\n# Written by rehearse while it installs packages; removed afterwards.\nexit 101\n';

function withServicesHeld(prefix, fn) {
  if (existsSync(POLICY_RC_D)) return fn();
  asRoot(prefix, 'sh', ['-c', 'printf "%s" "$1" > "$2" && chmod 755 "$2"', 'sh', POLICY, POLICY_RC_D]);
  try {
    return fn();
  } finally {
    asRoot(prefix, 'rm', ['-f', POLICY_RC_D]);
  }
}

export function ensureDebianPackages(groups) {
  const missing = missingPackages(packagesFor(groups));
  if (missing.length === 0) return [];
  const prefix = privilege();
  if (!prefix) {
    throw new Error(
      `missing Debian packages: ${missing.join(' ')}\n` +
        `Install them as root (apt-get install --no-install-recommends ${missing.join(' ')} ${FORBIDDEN.map((p) => `${p}-`).join(' ')}) ` +
        'or give this user password-less sudo, and run the command again.',
    );
  }
  say(`installing Debian packages: ${missing.join(' ')}`);
  const before = installedPackages();
  // Through env(1): sudo resets the environment, and debconf must not ask questions.
  const apt = (args) => asRoot(prefix, 'env', ['DEBIAN_FRONTEND=noninteractive', APT_GET, ...args]);
  withServicesHeld(prefix, () => {
    apt(['update', '-q']);
    apt(['install', '-y', '-q', '--no-install-recommends', ...missing, ...FORBIDDEN.map((p) => `${p}-`)]);
  });
  const still = missingPackages(missing);
  if (still.length) throw new Error(`apt-get finished but these are still not installed: ${still.join(' ')}`);
  const added = [...installedPackages()].filter((p) => !before.has(p)).sort();
  const deps = added.filter((p) => !missing.includes(p));
  say(
    `installed ${missing.length} Debian packages (${missing.join(' ')})` +
      (deps.length ? ` and ${deps.length} they depend on (${deps.join(' ')})` : '') +
      '; no service was started or enabled, the replica runs its own private copies on loopback',
  );
  return added;
}
