import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { parseStackConfig } from '../config/stack-config.ts';
import {
  appUserData,
  DOCROOT,
  HEALTH_SOCKET,
  installScript,
  REDIS_CREDENTIAL_FILE,
  UPLOADS,
  type AppUserDataInput,
} from './app-user-data.ts';
import { HEALTH_PATH } from './load-balancer.ts';

const input: AppUserDataInput = {
  rehearsalId: 'bf-2026',
  region: 'eu-west-1',
  siteUrl: 'https://shop.example.com',
  dbHost: 'rehearse-bf-2026.cluster-abc.eu-west-1.rds.amazonaws.com',
  dbName: 'wordpress',
  dbUser: 'wp_app',
  dbPasswordParameter: '/rehearse/rehearse-bf-2026/wordpress-db-password',
  saltsParameter: '/rehearse/rehearse-bf-2026/wordpress-salts',
  accessLogGroup: '/rehearse/rehearse-bf-2026/nginx-access',
  redisHost: 'master.rehearse-bf-2026.abc.euw1.cache.amazonaws.com',
  redisReplicationGroupId: 'rehearse-bf-2026',
  redisUser: 'rehearse-bf-2026-app',
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

test('WordPress logs in as its own user, with the password read from its parameter at boot; never inlined', () => {
  assert.ok(script.includes(`param '${input.dbPasswordParameter}' | php -r`));
  assert.match(script, /param\(\) \{ aws ssm get-parameter --name "\$1" --with-decryption/);
  assert.ok(script.includes('var_export(["user" => "wp_app", "password" =>'));
  assert.doesNotMatch(script, /secretsmanager/, "no Secrets Manager: the master secret is not the app's to read");
  assert.ok(script.includes("define('DB_PASSWORD', $rehearse_db['password']);"));
  assert.match(script, /OnUnitActiveSec=5min/, 'refreshed after a rotation');
  assert.ok(!/set -x/.test(script.replace('No "set -x"', '')), 'no xtrace: it would log secrets');
  // It waits for the bootstrap to create the user before installing WordPress.
  assert.ok(script.indexOf('rehearse-db-ready.php && break') < script.indexOf('core install'));
  assert.match(
    script,
    /mysqli_real_connect\(\$m, '[^']+', \$d\['user'\], \$d\['password'\], 'wordpress', 3306, null, MYSQLI_CLIENT_SSL\)/,
  );
  assert.throws(() => appUserData({ ...input, dbUser: 'wp"app' }), /must be letters, digits or _/);
});

test('Redis is the object cache, over TLS; WooCommerce and the drop-in are installed', () => {
  assert.ok(script.includes("define('WP_REDIS_SCHEME', 'tls');"));
  assert.ok(script.includes(`define('WP_REDIS_HOST', '${input.redisHost}');`));
  assert.match(script, /woocommerce\.\d+\.\d+\.\d+ redis-cache\./);
  assert.match(script, /object-cache\.php .*wp-content\/object-cache\.php/);
  assert.match(script, /dnf install -y -q nginx php8\.3 .*php8\.3-fpm/);
});

test('Redis: an IAM token signed at boot before WordPress first runs, renewed every 5 minutes, never printed', () => {
  const helper = '/usr/local/sbin/rehearse-redis-token';
  const firstRun = script.indexOf(`\n${helper}\n`);
  assert.ok(firstRun > 0, 'run at boot');
  assert.ok(firstRun < script.indexOf('core is-installed'), 'before wp-cli loads the object cache');
  assert.ok(firstRun < script.indexOf('systemctl enable --now php-fpm nginx'), 'before php-fpm serves a page');
  assert.ok(script.includes(`ExecStart=/bin/bash -c '${helper}'`));
  assert.match(script, /rehearse-redis-token\.timer <<'UNIT'\n\[Timer\]\nOnUnitActiveSec=5min\n/);
  assert.match(script, /dnf install [^\n]* python3-botocore\n/);
  // The token only travels through a pipe into a file php-fpm's group may read; the file is replaced atomically.
  assert.ok(
    script.includes(
      `rehearse-redis-token.py 'rehearse-bf-2026' 'rehearse-bf-2026-app' 'eu-west-1' \\\n  | php -r 'echo "<?php return ", var_export(["user" => "rehearse-bf-2026-app", "password" => stream_get_contents(STDIN)], true)`,
    ),
  );
  assert.ok(
    script.includes(
      `chgrp apache ${REDIS_CREDENTIAL_FILE}.new && chmod 0640 ${REDIS_CREDENTIAL_FILE}.new && mv ${REDIS_CREDENTIAL_FILE}.new ${REDIS_CREDENTIAL_FILE}`,
    ),
  );
  assert.match(script, /sys\.stdout\.write\(url\[len\('https:\/\/'\):\]\)/);
  assert.doesNotMatch(script, /print\(|echo "\$token|tee [^\n]*redis/);
  assert.throws(() => appUserData({ ...input, redisUser: 'App User' }), /must be a-z, 0-9 or -/);
});

test('the health file appears last, after configuration and the one-time install', () => {
  const health = script.indexOf('> /var/www/wordpress/rehearse-health.php');
  assert.ok(health > script.indexOf('core install'));
  assert.ok(health > script.indexOf('systemctl enable --now php-fpm nginx'));
  assert.ok(!script.slice(health).includes('mysqli'), 'the health check must not touch the database');
});

test('the health check has its own two-child php-fpm pool; shoppers never share it', () => {
  const health = new RegExp(
    `location = ${HEALTH_PATH.replace('.', '\\.')} \\{[^}]*fastcgi_pass unix:${HEALTH_SOCKET};`,
  );
  assert.match(script, health);
  assert.match(
    script,
    new RegExp(`\\[health\\]\\n[^[]*listen = ${HEALTH_SOCKET}\\n[^[]*pm = static\\npm\\.max_children = 2\\n`),
  );
  const shoppers = script.slice(script.indexOf('location ~ \\.php$'));
  assert.match(shoppers, /fastcgi_pass unix:\/run\/php-fpm\/www\.sock;/);
  assert.ok(!shoppers.slice(0, shoppers.indexOf('}')).includes(HEALTH_SOCKET));
});

test('WordPress connects to Aurora over TLS, verified against the RDS CA', () => {
  assert.ok(script.includes("define('MYSQL_CLIENT_FLAGS', MYSQLI_CLIENT_SSL);"));
  assert.match(
    script,
    /curl -fsSL -o \/etc\/pki\/ca-trust\/source\/anchors\/rds-global-bundle\.pem https:\/\/truststore\.pki\.rds\.amazonaws\.com\/global\/global-bundle\.pem\n\s*update-ca-trust/,
  );
});

test('salts are only read: instances write no secret or parameter', () => {
  assert.ok(script.includes(`param '${input.saltsParameter}' | php`));
  assert.doesNotMatch(script, /put-secret-value|put-parameter|random_bytes/);
});

test('nginx keeps an access log with timings, shipped to the configured CloudWatch Logs group', () => {
  assert.doesNotMatch(script, /access_log off;\n  # The ALB/);
  assert.match(script, /access_log \/var\/log\/nginx\/access\.log rehearse /);
  assert.match(script, /log_format rehearse .*\$request_time/);
  assert.ok(script.includes(`"log_group_name":"${input.accessLogGroup}"`));
  assert.match(script, /amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -s/);
});

test('values that would break the quoting are refused', () => {
  assert.throws(
    () => appUserData({ ...input, siteUrl: "https://x.example.com/'; rm -rf /" }),
    /may not contain a quote/,
  );
});
