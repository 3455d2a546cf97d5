// Installs the Debian packages a command needs, once: dpkg tells what is already there.
import { readFileSync } from 'node:fs';
import { capture, run, say } from './run-command.mjs';

const lists = JSON.parse(readFileSync(new URL('./debian-packages.json', import.meta.url), 'utf8'));

export function packagesFor(groups) {
  return [...new Set(groups.flatMap((g) => {
    if (!lists[g]) throw new Error(`unknown package group "${g}" in scripts/install/debian-packages.json`);
    return lists[g];
  }))];
}

export function missingPackages(names) {
  const out = capture('dpkg-query', ['-W', '-f=${Package} ${db:Status-Status}\n', ...names]) ?? '';
  const installed = new Set(out.split('\n').filter((l) => l.endsWith(' installed')).map((l) => l.split(' ')[0]));
  return names.filter((n) => !installed.has(n));
}

export function ensureDebianPackages(groups) {
  const missing = missingPackages(packagesFor(groups));
  if (missing.length === 0) return;
  const isRoot = process.getuid?.() === 0;
  const sudo = isRoot ? [] : capture('sh', ['-c', 'command -v sudo']) ? ['sudo', '-n'] : null;
  if (!sudo) {
    throw new Error(`missing Debian packages: ${missing.join(' ')}\n` +
      `Install them as root (apt-get install ${missing.join(' ')}) and run the command again.`);
  }
  const apt = (args) => sudo.length ? run(sudo[0], [...sudo.slice(1), 'apt-get', ...args]) : run('apt-get', args);
  say(`installing Debian packages: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  // Services must not start from the package scripts: the replica runs its own private copies.
  apt(['update', '-q']);
  apt(['install', '-y', '-q', '--no-install-recommends', ...missing], { env });
}
