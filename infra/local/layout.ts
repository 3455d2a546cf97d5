// Where every file, socket and port of the local replica lives. Pure but for the default state
// dir (state-dir.ts looks at the checkout's permissions), so the rest of the code (and the
// autoscaler) can compute paths for any given state dir without touching disk.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chooseStateDir } from './state-dir.ts';
import {
  instanceSizeSchema,
  parseSettings,
  type AutoscalingInput,
  type InstanceSize,
  type InstanceSizeInput,
} from './autoscaler/settings.ts';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const FIXTURE_SRC = path.join(REPO_ROOT, 'infra', 'local', 'wordpress');
export const DEFAULT_PORT = 18080;
export const DEFAULT_INSTANCES = 2;
// Instances listen on port+20+i (18100, 18101, … for the default 18080), so a replica on
// another port (tests) never collides with a developer's.
export const INSTANCE_PORT_OFFSET = 20;
// sun_path is 108 bytes on Linux; leave room for the NUL.
const MAX_SOCKET_PATH = 107;

export interface LocalReplicaOptions {
  stateDir?: string;
  port?: number;
  instances?: number;
  /** CPU share of a core and php-fpm children per app instance (settings.ts has the defaults). */
  size?: InstanceSizeInput;
  /** Run the target-tracking autoscaler (settings.ts); false/absent: fixed capacity. */
  autoscaling?: AutoscalingInput | boolean;
  /** The shop: the cheap fixture (default), or real WooCommerce from its pinned archives (infra/local/woocommerce/). */
  shop?: 'fixture' | 'woocommerce';
  /** What each request costs: 'calibrated' (WooCommerce's measured cost, default) or 'light' (shop-cost.ts). */
  shopCost?: 'calibrated' | 'light';
  log?: (line: string) => void;
}

export interface InstanceLayout {
  index: number;
  name: string; // also the HAProxy server name and the X-Rehearse-Instance header value
  port: number;
  dir: string;
  fpmConf: string;
  fpmSocket: string;
  fpmComponent: string;
  nginxConf: string;
  nginxPid: string;
  nginxTemp: string;
  nginxComponent: string;
}

export interface Layout {
  stateDir: string;
  /** Set when the checkout is out of the service users' reach and the state lives elsewhere (state-dir.ts). */
  movedBecause?: string;
  port: number;
  /** The port was asked for (option or REHEARSE_LOCAL_PORT): never swap it for a free one. */
  portAsked: boolean;
  instances: number;
  size: InstanceSize;
  baseUrl: string;
  runDir: string; // our pid files, one per component
  logDir: string;
  replicaFile: string; // port/instances of the last `up`, so status/down know what to expect
  secretsFile: string;
  catalogue: string;
  sharedUploads: string;
  mariadb: { dir: string; dataDir: string; tmpDir: string; socket: string; pidFile: string };
  redis: { dir: string; conf: string; socket: string };
  wordpress: { dir: string; docroot: string; envFile: string; installedMarker: string };
  haproxy: { dir: string; conf: string; adminSocket: string };
  db: { name: string; user: string };
  /** The controller process: autoscaler and telemetry sampler. */
  controller: { dir: string; config: string; samples: string; events: string; instances: string };
}

