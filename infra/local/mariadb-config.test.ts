import assert from 'node:assert/strict';
import { test } from 'node:test';
import { installDbArgs, mariadbdArgs, setupSql } from './mariadb-config.ts';

test('mariadbd: --no-defaults first, socket only, runs as mysql (pitfall 4)', () => {
  const args = mariadbdArgs({
    dataDir: '/s/m/data',
    tmpDir: '/s/m/tmp',
    socket: '/s/m/mysqld.sock',
    pidFile: '/s/m/p.pid',
  });
  assert.equal(args[0], '--no-defaults');
  assert.ok(args.includes('--skip-networking'));
  assert.ok(args.includes('--user=mysql'));
  assert.ok(args.includes('--datadir=/s/m/data'));
  assert.ok(args.includes('--socket=/s/m/mysqld.sock'));
  assert.ok(
    args.includes('--tmpdir=/s/m/tmp'),
    'its own tmpdir: a second replica would delete temp tables in a shared one',
  );
  assert.ok(!args.some((a) => a.startsWith('--port') || a.startsWith('--bind-address')));
});

test('mariadb-install-db: --no-defaults first, no test db', () => {
  const args = installDbArgs({ dataDir: '/s/m/data.tmp', tmpDir: '/s/m/tmp' });
  assert.equal(args[0], '--no-defaults');
  assert.ok(args.includes('--datadir=/s/m/data.tmp'));
  assert.ok(args.includes('--tmpdir=/s/m/tmp'));
  assert.ok(args.includes('--skip-test-db'));
});

test('setup SQL: fresh database, local user only, password quoted', () => {
  const sql = setupSql('rehearse', 'rehearse', "pa'ss");
  assert.match(sql, /DROP DATABASE IF EXISTS `rehearse`;\nCREATE DATABASE `rehearse`/);
  assert.ok(sql.includes("IDENTIFIED BY 'pa\\'ss'"));
  assert.ok(sql.includes("'rehearse'@'localhost'"));
  assert.doesNotMatch(sql, /@'%'/);
});

test('started by a user who is not root, MariaDB runs as that user: no --user', () => {
  const i = { dataDir: '/s/data', tmpDir: '/s/tmp', socket: '/s/sock', pidFile: '/s/pid' };
  assert.ok(mariadbdArgs(i).includes('--user=mysql'));
  assert.ok(!mariadbdArgs(i, null).some((a) => a.startsWith('--user')));
  assert.ok(!installDbArgs({ dataDir: '/s/data', tmpDir: '/s/tmp' }, null).some((a) => a.startsWith('--user')));
  assert.ok(
    installDbArgs({ dataDir: '/s/data', tmpDir: '/s/tmp' }, null, 'alice').includes('--auth-root-socket-user=alice'),
  );
});
