// The replica's WordPress: a private copy of Debian's docroot, its generated config files, the
// shop (fixture plugin, Store API, my-account, Redis page and object cache drop-ins), and a
// one-time install + seed through the PHP CLI.
import fs from 'node:fs';
import path from 'node:path';
import { FIXTURE_SRC, logFile, REPO_ROOT, type Layout } from './layout.ts';
import { chooseStateDir } from './state-dir.ts';
import { runAs, serviceIds } from './privilege.ts';
import { createHash, randomBytes } from 'node:crypto';
import { $ } from 'zx';
import { createDatabase } from './mariadb.ts';
import { ComponentError } from './readiness.ts';
import { waitRedis } from './redis.ts';
import type { Calibration } from './shop-cost.ts';
import { generateSecrets, healthEnv, wpConfig, type Secrets } from './wp-config.ts';
import { SHOP_MARKER } from './woocommerce/unpack.ts';

export type Shop = 'fixture' | 'woocommerce';

export const DEBIAN_DOCROOT = '/usr/share/wordpress';
export const WORDPRESS = 'wordpress-install';
export const WEB_USER = 'www-data';

const webIds = () => serviceIds(WEB_USER, 'php8.2-fpm');

/** Loads the replica's secrets, making them on first use. `fresh` = made just now. */
export function ensureSecrets(layout: Layout): { secrets: Secrets; fresh: boolean } {
  if (fs.existsSync(layout.secretsFile)) {
    return { secrets: JSON.parse(fs.readFileSync(layout.secretsFile, 'utf8')) as Secrets, fresh: false };
  }
  const secrets = generateSecrets();
  fs.writeFileSync(layout.secretsFile, JSON.stringify(secrets, null, 2) + '\n', { mode: 0o600 });
  return { secrets, fresh: true };
}

/** Where the returning customers' shared password lives: the state dir only, 0600 (like the salts). */
export function customerPasswordFile(stateDir: string): string {
  return path.join(stateDir, 'customer-password');
}

/** The customers' password, made on first use. Never logged, never in catalogue.json or a plan. */
export function ensureCustomerPassword(layout: Layout): string {
  const file = customerPasswordFile(layout.stateDir);
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  const password = randomBytes(18).toString('base64url');
  fs.writeFileSync(file, password + '\n', { mode: 0o600 });
  return password;
}

/**
 * What k6 needs to log customers in: REHEARSE_CUSTOMER_PASSWORD from the environment (--target
 * url: the user sets it) or else from a local replica's state dir. {} when neither has one.
 */
export function customerPasswordEnv(
  env: NodeJS.ProcessEnv = process.env,
  stateDir = chooseStateDir(REPO_ROOT, env).dir,
): Record<string, string> {
  if (env.REHEARSE_CUSTOMER_PASSWORD) return { REHEARSE_CUSTOMER_PASSWORD: env.REHEARSE_CUSTOMER_PASSWORD };
  try {
    return { REHEARSE_CUSTOMER_PASSWORD: fs.readFileSync(customerPasswordFile(stateDir), 'utf8').trim() };
  } catch {
    return {};
  }
}

/** Copies Debian's docroot once. cp -RL: Debian's tree has relative symlinks that break when copied as links. */
export async function ensureDocroot(layout: Layout): Promise<boolean> {
  const { docroot } = layout.wordpress;
  // A docroot built for real WooCommerce (woocommerce/woo-docroot.ts) is not the fixture's.
  if (fs.existsSync(path.join(docroot, SHOP_MARKER))) fs.rmSync(docroot, { recursive: true, force: true });
  if (fs.existsSync(docroot)) return false;
  if (!fs.existsSync(path.join(DEBIAN_DOCROOT, 'wp-settings.php'))) {
    throw new Error(
      `no WordPress in ${DEBIAN_DOCROOT}; install the Debian packages wordpress and wordpress-theme-twentytwentyone`,
    );
  }
  if (!fs.existsSync(path.join(DEBIAN_DOCROOT, 'wp-content/themes/twentytwentyone/style.css'))) {
    throw new Error('theme twentytwentyone missing; install the Debian package wordpress-theme-twentytwentyone');
  }
  const tmp = `${docroot}.tmp`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(docroot), { recursive: true });
  await $({ quiet: true })`cp -RL ${DEBIAN_DOCROOT} ${tmp}`;
  fs.renameSync(tmp, docroot);
  return true;
}