export function resolveLayout(opts: LocalReplicaOptions = {}, env: NodeJS.ProcessEnv = process.env): Layout {
  const choice = opts.stateDir === undefined ? chooseStateDir(REPO_ROOT, env) : undefined;
  const stateDir = path.resolve(opts.stateDir ?? choice!.dir);
  const portAsked = opts.port !== undefined || !!env.REHEARSE_LOCAL_PORT;
  const port = opts.port ?? (env.REHEARSE_LOCAL_PORT ? Number(env.REHEARSE_LOCAL_PORT) : DEFAULT_PORT);
  const instances = opts.instances ?? DEFAULT_INSTANCES;
  if (!Number.isInteger(port) || port < 1024 || port > 65535 - INSTANCE_PORT_OFFSET - 64) {
    throw new Error(
      `local replica: port ${port} is not usable; pass a port between 1024 and 65000 (option port or REHEARSE_LOCAL_PORT)`,
    );
  }
  if (!Number.isInteger(instances) || instances < 1 || instances > 64) {
    throw new Error(`local replica: instances=${instances}; pass an integer from 1 to 64`);
  }
  const mariadbDir = path.join(stateDir, 'mariadb');
  const wpDir = path.join(stateDir, 'wordpress');
  const layout: Layout = {
    stateDir,
    ...(choice?.movedBecause ? { movedBecause: choice.movedBecause } : {}),
    port,
    portAsked,
    instances,
    size: parseSettings(instanceSizeSchema, opts.size, 'size'),
    baseUrl: `http://127.0.0.1:${port}`,
    runDir: path.join(stateDir, 'run'),
    logDir: path.join(stateDir, 'logs'),
    replicaFile: path.join(stateDir, 'replica.json'),
    secretsFile: path.join(stateDir, 'secrets.json'),
    catalogue: path.join(stateDir, 'catalogue.json'),
    sharedUploads: path.join(stateDir, 'shared', 'uploads'),
    mariadb: {
      dir: mariadbDir,
      dataDir: path.join(mariadbDir, 'data'),
      tmpDir: path.join(mariadbDir, 'tmp'),
      socket: path.join(mariadbDir, 'mysqld.sock'),
      pidFile: path.join(mariadbDir, 'mariadbd.pid'),
    },
    redis: {
      dir: path.join(stateDir, 'redis'),
      conf: path.join(stateDir, 'redis', 'redis.conf'),
      socket: path.join(stateDir, 'redis', 'redis.sock'),
    },
    wordpress: {
      dir: wpDir,
      docroot: path.join(wpDir, 'docroot'),
      envFile: path.join(wpDir, 'rehearse-env.php'), // outside the docroot: never served
      installedMarker: path.join(wpDir, 'installed.json'),
    },
    haproxy: {
      dir: path.join(stateDir, 'haproxy'),
      conf: path.join(stateDir, 'haproxy', 'haproxy.cfg'),
      adminSocket: path.join(stateDir, 'haproxy', 'admin.sock'),
    },
    db: { name: 'rehearse', user: 'rehearse' },
    controller: {
      dir: path.join(stateDir, 'controller'),
      config: path.join(stateDir, 'controller', 'config.json'),
      samples: path.join(stateDir, 'controller', 'samples.jsonl'),
      events: path.join(stateDir, 'controller', 'events.jsonl'),
      instances: path.join(stateDir, 'controller', 'instances.json'),
    },
  };
  const sockets = [
    layout.mariadb.socket,
    layout.redis.socket,
    layout.haproxy.adminSocket,
    instanceLayout(layout, 63).fpmSocket,
  ];
  const tooLong = sockets.find((s) => Buffer.byteLength(s) > MAX_SOCKET_PATH);
  if (tooLong) {
    throw new Error(
      `local replica: socket path ${tooLong} is longer than ${MAX_SOCKET_PATH} bytes; choose a shorter state dir (REHEARSE_STATE_DIR)`,
    );
  }
  return layout;
}

export function instanceLayout(layout: Layout, index: number): InstanceLayout {
  const name = `app-${index}`;
  const dir = path.join(layout.stateDir, 'instances', name);
  return {
    index,
    name,
    port: layout.port + INSTANCE_PORT_OFFSET + index,
    dir,
    fpmConf: path.join(dir, 'php-fpm.conf'),
    fpmSocket: path.join(dir, 'php-fpm.sock'),
    fpmComponent: `php-fpm-${name}`,
    nginxConf: path.join(dir, 'nginx.conf'),
    nginxPid: path.join(dir, 'nginx.pid'),
    nginxTemp: path.join(dir, 'tmp'),
    nginxComponent: `nginx-${name}`,
  };
}

export function logFile(layout: Layout, component: string): string {
  return path.join(layout.logDir, `${component}.log`);
}

export function pidFile(layout: Layout, component: string): string {
  return path.join(layout.runDir, `${component}.pid`);
}
