// MariaDB for the replica: own datadir, unix socket only, run as the mysql user.
import fs from 'node:fs';
import net from 'node:net';
import { runningPid, spawnDaemon, stillStarting } from './daemon.ts';
import { logFile, pidFile, type Layout } from './layout.ts';
import { installDbArgs, mariadbdArgs, setupSql } from './mariadb-config.ts';
import { runAs, serviceIds } from './privilege.ts';
import { mariadbSql } from './mariadb-client.ts';
import { $ } from 'zx';
import { ComponentError, waitFor } from './readiness.ts';

export const MARIADB = 'mariadb';

function chownMysql(p: string): void {
  if (!runAs().root) return; // not root: mariadbd runs as us, the files are ours already
  const { uid, gid } = mysqlIds();
  fs.chownSync(p, uid, gid);
}

const mysqlIds = () => serviceIds('mysql', 'mariadb-server');

/** Initialises the datadir once (into a temp dir, renamed when complete). */
export async function ensureDatadir(layout: Layout): Promise<boolean> {
  const { dir, dataDir, tmpDir } = layout.mariadb;
  fs.mkdirSync(dir, { recursive: true });
  chownMysql(dir);
  ensureTmpDir(tmpDir);
  if (fs.existsSync(dataDir)) return false;
  const tmp = `${dataDir}.tmp`;
  fs.rmSync(tmp, { recursive: true, force: true });
  const log = logFile(layout, MARIADB);
  const admin = runAs().root ? undefined : runAs().dbAdmin;
  const res = await $({
    quiet: true,
    nothrow: true,
  })`mariadb-install-db ${installDbArgs({ dataDir: tmp, tmpDir }, runAs().dbUser ?? null, admin)}`;
  fs.appendFileSync(log, res.stdout + res.stderr);
  if (res.exitCode !== 0) {
    throw new ComponentError(
      MARIADB,
      'mariadb-install-db failed (is the Debian package mariadb-server installed?)',
      log,
    );
  }
  fs.renameSync(tmp, dataDir);
  return true;
}

export function mariadbPid(layout: Layout): number | undefined {
  return runningPid(pidFile(layout, MARIADB));
}

/** The server's own temp dir (mariadb-config.ts says why), made on every start: a state dir
 * from before it existed has none. */
function ensureTmpDir(tmpDir: string): void {
  fs.mkdirSync(tmpDir, { recursive: true, mode: 0o700 });
  chownMysql(tmpDir);
}

export async function startMariadb(layout: Layout): Promise<number> {
  const running = mariadbPid(layout);
  if (running) return running;
  ensureTmpDir(layout.mariadb.tmpDir);
  const rec = await spawnDaemon({
    component: MARIADB,
    command: 'mariadbd',
    args: mariadbdArgs(layout.mariadb, runAs().dbUser ?? null),
    logFile: logFile(layout, MARIADB),
    pidFile: pidFile(layout, MARIADB),
    marker: `--datadir=${layout.mariadb.dataDir}`,
    debianPackage: 'mariadb-server',
  });
  return rec.pid;
}

/** Ready = the socket answers with a server greeting (a bare connect can beat InnoDB recovery). */
function greets(socket: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ path: socket });
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(1000, () => done(false));
    s.once('data', (d: Buffer) => done(d.length > 4 && d[4] === 10)); // protocol version 10 handshake
    s.once('error', () => done(false));
  });
}

export async function waitMariadb(layout: Layout, timeoutMs = 30_000): Promise<void> {
  await waitFor({
    component: MARIADB,
    what: `a greeting on ${layout.mariadb.socket}`,
    logFile: logFile(layout, MARIADB),
    timeoutMs,
    check: () => greets(layout.mariadb.socket),
    stillRunning: () => stillStarting(pidFile(layout, MARIADB)),
  });
}

/** Runs SQL as MariaDB's all-privilege account (infra/local/mariadb-client.ts); a failure is logged and thrown. */
export async function runSql(layout: Layout, sql: string): Promise<string> {
  const res = await mariadbSql(layout, sql);
  if (res.ok) return res.stdout;
  fs.appendFileSync(logFile(layout, MARIADB), `setup SQL failed: ${res.stderr}\n`);
  throw new ComponentError(MARIADB, `setup SQL failed: ${res.stderr.trim()}`, logFile(layout, MARIADB));
}

export async function createDatabase(layout: Layout, password: string): Promise<void> {
  await runSql(layout, setupSql(layout.db.name, layout.db.user, password));
}