/** Writes `file` unless it already holds `text`; true when it changed. */
function writeIfChanged(file: string, text: string, mode = 0o644, gid?: number): boolean {
  const same = fs.existsSync(file) && fs.readFileSync(file, 'utf8') === text;
  if (!same) fs.writeFileSync(file, text);
  fs.chmodSync(file, mode);
  if (gid !== undefined) fs.chownSync(file, 0, gid);
  return !same;
}

/** Generated and copied files; cheap, so done on every `up` (a changed port or fixture is picked up). */
export function writeSiteFiles(
  layout: Layout,
  secrets: Secrets,
  shop: Shop = 'fixture',
  shopCost: Calibration | null = null,
): boolean {
  const { docroot } = layout.wordpress;
  // As root the web user reads the secrets through its group; otherwise everything is ours already.
  const { gid, uid } = runAs().root ? webIds() : { gid: undefined, uid: undefined };
  const contentDir = path.join(docroot, 'wp-content');
  const db = { dbName: layout.db.name, dbUser: layout.db.user, dbSocket: layout.mariadb.socket };
  const defaultTheme = shop === 'woocommerce' ? 'twentytwentyfive' : undefined;
  // Holds the DB password: readable by the web user's group only.
  const config = wpConfig({ ...db, homeUrl: layout.baseUrl, contentDir, secrets, defaultTheme, shopCost });
  const configChanged = writeIfChanged(path.join(docroot, 'wp-config.php'), config, 0o640, gid);
  writeIfChanged(layout.wordpress.envFile, healthEnv({ ...db, redisSocket: layout.redis.socket, secrets }), 0o640, gid);
  writeIfChanged(
    path.join(docroot, 'rehearse-health.php'),
    fs.readFileSync(path.join(FIXTURE_SRC, 'rehearse-health.php'), 'utf8'),
  );
  // Real WooCommerce brings its own shop and, as measured, runs without page or object cache.
  if (shop === 'fixture') writeFixtureShop(contentDir);
  // Every instance's wp-content/uploads is the one shared directory (EFS on AWS).
  fs.mkdirSync(layout.sharedUploads, { recursive: true });
  if (uid !== undefined) fs.chownSync(layout.sharedUploads, uid, gid!);
  const uploads = path.join(contentDir, 'uploads');
  if (!fs.existsSync(uploads)) fs.symlinkSync(layout.sharedUploads, uploads);
  return configChanged;
}

/** The fixture shop: must-use plugins, the Store API's includes and the cache drop-ins. */
function writeFixtureShop(contentDir: string): void {
  const muDir = path.join(contentDir, 'mu-plugins');
  fs.mkdirSync(muDir, { recursive: true });
  const copy = (name: string, dir: string) =>
    writeIfChanged(path.join(dir, name), fs.readFileSync(path.join(FIXTURE_SRC, name), 'utf8'));
  for (const name of MU_PLUGINS) copy(name, muDir);
  const storeDir = path.join(muDir, 'rehearse-store');
  fs.mkdirSync(storeDir, { recursive: true });
  for (const name of STORE_INCLUDES) copy(name, storeDir);
  // Drop-ins: WordPress loads them from wp-content by these exact names (WP_CACHE is on).
  for (const name of DROP_INS) copy(name, contentDir);
}

/** Must-use plugins (mu-plugins/), the Store API's includes (mu-plugins/rehearse-store/) and drop-ins (wp-content/). */
export const MU_PLUGINS = [
  'rehearse-cost.php',
  'rehearse-shop-fixture.php',
  'rehearse-store-api.php',
  'rehearse-my-account.php',
];
export const STORE_INCLUDES = ['store-session.php', 'store-schema.php', 'store-checkout.php'];
export const DROP_INS = ['rehearse-redis.php', 'object-cache.php', 'advanced-cache.php'];

