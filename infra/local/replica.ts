// The local replica of the store: MariaDB + Redis + N (php-fpm + nginx) instances + HAProxy,
// all plain processes on loopback or unix sockets, all state under one directory.
import fs from 'node:fs';
import { InputError } from '../../errors/errors.ts';
import path from 'node:path';
import {
  autoscalingSchema,
  parseSettings,
  type AutoscalingSettings,
  type InstanceSize,
} from './autoscaler/settings.ts';
import { CONTROLLER, controllerAlive, managedIndexes, startController } from './autoscaler/controller-process.ts';
import { removeAllAppCgroups } from './cgroup.ts';
import { readPidRecord, runningPid, stopDaemon } from './daemon.ts';
import { HAPROXY, startHaproxy } from './haproxy.ts';
import { HEALTH_PATH } from './haproxy-config.ts';
import { cgroupRoots, instanceAlive, killInstanceProcesses, startInstance } from './instance.ts';
import { instanceLayout, logFile, pidFile, resolveLayout, type Layout, type LocalReplicaOptions } from './layout.ts';
import { ensureDatadir, MARIADB, startMariadb, waitMariadb } from './mariadb.ts';
import { ComponentError, httpGet } from './readiness.ts';
import { choosePort } from './ports.ts';
import { movedNote } from './state-dir.ts';
import { runAs } from './privilege.ts';
import { REDIS, startRedis, waitRedis } from './redis.ts';
import { checkWooPins, ensureWooDocroot } from './woocommerce/woo-docroot.ts';
import { describeShopCost, resolveShopCost } from './shop-cost.ts';
import {
  ensureDocroot,
  ensureSecrets,
  installedShop,
  installAndSeed,
  isInstalled,
  markNotInstalled,
  writeSiteFiles,
} from './wordpress.ts';

export type { LocalReplicaOptions } from './layout.ts';
export { telemetry } from './telemetry.ts';
export { CONTROLLER } from './autoscaler/controller-process.ts';

// php-fpm's opcache re-reads a changed file after at most opcache.revalidate_freq (2 s default),
// counted in whole seconds of request time: up to 3 s.
const OPCACHE_REVALIDATE_MS = 3100;

export type { Endpoint } from '../target-types.ts';
import type { Endpoint } from '../target-types.ts';

export interface ComponentStatus {
  name: string;
  pid?: number;
  alive: boolean;
  listen?: string;
}

export interface ReplicaStatus {
  running: boolean;
  components: ComponentStatus[];
  baseUrl?: string;
}

interface Recorded {
  port: number;
  instances: number;
  size?: InstanceSize;
  autoscaling?: AutoscalingSettings | null;
}

function resolveAutoscaling(opts: LocalReplicaOptions): AutoscalingSettings | null {
  if (opts.autoscaling === undefined || opts.autoscaling === false) return null;
  return parseSettings(autoscalingSchema, opts.autoscaling === true ? {} : opts.autoscaling, 'autoscaling');
}

function readRecorded(layout: Layout): Recorded | undefined {
  try {
    return JSON.parse(fs.readFileSync(layout.replicaFile, 'utf8')) as Recorded;
  } catch {
    return undefined;
  }
}

/** The layout of the replica as last brought up in this state dir (what status/down must look at). */
function recordedLayout(opts: LocalReplicaOptions): Layout {
  const layout = resolveLayout(opts);
  const rec = readRecorded(layout);
  return rec
    ? resolveLayout({ ...opts, port: rec.port, instances: rec.instances, size: rec.size ?? opts.size })
    : layout;
}

