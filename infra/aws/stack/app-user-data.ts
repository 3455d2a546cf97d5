// User data for an app instance, as text (pure). Installs nginx, php-fpm, WordPress and
// WooCommerce on local disk (skipped when the image was baked with installScript()), mounts EFS
// for wp-content/uploads only, points the object cache at Redis over TLS, and reads the database
// password from Secrets Manager at boot and every 5 minutes after (RDS rotates it). No secret is
// in this text, and nothing here echoes one: the log shows steps, never values.
//
// Values may be cdktf tokens that Terraform fills in; the script therefore never uses "${"
// (Terraform would take it for interpolation): plain "$VAR" only.
import type { StackConfig } from '../config/stack-config.ts';
import { HEALTH_PATH } from './load-balancer.ts';

export interface AppUserDataInput {
  rehearsalId: string;
  region: string;
  siteUrl: string;
  dbHost: string;
  dbName: string;
  /** RDS-managed secret {"username","password"}. */
  dbSecretArn: string;
  /** Empty secret the first instance fills with WordPress salts (every instance must share them). */
  saltsSecretArn: string;
  redisHost: string;
  efsId: string;
  backupBucket: string;
  software: StackConfig['app']['software'];
}

export const DOCROOT = '/var/www/wordpress';
export const UPLOADS = `${DOCROOT}/wp-content/uploads`;
const INSTALLED_MARKER = '/opt/rehearse/.software-installed';