/** The files that shape the database: when they change, a state made by older ones is re-seeded. */
const SEED_SOURCES = ['install.php', 'seed.php', 'cli-request.php', 'store-schema.php'];
/** …and for real WooCommerce, its setup too. */
const WOO_SEED_SOURCES = ['woocommerce-setup.php'];

export function seedFingerprint(shop: Shop = 'fixture'): string {
  const h = createHash('sha256');
  for (const name of [...SEED_SOURCES, ...(shop === 'woocommerce' ? WOO_SEED_SOURCES : [])]) {
    h.update(name).update(fs.readFileSync(path.join(FIXTURE_SRC, name)));
  }
  return h.digest('hex').slice(0, 16);
}

/** Installed, for this shop, and by the seed this checkout would write (an older state is installed again). */
export function isInstalled(layout: Layout, shop: Shop = 'fixture'): boolean {
  if (!fs.existsSync(layout.wordpress.installedMarker) || !fs.existsSync(layout.catalogue)) return false;
  try {
    const marker = JSON.parse(fs.readFileSync(layout.wordpress.installedMarker, 'utf8'));
    return marker.seed === seedFingerprint(shop) && (marker.shop ?? 'fixture') === shop;
  } catch {
    return false;
  }
}

/** The shop the state dir's install was made for; undefined when nothing is installed. */
export function installedShop(layout: Layout): Shop | undefined {
  try {
    return JSON.parse(fs.readFileSync(layout.wordpress.installedMarker, 'utf8')).shop ?? 'fixture';
  } catch {
    return undefined;
  }
}

/** Forgets an install, e.g. when the secrets it was made with are gone. */
export function markNotInstalled(layout: Layout): void {
  fs.rmSync(layout.wordpress.installedMarker, { force: true });
}

async function php(layout: Layout, script: string, args: string[], env: Record<string, string> = {}): Promise<void> {
  const log = logFile(layout, WORDPRESS);
  const phpArgs = ['-d', 'memory_limit=512M', '-d', 'display_errors=stderr', path.join(FIXTURE_SRC, script), ...args];
  const res = await $({ quiet: true, nothrow: true, env: { ...process.env, ...env } })`php ${phpArgs}`;
  fs.appendFileSync(log, `--- ${script}${res.exitCode === 0 ? '' : ' FAILED'}\n${res.stdout}${res.stderr}\n`);
  if (res.exitCode !== 0) {
    throw new ComponentError(WORDPRESS, `php ${script} failed (is php8.2-cli with php8.2-mysql installed?)`, log);
  }
}

/**
 * Empty database, wp_install(), then the deterministic catalogue seed. MariaDB must be ready.
 * Real WooCommerce is activated and configured before the seed and finishes the products after it.
 */
export async function installAndSeed(layout: Layout, secrets: Secrets, shop: Shop = 'fixture'): Promise<void> {
  markNotInstalled(layout);
  fs.rmSync(layout.catalogue, { force: true });
  await createDatabase(layout, secrets.dbPassword);
  await waitRedis(layout); // the object cache drop-in is live during install and seed
  const { docroot } = layout.wordpress;
  await php(layout, 'install.php', [docroot, layout.baseUrl]);
  const woo = (step: string) => php(layout, 'woocommerce-setup.php', [docroot, layout.baseUrl, step]);
  if (shop === 'woocommerce') for (const step of ['activate', 'configure']) await woo(step);
  await php(layout, 'seed.php', [docroot, layout.baseUrl, layout.catalogue], {
    REHEARSE_SEED_CUSTOMER_PASSWORD: ensureCustomerPassword(layout),
  });
  if (shop === 'woocommerce') await woo('finish');
  if (!fs.existsSync(layout.catalogue)) {
    throw new ComponentError(WORDPRESS, `seed.php wrote no ${layout.catalogue}`, logFile(layout, WORDPRESS));
  }
  const marker = { installedAt: new Date().toISOString(), seed: seedFingerprint(shop), shop };
  fs.writeFileSync(layout.wordpress.installedMarker, JSON.stringify(marker) + '\n');
}
