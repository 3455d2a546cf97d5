// User data for an app instance, as text (pure). Installs nginx, php-fpm, WordPress and
// WooCommerce on local disk (skipped when the image was baked with installScript()), mounts EFS
// for wp-content/uploads only, points the object cache at Redis over TLS as its own RBAC user,
// and reads the database password from its SecureString parameter at boot and every 5 minutes
// after. Redis has no password: a root-only helper signs an IAM auth token with the instance role
// (botocore, valid 15 minutes) at boot and every 5 minutes. No secret is in this text, and
// nothing here echoes one: the log shows steps, never values.
//
// Values may be cdktf tokens that Terraform fills in; the script therefore never uses "${"
// (Terraform would take it for interpolation): plain "$VAR" only.
import type { StackConfig } from '../config/stack-config.ts';
import { HEALTH_PATH } from './load-balancer.ts';
import { PORTS } from './security-groups.ts';

export interface AppUserDataInput {
  rehearsalId: string;
  region: string;
  siteUrl: string;
  dbHost: string;
  dbName: string;
  /** WordPress's own database user (database-user.ts), never the master user. */
  dbUser: string;
  /** SecureString parameter with its password. */
  dbPasswordParameter: string;
  /** WordPress salts, written at deploy; every instance reads the same ones. */
  saltsParameter: string;
  redisHost: string;
  /** The replication group id: IAM auth tokens are signed for it. */
  redisReplicationGroupId: string;
  /** WordPress's Redis user (IAM authentication; cache.ts). */
  redisUser: string;
  efsId: string;
  backupBucket: string;
  /** CloudWatch Logs group for nginx's access log. */
  accessLogGroup: string;
  software: StackConfig['app']['software'];
}

export const DOCROOT = '/var/www/wordpress';
export const UPLOADS = `${DOCROOT}/wp-content/uploads`;
const INSTALLED_MARKER = '/opt/rehearse/.software-installed';

/** WP_REDIS_PREFIX: every key the object cache writes starts with it (the Redis user's key pattern). */
export function redisKeyPrefix(rehearsalId: string): string {
  return `${rehearsalId}:`;
}

/** Where the current Redis credential (user + IAM token) lives for php-fpm. */
export const REDIS_CREDENTIAL_FILE = '/etc/rehearse/redis.php';

/** A plain name (letters, digits, underscore) that may sit inside any quoting unescaped. */
function identifier(value: string): string {
  if (!/^[A-Za-z0-9_]+$/.test(value))
    throw new Error(`user data name ${JSON.stringify(value)} must be letters, digits or _`);
  return value;
}