function word(value: string): string {
  if (/['\n]/.test(value)) throw new Error(`user data value ${JSON.stringify(value)} may not contain a quote or newline`);
  return `'${value}'`;
}

/** Installs the software on a stock Amazon Linux 2023; run it while baking an AMI too. */
export function installScript(software: StackConfig['app']['software']): string {
  const php = `php${software.php}`;
  return `install_software() {
  dnf install -y -q nginx ${php} ${php}-cli ${php}-fpm ${php}-mysqlnd ${php}-gd ${php}-intl ${php}-mbstring ${php}-xml ${php}-opcache amazon-efs-utils unzip
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
  # The object cache drop-in; redis-cache bundles Predis, which speaks TLS to ElastiCache.
  cp ${DOCROOT}/wp-content/plugins/redis-cache/includes/object-cache.php ${DOCROOT}/wp-content/object-cache.php
  mkdir -p /opt/rehearse && touch ${INSTALLED_MARKER}
}`;
}

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
  access_log off;
  # The ALB is the only client: its idle timeout (60 s) must be shorter than ours.
  server {
    listen 80 default_server;
    root ${DOCROOT};
    index index.php;
    location = ${HEALTH_PATH} { include fastcgi_params; fastcgi_param SCRIPT_FILENAME $document_root$fastcgi_script_name; fastcgi_pass unix:/run/php-fpm/www.sock; }
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
// boot script and a 5-minute timer fill from Secrets Manager; none is written here.
$rehearse_db = require '/etc/rehearse/db.php';
foreach (require '/etc/rehearse/salts.php' as $name => $value) { define($name, $value); }
define('DB_NAME', ${word(i.dbName)});
define('DB_USER', $rehearse_db['user']);
define('DB_PASSWORD', $rehearse_db['password']);
define('DB_HOST', ${word(i.dbHost)});
define('DB_CHARSET', 'utf8mb4');
define('DB_COLLATE', '');
$table_prefix = 'wp_';
// TLS ends at the ALB; it tells us the scheme the visitor used.
if (($_SERVER['HTTP_X_FORWARDED_PROTO'] ?? '') === 'https') { $_SERVER['HTTPS'] = 'on'; }
define('WP_HOME', ${word(i.siteUrl)});
define('WP_SITEURL', ${word(i.siteUrl)});
define('WP_REDIS_SCHEME', 'tls');
define('WP_REDIS_HOST', ${word(i.redisHost)});
define('WP_REDIS_PORT', 6379);
define('WP_REDIS_CLIENT', 'predis');
define('WP_REDIS_PREFIX', ${word(`${i.rehearsalId}:`)});
define('WP_REDIS_TIMEOUT', 1);
define('WP_REDIS_READ_TIMEOUT', 1);
// One instance runs cron for all (systemd timer + lock on EFS), not every page view.
define('DISABLE_WP_CRON', true);
define('DISALLOW_FILE_MODS', true);
define('AUTOMATIC_UPDATER_DISABLED', true);
if (!defined('ABSPATH')) { define('ABSPATH', __DIR__ . '/'); }
require_once ABSPATH . 'wp-settings.php';`;
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
  const saltsToken = `rehearse-wordpress-salts-initial-${i.rehearsalId}`;
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
fetch() { aws secretsmanager get-secret-value --secret-id "$1" --query SecretString --output text; }
fetch ${word(i.dbSecretArn)} | php -r '$s = json_decode(stream_get_contents(STDIN), true); echo "<?php return ", var_export(["user" => $s["username"], "password" => $s["password"]], true), ";\\n";' > /etc/rehearse/db.php.new
if ! fetch ${word(i.saltsSecretArn)} >/dev/null 2>&1; then
  # First instance up: propose salts. The fixed request token makes the first writer win; the rest read its value.
  php -r 'foreach (["AUTH_KEY","SECURE_AUTH_KEY","LOGGED_IN_KEY","NONCE_KEY","AUTH_SALT","SECURE_AUTH_SALT","LOGGED_IN_SALT","NONCE_SALT"] as $k) { $o[$k] = bin2hex(random_bytes(32)); } echo json_encode($o);' > /etc/rehearse/salts.json.new
  aws secretsmanager put-secret-value --secret-id ${word(i.saltsSecretArn)} --client-request-token ${word(saltsToken)} --secret-string file:///etc/rehearse/salts.json.new >/dev/null 2>&1 || true
  rm -f /etc/rehearse/salts.json.new
fi
fetch ${word(i.saltsSecretArn)} | php -r 'echo "<?php return ", var_export(json_decode(stream_get_contents(STDIN), true), true), ";\\n";' > /etc/rehearse/salts.php.new
for f in db salts; do chgrp apache /etc/rehearse/$f.php.new; chmod 0640 /etc/rehearse/$f.php.new; mv /etc/rehearse/$f.php.new /etc/rehearse/$f.php; done
SCRIPT
chmod 0700 /usr/local/sbin/rehearse-secrets
/usr/local/sbin/rehearse-secrets

cat > ${DOCROOT}/wp-config.php <<'PHP'
${wpConfig(i)}
PHP
cat > /etc/nginx/nginx.conf <<'NGINX'
${NGINX_CONF}
NGINX
# One php-fpm child per ~80 MB of memory: WooCommerce requests peak around there.
children=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 81920 ))
sed -i -e "s/^pm = .*/pm = static/" -e "s/^pm.max_children = .*/pm.max_children = $children/" /etc/php-fpm.d/www.conf
systemctl enable --now php-fpm nginx

# Tables and plugins once per stack: the first instance to take the lock on EFS installs.
flock ${locks}/install.lock bash -c ${word(`${wp} core is-installed 2>/dev/null || { ${wp} core install --url=${i.siteUrl} --title="Rehearse store" --admin_user=rehearse-admin --admin_email=admin@example.invalid --admin_password="$(openssl rand -hex 24)" --skip-email >/dev/null && ${wp} plugin activate woocommerce redis-cache >/dev/null && ${wp} rewrite structure "/%postname%/" >/dev/null; }`)}

${timer('rehearse-secrets', '/usr/local/sbin/rehearse-secrets', 'OnUnitActiveSec=5min\nOnBootSec=5min')}
${timer('rehearse-wp-cron', `flock -n ${locks}/cron.lock ${wp} cron event run --due-now >/dev/null`, 'OnCalendar=minutely')}
${timer('rehearse-uploads-backup', `flock -n ${locks}/backup.lock aws s3 sync ${UPLOADS} s3://${i.backupBucket}/uploads/ --exclude ".rehearse/*" --only-show-errors`, 'OnCalendar=daily\nRandomizedDelaySec=1h')}

# Last: the health check turns green only now. It does not touch the database or Redis on
# purpose: with ELB health checks, an Aurora failover would otherwise mark every instance
# unhealthy and the ASG would replace the whole fleet at once.
printf '%s\\n' '<?php header("Content-Type: text/plain"); header("Cache-Control: no-store"); echo "ok\\n";' > ${DOCROOT}${HEALTH_PATH}
echo "bootstrap done $(date -u +%FT%TZ)"
`;
}
