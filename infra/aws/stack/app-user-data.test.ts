import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { parseStackConfig } from '../config/stack-config.ts';
import { appUserData, DOCROOT, installScript, UPLOADS, type AppUserDataInput } from './app-user-data.ts';

const input: AppUserDataInput = {
  rehearsalId: 'bf-2026',
  region: 'eu-west-1',
  siteUrl: 'https://shop.example.com',
  dbHost: 'rehearse-bf-2026.cluster-abc.eu-west-1.rds.amazonaws.com',
  dbName: 'wordpress',
  dbSecretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!cluster-1234-AbCdEf',
  saltsSecretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:rehearse-bf-2026/wordpress-salts-XyZ',
  redisHost: 'master.rehearse-bf-2026.abc.euw1.cache.amazonaws.com',
  efsId: 'fs-0123456789abcdef0',
  backupBucket: 'rehearse-bf-2026-backup-123',
  software: parseStackConfig({ rehearsalId: 'bf-2026', accountId: '123456789012', region: 'eu-west-1' }).app.software,
};
const script = appUserData(input);

test('user data is valid bash and fits the 16 KB user data limit', () => {
  execFileSync('bash', ['-n'], { input: script });
  assert.ok(Buffer.byteLength(script) < 16 * 1024, `${Buffer.byteLength(script)} bytes`);
});

test('no Terraform interpolation syntax of its own (values may be tokens)', () => {
  assert.ok(!script.includes('${'), 'contains "${"');
  assert.ok(!script.includes('%{'), 'contains "%{"');
});

test('EFS is mounted for uploads only, over TLS; PHP code stays on local disk', () => {
  const fstab = script.split('\n').filter((l) => l.includes(input.efsId) && l.includes('/etc/fstab'));
  assert.equal(fstab.length, 1);
  assert.match(fstab[0]!, new RegExp(`${input.efsId}:/ ${UPLOADS} efs _netdev,tls`));
  assert.equal(UPLOADS, `${DOCROOT}/wp-content/uploads`);
  assert.equal((script.match(/ efs /g) ?? []).length, 1, 'exactly one EFS mount');
  // WordPress and plugins unpack under the docroot on the instance, not under the EFS mount.
  const install = installScript(input.software);
  assert.match(install, /tar -xzf wordpress-[\d.]+\.tar\.gz -C \/var\/www\n/);
  assert.ok(!install.includes(UPLOADS));
});

test('the database password comes from Secrets Manager at boot and is never inlined', () => {
  assert.ok(script.includes(`fetch '${input.dbSecretArn}' | php -r`));
  assert.match(script, /aws secretsmanager get-secret-value --secret-id "\$1"/);
  assert.ok(script.includes("define('DB_PASSWORD', $rehearse_db['password']);"));
  assert.match(script, /OnUnitActiveSec=5min/, 'refreshed after RDS rotates it');
  assert.ok(!/set -x/.test(script.replace('No "set -x"', '')), 'no xtrace: it would log secrets');
});

test('Redis is the object cache, over TLS; WooCommerce and the drop-in are installed', () => {
  assert.ok(script.includes("define('WP_REDIS_SCHEME', 'tls');"));
  assert.ok(script.includes(`define('WP_REDIS_HOST', '${input.redisHost}');`));
  assert.match(script, /woocommerce\.\d+\.\d+\.\d+ redis-cache\./);
  assert.match(script, /object-cache\.php .*wp-content\/object-cache\.php/);
  assert.match(script, /dnf install -y -q nginx php8\.3 .*php8\.3-fpm/);
});

test('the health file appears last, after configuration and the one-time install', () => {
  const health = script.indexOf('> /var/www/wordpress/rehearse-health.php');
  assert.ok(health > script.indexOf('core install'));
  assert.ok(health > script.indexOf('systemctl enable --now php-fpm nginx'));
  assert.ok(!script.slice(health).includes('mysqli'), 'the health check must not touch the database');
});

test('values that would break the quoting are refused', () => {
  assert.throws(() => appUserData({ ...input, siteUrl: "https://x.example.com/'; rm -rf /" }), /may not contain a quote/);
});