function prepareStateDir(layout: Layout): void {
  try {
    for (const d of [layout.stateDir, layout.runDir, layout.logDir]) fs.mkdirSync(d, { recursive: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'EACCES' && code !== 'EPERM') throw e;
    throw new InputError(
      `cannot create the state dir ${layout.stateDir} (${code}); set REHEARSE_STATE_DIR to a directory you can write`,
    );
  }
  if (!runAs().root) {
    // The daemons run as us: nobody else needs to get in, but everything inside must be ours.
    const owner = fs.statSync(layout.stateDir).uid;
    if (owner !== process.getuid?.()) {
      throw new InputError(
        `state dir ${layout.stateDir} belongs to ${owner === 0 ? 'root' : `uid ${owner}`} (an earlier run as that user); ` +
          `remove it (sudo rm -rf ${layout.stateDir}) or set REHEARSE_STATE_DIR to a directory of your own`,
      );
    }
    return;
  }
  // mysql and www-data must reach their sockets and files inside (mkdtemp makes 0700 dirs).
  fs.chmodSync(layout.stateDir, 0o755);
  for (let dir = path.dirname(layout.stateDir); ; dir = path.dirname(dir)) {
    if ((fs.statSync(dir).mode & 0o001) === 0) {
      throw new InputError(
        `state dir ${layout.stateDir}: ${dir} is not searchable by the mysql and www-data users; run 'chmod o+x ${dir}' or choose another REHEARSE_STATE_DIR`,
      );
    }
    if (dir === path.dirname(dir)) break;
  }
}

/** Refuses to silently reshape a running replica: its HAProxy config holds port and servers. */
function checkMatchesRunning(layout: Layout, opts: LocalReplicaOptions): Layout {
  const rec = readRecorded(layout);
  if (!rec) return layout;
  const running = resolveLayout({ ...opts, port: rec.port, instances: rec.instances, size: opts.size ?? rec.size });
  if (!components(running).some((c) => c.alive)) return layout;
  // A port nobody asked for follows the running replica (it may have moved off a busy default).
  const wantsOther =
    (layout.portAsked && rec.port !== layout.port) ||
    (opts.instances !== undefined && opts.instances !== rec.instances);
  if (wantsOther) {
    throw new Error(
      `the local replica in ${layout.stateDir} is running on port ${rec.port} with ${rec.instances} instances; ` +
        `call down() first to change that, or up() with port ${rec.port}`,
    );
  }
  return running;
}

/**
 * The autoscaling settings for this up(): as asked, or, when not asked, those of the controller
 * already running. Refuses to change a running controller's settings or the instances' size.
 */
function runningAutoscaling(layout: Layout, opts: LocalReplicaOptions): AutoscalingSettings | null {
  const rec = readRecorded(layout);
  const asked = resolveAutoscaling(opts);
  if (!rec || !controllerAlive(layout)) return asked;
  const was = rec.autoscaling ?? null;
  if (opts.autoscaling !== undefined && JSON.stringify(asked) !== JSON.stringify(was)) {
    throw new Error(
      `the local replica in ${layout.stateDir} runs with autoscaling ${JSON.stringify(was)}; call down() first to change it`,
    );
  }
  if (opts.size !== undefined && rec.size && JSON.stringify(layout.size) !== JSON.stringify(rec.size)) {
    throw new Error(
      `the local replica in ${layout.stateDir} runs instances of size ${JSON.stringify(rec.size)}; call down() first to change it`,
    );
  }
  return was;
}

function allRunning(layout: Layout): boolean {
  return components(layout).every((c) => c.alive);
}

async function answers200(layout: Layout, urlPath: string): Promise<boolean> {
  try {
    return (await httpGet(`${layout.baseUrl}${urlPath}`, 10_000)).status === 200;
  } catch {
    return false;
  }
}

/** Names the component to blame when the balancer does not answer, by asking an instance directly. */
async function diagnose(layout: Layout, urlPath: string): Promise<ComponentError> {
  const il = instanceLayout(layout, 0);
  let direct;
  try {
    direct = await httpGet(`http://127.0.0.1:${il.port}${HEALTH_PATH}`, 5000);
  } catch (e) {
    return new ComponentError(
      il.nginxComponent,
      `does not answer on 127.0.0.1:${il.port} (${(e as Error).message})`,
      logFile(layout, il.nginxComponent),
    );
  }
  if (direct.status === 503 && /mariadb/.test(direct.body))
    return new ComponentError(MARIADB, `health check: ${direct.body.trim()}`, logFile(layout, MARIADB));
  if (direct.status === 503 && /redis/.test(direct.body))
    return new ComponentError(REDIS, `health check: ${direct.body.trim()}`, logFile(layout, REDIS));
  if (direct.status !== 200)
    return new ComponentError(
      il.fpmComponent,
      `${HEALTH_PATH} answered ${direct.status} on ${il.name}`,
      logFile(layout, il.fpmComponent),
    );
  let page;
  try {
    page = await httpGet(`${layout.baseUrl}${urlPath}`, 10_000);
  } catch (e) {
    return new ComponentError(HAPROXY, `GET ${urlPath} failed (${(e as Error).message})`, logFile(layout, HAPROXY));
  }
  const component = page.status === 503 ? HAPROXY : il.fpmComponent; // 503 here: no server is UP in HAProxy
  return new ComponentError(
    component,
    `GET ${urlPath} through the balancer answered ${page.status}: ${page.body.slice(0, 200)}`,
    logFile(layout, component),
  );
}

async function waitBalancer(layout: Layout, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (const urlPath of [HEALTH_PATH, '/']) {
    while (!(await answers200(layout, urlPath))) {
      if (Date.now() > deadline) throw await diagnose(layout, urlPath);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/**
 * Brings the replica up (or completes a partly running one) and returns where to send load.
 * Idempotent: with everything already healthy it starts nothing and returns in milliseconds.
 */
export async function up(opts: LocalReplicaOptions = {}): Promise<Endpoint> {
  try {
    return await bringUp(opts);
  } catch (e) {
    if (e instanceof ComponentError) {
      e.message += '\nComponents that did start are still running (to inspect them); down() stops them.';
    }
    throw e;
  }
}

async function bringUp(opts: LocalReplicaOptions): Promise<Endpoint> {
  const started = Date.now();
  const log = opts.log ?? (() => {});
  const shop = opts.shop ?? 'fixture';
  // Real WooCommerce: refuse an unfilled checksum before anything starts or is written.
  if (shop === 'woocommerce') checkWooPins();
  let layout = resolveLayout(opts);
  const note = movedNote({ dir: layout.stateDir, movedBecause: layout.movedBecause, fromEnv: false });
  if (note && !fs.existsSync(layout.stateDir)) log(note); // once: when the state dir is made
  prepareStateDir(layout);
  refuseOthersReplica(layout);
  layout = checkMatchesRunning(layout, opts);
  if (!components(layout).some((c) => c.alive)) {
    const slots = Math.max(layout.instances, resolveAutoscaling(opts)?.max ?? 0);
    const port = await choosePort(layout.port, slots, layout.portAsked, log);
    if (port !== layout.port) layout = resolveLayout({ ...opts, port });
  }
  const endpoint = { baseUrl: layout.baseUrl, cataloguePath: layout.catalogue };
  // Real WooCommerce costs what it costs; the fixture shop pays the calibrated cost (or the light one).
  const shopCost = shop === 'woocommerce' ? null : resolveShopCost(opts.shopCost);
  if (
    isInstalled(layout, shop) &&
    allRunning(layout) &&
    (await answers200(layout, HEALTH_PATH)) &&
    (await answers200(layout, '/'))
  ) {
    // A running replica takes the asked cost too: wp-config.php is read per request.
    if (writeSiteFiles(layout, ensureSecrets(layout).secrets, shop, shopCost)) {
      await new Promise((r) => setTimeout(r, OPCACHE_REVALIDATE_MS));
    }
    if (shop === 'fixture') log(describeShopCost(shopCost));
    return endpoint;
  }
  const other = installedShop(layout);
  if (other !== undefined && other !== shop && allRunning(layout)) {
    throw new InputError(
      `the local replica in ${layout.stateDir} runs the ${other} shop: ` +
        `stop it (rehearse stack down) before starting it with --shop ${shop}`,
    );
  }
  const autoscaling = runningAutoscaling(layout, opts);
  const recorded: Recorded = { port: layout.port, instances: layout.instances, size: layout.size, autoscaling };
  fs.writeFileSync(layout.replicaFile, JSON.stringify(recorded) + '\n');
  // A running autoscaler owns the app instances: up() only completes the other tiers then.
  const managed = autoscaling !== null && controllerAlive(layout);

  const { secrets, fresh } = ensureSecrets(layout);
  if (fresh) markNotInstalled(layout); // the database user's password changed: install again
  const install = !isInstalled(layout, shop);
  log(
    install
      ? `local replica: first start in ${layout.stateDir} (install + seed)`
      : `local replica: starting from ${layout.stateDir}`,
  );
  await Promise.all([
    ensureDatadir(layout).then(() => startMariadb(layout)),
    startRedis(layout),
    shop === 'woocommerce' ? ensureWooDocroot(layout, { log }) : ensureDocroot(layout),
  ]);
  writeSiteFiles(layout, secrets, shop, shopCost);
  if (shop === 'fixture') log(describeShopCost(shopCost));
  if (install) {
    await waitMariadb(layout);
    await installAndSeed(layout, secrets, shop);
    log(`local replica: WordPress installed, catalogue at ${layout.catalogue}`);
  }
  // The app tier can start while MariaDB recovers; HAProxy only once health checks can pass.
  await Promise.all([
    waitMariadb(layout),
    waitRedis(layout),
    ...(managed ? [] : Array.from({ length: layout.instances }, (_, i) => startInstance(layout, i))),
  ]);
  await startHaproxy(layout);
  await Promise.all([waitBalancer(layout, 30_000), startController(layout, autoscaling)]);
  log(`local replica: up at ${layout.baseUrl} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return endpoint;
}

/** A replica started by root (or another user) can only be stopped by them: say so, not EPERM. */
function refuseOthersReplica(layout: Layout): void {
  if (runAs().root) return;
  const me = process.getuid?.();
  const foreign = components(layout).find((c) => c.alive && c.pid !== undefined && ownerOf(c.pid) !== me);
  if (foreign) {
    const owner = ownerOf(foreign.pid!);
    throw new InputError(
      `the local replica in ${layout.stateDir} was started by ${owner === 0 ? 'root' : `uid ${owner}`} (${foreign.name} is pid ${foreign.pid}); ` +
        'run the command as that user',
    );
  }
}

function ownerOf(pid: number): number | undefined {
  try {
    return fs.statSync(`/proc/${pid}`).uid;
  } catch {
    return undefined;
  }
}

/** Every component pid file in the run dir, including instances an autoscaler added. */
function recordedComponents(layout: Layout): string[] {
  if (!fs.existsSync(layout.runDir)) return [];
  return fs
    .readdirSync(layout.runDir)
    .filter((f) => f.endsWith('.pid'))
    .map((f) => f.slice(0, -4));
}

/**
 * Stops exactly the processes `up` started (pid files, checked against /proc), balancer first
 * and database last. Safe to call when nothing runs.
 */
export async function down(opts: LocalReplicaOptions = {}): Promise<void> {
  const layout = recordedLayout(opts);
  const log = opts.log ?? (() => {});
  const names = recordedComponents(layout);
  refuseOthersReplica(layout);
  const stop = async (name: string, timeoutMs = 10_000) => {
    const result = await stopDaemon(pidFile(layout, name), { timeoutMs });
    if (result !== 'not-running') log(`local replica: ${name} ${result}`);
  };
  // The controller first, or it would replace the instances being stopped.
  if (names.includes(CONTROLLER)) await stop(CONTROLLER, 20_000);
  if (names.includes(HAPROXY)) await stop(HAPROXY);
  await Promise.all(names.filter((n) => n.startsWith('nginx-')).map((n) => stop(n)));
  await Promise.all(names.filter((n) => n.startsWith('php-fpm-')).map((n) => stop(n)));
  const rest = names.filter(
    (n) => ![HAPROXY, MARIADB, CONTROLLER].includes(n) && !n.startsWith('nginx-') && !n.startsWith('php-fpm-'),
  );
  await Promise.all(rest.map((n) => stop(n)));
  if (names.includes(MARIADB)) await stop(MARIADB, 60_000); // a clean InnoDB shutdown makes the next start fast
  const removed = await removeAllAppCgroups(cgroupRoots(), layout.stateDir);
  if (removed.length) log(`local replica: removed cgroups ${removed.join(' ')}`);
}

/**
 * Fault injection: SIGKILL every process of one app instance (default: the lowest-numbered live
 * one), as a crashed machine. HAProxy's health check takes it out of rotation; with autoscaling,
 * the controller replaces it. Returns the instance's name.
 */
export async function killInstance(opts: LocalReplicaOptions = {}, index?: number): Promise<string> {
  const layout = recordedLayout(opts);
  const candidates = managedIndexes(layout) ?? Array.from({ length: layout.instances }, (_, i) => i);
  const i = index ?? candidates.find((c) => instanceAlive(layout, c));
  if (i === undefined) throw new Error(`local replica in ${layout.stateDir}: no live app instance to kill; is it up?`);
  const killed = killInstanceProcesses(layout, i);
  if (killed.length === 0)
    throw new Error(`local replica in ${layout.stateDir}: instance app-${i} has no live process; pick another index`);
  return instanceLayout(layout, i).name;
}

function components(layout: Layout): ComponentStatus[] {
  const entry = (name: string, listen: string): ComponentStatus => {
    const pid = runningPid(pidFile(layout, name));
    return { name, pid: pid ?? readPidRecord(pidFile(layout, name))?.pid, alive: pid !== undefined, listen };
  };
  const list = [entry(MARIADB, `unix:${layout.mariadb.socket}`), entry(REDIS, `unix:${layout.redis.socket}`)];
  // Instances beyond the configured count exist when an autoscaler added them.
  const extra = recordedComponents(layout)
    .map((n) => /^nginx-app-(\d+)$/.exec(n))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]));
  const indexes =
    managedIndexes(layout) ??
    [...new Set([...Array.from({ length: layout.instances }, (_, i) => i), ...extra])].sort((a, b) => a - b);
  for (const i of indexes) {
    const il = instanceLayout(layout, i);
    list.push(entry(il.fpmComponent, `unix:${il.fpmSocket}`), entry(il.nginxComponent, `127.0.0.1:${il.port}`));
  }
  list.push(entry(HAPROXY, `127.0.0.1:${layout.port}`), entry(CONTROLLER, 'none (writes telemetry samples)'));
  return list;
}

export async function status(opts: LocalReplicaOptions = {}): Promise<ReplicaStatus> {
  const layout = recordedLayout(opts);
  const list = components(layout);
  const running = list.every((c) => c.alive);
  return { running, components: list, ...(running ? { baseUrl: layout.baseUrl } : {}) };
}
