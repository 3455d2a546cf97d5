// Command lines for MariaDB: the server, the datadir initialiser, and the setup SQL. Pure.
export interface MariadbInput {
  dataDir: string;
  /** Its own temp dir: at start-up mariadbd deletes every "#sql*" file in its tmpdir, so two
   * replicas sharing /tmp (two tests, two checkouts) delete each other's temporary tables. */
  tmpDir: string;
  socket: string;
  pidFile: string;
}

/**
 * mariadbd refuses to run as root, hence user=mysql when root starts it (`user` null: the
 * invoking user, who is not root); --no-defaults must come first.
 */
export function mariadbdArgs(i: MariadbInput, user: string | null = 'mysql'): string[] {
  return [
    '--no-defaults',
    `--datadir=${i.dataDir}`,
    `--tmpdir=${i.tmpDir}`,
    `--socket=${i.socket}`,
    `--pid-file=${i.pidFile}`,
    ...(user ? [`--user=${user}`] : []),
    '--skip-networking', // unix socket only
    '--skip-name-resolve',
    '--skip-log-bin',
    '--character-set-server=utf8mb4',
    '--collation-server=utf8mb4_unicode_ci',
    '--max-connections=300',
    '--innodb-buffer-pool-size=256M',
    // A replica, not a bank: a crash may lose the last second; seeding gets much faster.
    '--innodb-flush-log-at-trx-commit=2',
    '--skip-innodb-doublewrite',
  ];
}

/** `socketUser`: the OS user whose MariaDB account gets every privilege (else taken from $USER, unset under env -i). */
export function installDbArgs(
  dirs: { dataDir: string; tmpDir: string },
  user: string | null = 'mysql',
  socketUser?: string,
): string[] {
  return [
    '--no-defaults',
    `--datadir=${dirs.dataDir}`,
    `--tmpdir=${dirs.tmpDir}`,
    ...(user ? [`--user=${user}`] : []),
    ...(socketUser ? [`--auth-root-socket-user=${socketUser}`] : []),
    '--auth-root-authentication-method=socket',
    '--skip-test-db',
    '--skip-name-resolve',
  ];
}

/** For an install from scratch: an empty database (a half-done earlier install is dropped),
 * and its user with the current password. Safe to run again. */
export function setupSql(dbName: string, dbUser: string, password: string): string {
  const q = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  return [
    `DROP DATABASE IF EXISTS \`${dbName}\`;`,
    `CREATE DATABASE \`${dbName}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;`,
    `CREATE USER IF NOT EXISTS ${q(dbUser)}@'localhost' IDENTIFIED BY ${q(password)};`,
    `ALTER USER ${q(dbUser)}@'localhost' IDENTIFIED BY ${q(password)};`,
    `GRANT ALL PRIVILEGES ON \`${dbName}\`.* TO ${q(dbUser)}@'localhost';`,
    'FLUSH PRIVILEGES;',
  ].join('\n');
}
