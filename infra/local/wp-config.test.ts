import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SALT_NAMES } from '../wordpress-salts.ts';
import { generateSecrets, healthEnv, phpString, wpConfig } from './wp-config.ts';

test('salts are random: two generations share no value, none is a placeholder', () => {
  const a = generateSecrets();
  const b = generateSecrets();
  for (const n of SALT_NAMES) {
    assert.equal(a.salts[n].length, 64);
    assert.notEqual(a.salts[n], b.salts[n]);
    assert.doesNotMatch(a.salts[n], /unique phrase/);
    assert.doesNotMatch(a.salts[n], /['\\]/); // nothing that needs escaping
  }
  assert.equal(new Set(Object.values(a.salts)).size, SALT_NAMES.length);
  assert.notEqual(a.dbPassword, b.dbPassword);
  assert.ok(a.dbPassword.length >= 20);
});

const secrets = generateSecrets();
const cfg = wpConfig({
  dbName: 'rehearse',
  dbUser: 'rehearse',
  dbSocket: '/s/mariadb/mysqld.sock',
  homeUrl: 'http://127.0.0.1:18080',
  contentDir: '/s/wordpress/docroot/wp-content',
  secrets,
});

test('DB over the unix socket, one origin (the balancer), content dir in the private docroot', () => {
  assert.ok(cfg.includes("define('DB_HOST', 'localhost:/s/mariadb/mysqld.sock');"));
  assert.ok(cfg.includes("define('WP_HOME', 'http://127.0.0.1:18080');"));
  assert.ok(cfg.includes("define('WP_SITEURL', 'http://127.0.0.1:18080');"));
  assert.ok(cfg.includes("define('WP_CONTENT_DIR', '/s/wordpress/docroot/wp-content');"));
  assert.doesNotMatch(cfg, /\/var\/lib\/wordpress|\/etc\/wordpress/);
});

test('no cron behind the load, no HTTP off the machine, the generated salts', () => {
  assert.ok(cfg.includes("define('DISABLE_WP_CRON', true);"));
  assert.ok(cfg.includes("define('WP_HTTP_BLOCK_EXTERNAL', true);"));
  for (const n of SALT_NAMES) assert.ok(cfg.includes(`define('${n}', ${phpString(secrets.salts[n])});`), n);
  assert.ok(cfg.trimEnd().endsWith("require_once ABSPATH . 'wp-settings.php';"));
});

test('phpString escapes quotes and backslashes', () => {
  assert.equal(phpString("it's"), "'it\\'s'");
  assert.equal(phpString('a\\b'), "'a\\\\b'");
});

test('health settings carry the DB and Redis sockets', () => {
  const env = healthEnv({
    dbName: 'rehearse',
    dbUser: 'rehearse',
    dbSocket: '/s/m.sock',
    redisSocket: '/s/r.sock',
    secrets,
  });
  assert.ok(env.includes("'db_socket' => '/s/m.sock'"));
  assert.ok(env.includes("'redis_socket' => '/s/r.sock'"));
  assert.ok(env.includes(phpString(secrets.dbPassword)));
});

test('the calibration reaches PHP intact as REHEARSE_SHOP_COST; the light shop defines none', async () => {
  const { execFileSync } = await import('node:child_process');
  const { loadCalibration } = await import('./shop-cost.ts');
  const c = loadCalibration();
  const input = { dbName: 'r', dbUser: 'r', dbSocket: '/s', homeUrl: 'http://127.0.0.1:1', contentDir: '/c', secrets };
  // Evaluate the generated file in PHP, without booting WordPress.
  const evalPhp = (text: string) =>
    execFileSync(
      'php',
      [
        '-r',
        `${text.replace(/^<\?php/, '').replace(/require_once ABSPATH[^\n]*/, '')} echo defined('REHEARSE_SHOP_COST') ? REHEARSE_SHOP_COST : 'none', "\\n", is_array($GLOBALS['rehearse_cpu0']) ? 'cpu0' : '';`,
      ],
      { encoding: 'utf8' },
    );
  const out = evalPhp(wpConfig({ ...input, shopCost: c })).split('\n');
  assert.deepEqual(JSON.parse(out[0]!), { name: c.name, endpoints: c.endpoints });
  assert.equal(out[1], 'cpu0', 'the request CPU clock starts in wp-config.php');
  assert.equal(evalPhp(wpConfig({ ...input, shopCost: null })).split('\n')[0], 'none');
});