function word(value: string): string {
  if (/['\n]/.test(value))
    throw new Error(`user data value ${JSON.stringify(value)} may not contain a quote or newline`);
  return `'${value}'`;
}

/** Installs the software on a stock Amazon Linux 2023; run it while baking an AMI too. */
export function installScript(software: StackConfig['app']['software']): string {
  const php = `php${software.php}`;
  return `install_software() {
  dnf install -y -q nginx ${php} ${php}-cli ${php}-fpm ${php}-mysqlnd ${php}-gd ${php}-intl ${php}-mbstring ${php}-xml ${php}-opcache amazon-efs-utils amazon-cloudwatch-agent unzip python3-botocore
  cd /tmp
  curl -fsSLO https://wordpress.org/wordpress-${software.wordpress}.tar.gz
  echo "$(curl -fsSL https://wordpress.org/wordpress-${software.wordpress}.tar.gz.sha1)  wordpress-${software.wordpress}.tar.gz" | sha1sum -c -
  tar -xzf wordpress-${software.wordpress}.tar.gz -C /var/www
  curl -fsSL -o /usr/local/bin/wp https://github.com/wp-cli/wp-cli/releases/download/v${software.wpCli}/wp-cli-${software.wpCli}.phar
  echo "$(curl -fsSL https://github.com/wp-cli/wp-cli/releases/download/v${software.wpCli}/wp-cli-${software.wpCli}.phar.sha512)  /usr/local/bin/wp" | sha512sum -c -
  chmod 0755 /usr/local/bin/wp
  for plugin in woocommerce.${software.woocommerce} redis-cache.${software.redisCache}; do
    curl -fsSLO "https://downloads.wordpress.org/plugin/$plugin.zip"
    unzip -q -o "$plugin.zip" -d ${DOCROOT}/wp-content/plugins
  done
  # Aurora requires TLS (require_secure_transport): trust the RDS CA so mysqli can verify the cluster.
  curl -fsSL -o /etc/pki/ca-trust/source/anchors/rds-global-bundle.pem https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem
  update-ca-trust extract
  # The object cache drop-in; redis-cache bundles Predis, which speaks TLS to ElastiCache.
  cp ${DOCROOT}/wp-content/plugins/redis-cache/includes/object-cache.php ${DOCROOT}/wp-content/object-cache.php
  mkdir -p /opt/rehearse && touch ${INSTALLED_MARKER}
}`;
}

/** A two-child php-fpm pool that serves only the health check. */
export const HEALTH_SOCKET = '/run/php-fpm/health.sock';
const HEALTH_POOL = `[health]
user = apache
group = apache
listen = ${HEALTH_SOCKET}
listen.acl_users = apache,nginx
pm = static
pm.max_children = 2
`;

const NGINX_CONF = `user nginx;
worker_processes auto;
pid /run/nginx.pid;
events { worker_connections 4096; }
http {
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  sendfile on;
  keepalive_timeout 75;
  server_tokens off;
  client_max_body_size 16m;
  # The request trail, shipped to CloudWatch Logs by the agent (short retention, see app-tier.ts).
  log_format rehearse '$remote_addr [$time_iso8601] "$request" $status $body_bytes_sent $request_time '
                      '"$upstream_response_time" "$http_x_forwarded_for" "$http_user_agent"';
  access_log /var/log/nginx/access.log rehearse buffer=64k flush=5s;
  # The ALB is the only client: its idle timeout (60 s) must be shorter than ours.
  server {
    listen ${PORTS.app} default_server;
    root ${DOCROOT};
    index index.php;
    # Its own pool: a busy shoppers' pool must not fail the health check and recycle the fleet.
    location = ${HEALTH_PATH} {
      access_log off;
      include fastcgi_params; fastcgi_param SCRIPT_FILENAME $document_root$fastcgi_script_name; fastcgi_pass unix:${HEALTH_SOCKET};
    }
    location ~ /\\. { deny all; }
    location ^~ /wp-content/uploads/ { location ~ \\.php$ { deny all; } }
    location / { try_files $uri $uri/ /index.php?$args; }
    location ~ \\.php$ {
      try_files $uri =404;
      include fastcgi_params;
      fastcgi_param SCRIPT_FILENAME $document_root$fastcgi_script_name;
      fastcgi_pass unix:/run/php-fpm/www.sock;
    }
  }
}`;

function wpConfig(i: AppUserDataInput): string {
  return `<?php
// Generated at boot by Rehearse user data. Credentials are read from root-owned files that the
// boot script and 5-minute timers fill (SSM parameters; an IAM token for Redis); none is written here.
$rehearse_db = require '/etc/rehearse/db.php';
$rehearse_redis = require '${REDIS_CREDENTIAL_FILE}';
foreach (require '/etc/rehearse/salts.php' as $name => $value) { define($name, $value); }
define('DB_NAME', ${word(i.dbName)});
define('DB_USER', $rehearse_db['user']);
define('DB_PASSWORD', $rehearse_db['password']);
define('DB_HOST', ${word(i.dbHost)});
define('DB_CHARSET', 'utf8mb4');
define('DB_COLLATE', '');
// TLS to Aurora, verified against the RDS CA installed at boot; the cluster refuses plain connections.
define('MYSQL_CLIENT_FLAGS', MYSQLI_CLIENT_SSL);
$table_prefix = 'wp_';
// TLS ends at the ALB; it tells us the scheme the visitor used.
if (($_SERVER['HTTP_X_FORWARDED_PROTO'] ?? '') === 'https') { $_SERVER['HTTPS'] = 'on'; }
define('WP_HOME', ${word(i.siteUrl)});
define('WP_SITEURL', ${word(i.siteUrl)});
// TLS, as WordPress's own Redis user with a short-lived IAM token (the default user is disabled).
define('WP_REDIS_SCHEME', 'tls');
define('WP_REDIS_HOST', ${word(i.redisHost)});
define('WP_REDIS_PORT', 6379);
define('WP_REDIS_CLIENT', 'predis');
define('WP_REDIS_PASSWORD', [$rehearse_redis['user'], $rehearse_redis['password']]);
define('WP_REDIS_PREFIX', ${word(redisKeyPrefix(i.rehearsalId))});
define('WP_REDIS_TIMEOUT', 1);
define('WP_REDIS_READ_TIMEOUT', 1);
// One instance runs cron for all (systemd timer + lock on EFS), not every page view.
define('DISABLE_WP_CRON', true);
define('DISALLOW_FILE_MODS', true);
define('AUTOMATIC_UPDATER_DISABLED', true);
if (!defined('ABSPATH')) { define('ABSPATH', __DIR__ . '/'); }
require_once ABSPATH . 'wp-settings.php';`;
}

/** A name made of a-z, 0-9 and "-" (Redis user and group ids), safe inside any quoting. */
function slug(value: string): string {
  if (!/^[a-z0-9-]+$/.test(value)) throw new Error(`user data name ${JSON.stringify(value)} must be a-z, 0-9 or -`);
  return value;
}

/**
 * The Redis credential helper: botocore presigns ElastiCache's "connect" action for the user with
 * the instance role (what redis-py's documented credential provider does); the token goes through
 * a pipe into a php-fpm-readable file, never to argv, stdout or the log.
 */
export function redisTokenScript(
  i: Pick<AppUserDataInput, 'region' | 'redisReplicationGroupId' | 'redisUser'>,
): string {
  const user = slug(i.redisUser);
  return `cat > /usr/local/sbin/rehearse-redis-token.py <<'PY'
# ElastiCache IAM auth token (valid 15 minutes) for: replication group, user, region.
import sys
import botocore.session
from botocore.model import ServiceId
from botocore.signers import RequestSigner

group, user, region = sys.argv[1:4]
session = botocore.session.get_session()
signer = RequestSigner(ServiceId('elasticache'), region, 'elasticache', 'v4', session.get_credentials(), session.get_component('event_emitter'))
request = {'method': 'GET', 'url': 'https://' + group + '/?Action=connect&User=' + user, 'body': {}, 'headers': {}, 'context': {}}
url = signer.generate_presigned_url(request, operation_name='connect', expires_in=900, region_name=region)
sys.stdout.write(url[len('https://'):])
PY
cat > /usr/local/sbin/rehearse-redis-token <<'SCRIPT'
#!/bin/bash
set -euo pipefail
umask 027
python3 /usr/local/sbin/rehearse-redis-token.py ${word(slug(i.redisReplicationGroupId))} ${word(user)} ${word(i.region)} \\
  | php -r 'echo "<?php return ", var_export(["user" => "${user}", "password" => stream_get_contents(STDIN)], true), ";\\n";' > ${REDIS_CREDENTIAL_FILE}.new
chgrp apache ${REDIS_CREDENTIAL_FILE}.new && chmod 0640 ${REDIS_CREDENTIAL_FILE}.new && mv ${REDIS_CREDENTIAL_FILE}.new ${REDIS_CREDENTIAL_FILE}
SCRIPT
chmod 0700 /usr/local/sbin/rehearse-redis-token
/usr/local/sbin/rehearse-redis-token`;
}

/** A systemd service + timer pair running one command. */
function timer(name: string, command: string, schedule: string): string {
  return `cat > /etc/systemd/system/${name}.service <<'UNIT'
[Service]
Type=oneshot
ExecStart=/bin/bash -c ${word(command)}
UNIT
cat > /etc/systemd/system/${name}.timer <<'UNIT'
[Timer]
${schedule}
[Install]
WantedBy=timers.target
UNIT
systemctl enable --now ${name}.timer`;
}

export function appUserData(i: AppUserDataInput): string {
  const locks = `${UPLOADS}/.rehearse`;
  const wp = `runuser -u apache -- /usr/local/bin/wp --path=${DOCROOT}`;
  return `#!/bin/bash
# Rehearse app instance bootstrap (infra/aws/stack/app-user-data.ts). No "set -x": keep secrets out of logs.
set -euo pipefail
exec >>/var/log/rehearse-bootstrap.log 2>&1
export AWS_DEFAULT_REGION=${word(i.region)}
echo "bootstrap start $(date -u +%FT%TZ)"

${installScript(i.software)}
[ -f ${INSTALLED_MARKER} ] || install_software

# Uploads only on EFS, over TLS; PHP code stays on local disk.
mkdir -p ${UPLOADS}
grep -q ${word(i.efsId)} /etc/fstab || echo ${word(`${i.efsId}:/ ${UPLOADS} efs _netdev,tls,noresvport 0 0`)} >> /etc/fstab
until mount -a -t efs; do echo "waiting for EFS"; sleep 5; done
mkdir -p ${locks} && chown apache:apache ${UPLOADS} ${locks}

# Secrets: read at boot and refreshed by a timer; written atomically, readable by php-fpm only.
install -d -m 0750 -g apache /etc/rehearse
cat > /usr/local/sbin/rehearse-secrets <<'SCRIPT'
#!/bin/bash
set -euo pipefail
export AWS_DEFAULT_REGION=${word(i.region)}
param() { aws ssm get-parameter --name "$1" --with-decryption --query Parameter.Value --output text; }
param ${word(i.dbPasswordParameter)} | php -r 'echo "<?php return ", var_export(["user" => "${identifier(i.dbUser)}", "password" => rtrim(stream_get_contents(STDIN), "\\n")], true), ";\\n";' > /etc/rehearse/db.php.new
# The salts were written at deploy (write-only, never in state); instances only read them.
param ${word(i.saltsParameter)} | php -r 'echo "<?php return ", var_export(json_decode(stream_get_contents(STDIN), true), true), ";\\n";' > /etc/rehearse/salts.php.new
for f in db salts; do chgrp apache /etc/rehearse/$f.php.new; chmod 0640 /etc/rehearse/$f.php.new; mv /etc/rehearse/$f.php.new /etc/rehearse/$f.php; done
SCRIPT
chmod 0700 /usr/local/sbin/rehearse-secrets
/usr/local/sbin/rehearse-secrets
# Redis: no password anywhere; a token signed by the instance role, renewed well within its 15 minutes.
${redisTokenScript(i)}

cat > ${DOCROOT}/wp-config.php <<'PHP'
${wpConfig(i)}
PHP
cat > /etc/nginx/nginx.conf <<'NGINX'
${NGINX_CONF}
NGINX
# One php-fpm child per ~80 MB of memory: WooCommerce requests peak around there.
children=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 81920 ))
sed -i -e "s/^pm = .*/pm = static/" -e "s/^pm.max_children = .*/pm.max_children = $children/" /etc/php-fpm.d/www.conf
cat > /etc/php-fpm.d/health.conf <<'POOL'
${HEALTH_POOL}POOL
systemctl enable --now php-fpm nginx

# nginx access log to CloudWatch Logs (the ALB's access logs go to S3).
cat > /opt/aws/amazon-cloudwatch-agent/etc/amazon-cloudwatch-agent.json <<'AGENT'
${JSON.stringify({ logs: { logs_collected: { files: { collect_list: [{ file_path: '/var/log/nginx/access.log', log_group_name: i.accessLogGroup, log_stream_name: '{instance_id}' }] } } } })}
AGENT
/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -s -c file:/opt/aws/amazon-cloudwatch-agent/etc/amazon-cloudwatch-agent.json

# The one-shot bootstrap creates WordPress's database user (database-user.ts); wait for it.
cat > /usr/local/sbin/rehearse-db-ready.php <<'PHP'
<?php $d = require '/etc/rehearse/db.php'; $m = mysqli_init();
exit(@mysqli_real_connect($m, ${word(i.dbHost)}, $d['user'], $d['password'], ${word(i.dbName)}, 3306, null, MYSQLI_CLIENT_SSL) ? 0 : 1);
PHP
for attempt in $(seq 90); do php /usr/local/sbin/rehearse-db-ready.php && break; echo "waiting for the database user ($attempt)"; sleep 10; done

# Tables and plugins once per stack: the first instance to take the lock on EFS installs.
flock ${locks}/install.lock bash -c ${word(`${wp} core is-installed 2>/dev/null || { ${wp} core install --url=${i.siteUrl} --title="Rehearse store" --admin_user=rehearse-admin --admin_email=admin@example.invalid --admin_password="$(openssl rand -hex 24)" --skip-email >/dev/null && ${wp} plugin activate woocommerce redis-cache >/dev/null && ${wp} rewrite structure "/%postname%/" >/dev/null; }`)}

${timer('rehearse-secrets', '/usr/local/sbin/rehearse-secrets', 'OnUnitActiveSec=5min\nOnBootSec=5min')}
# After a reboot the last token may be stale (cloud-init does not rerun this): renew it at once.
${timer('rehearse-redis-token', '/usr/local/sbin/rehearse-redis-token', 'OnUnitActiveSec=5min\nOnBootSec=10s')}
${timer('rehearse-wp-cron', `flock -n ${locks}/cron.lock ${wp} cron event run --due-now >/dev/null`, 'OnCalendar=minutely')}
${timer('rehearse-uploads-backup', `flock -n ${locks}/backup.lock aws s3 sync ${UPLOADS} s3://${i.backupBucket}/uploads/ --exclude ".rehearse/*" --only-show-errors`, 'OnCalendar=daily\nRandomizedDelaySec=1h')}

# Last: the health check turns green only now. It does not touch the database or Redis on
# purpose: with ELB health checks, an Aurora failover would otherwise mark every instance
# unhealthy and the ASG would replace the whole fleet at once.
printf '%s\\n' '<?php header("Content-Type: text/plain"); header("Cache-Control: no-store"); echo "ok\\n";' > ${DOCROOT}${HEALTH_PATH}
echo "bootstrap done $(date -u +%FT%TZ)"
`;
}
