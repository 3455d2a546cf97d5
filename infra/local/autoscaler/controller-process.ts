// The controller as a process of the replica: started detached by up() (pid file like every
// component), stopped first by down(); its instances.json says which app instances it manages.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runningPid, spawnDaemon } from '../daemon.ts';
import { logFile, pidFile, type Layout } from '../layout.ts';
import { waitFor } from '../readiness.ts';
import type { ControllerConfig } from './controller.ts';
import type { AutoscalingSettings } from './settings.ts';

/** The controller process: telemetry sampler always, autoscaler when enabled. */
export const CONTROLLER = 'controller';
const CONTROLLER_MAIN = path.join(path.dirname(fileURLToPath(import.meta.url)), 'controller-main.ts');

export function controllerAlive(layout: Layout): boolean {
  return runningPid(pidFile(layout, CONTROLLER)) !== undefined;
}

/** Starts the controller (sampler, and autoscaler when enabled) and waits for its first state file. */
export async function startController(layout: Layout, autoscaling: AutoscalingSettings | null): Promise<void> {
  if (controllerAlive(layout)) return;
  fs.mkdirSync(layout.controller.dir, { recursive: true });
  const config: ControllerConfig = {
    v: 1,
    stateDir: layout.stateDir,
    port: layout.port,
    instances: layout.instances,
    size: layout.size,
    autoscaling,
    group: 'rehearse-local',
  };
  fs.writeFileSync(layout.controller.config, JSON.stringify(config, null, 2) + '\n');
  fs.rmSync(layout.controller.instances, { force: true });
  await spawnDaemon({
    component: CONTROLLER,
    command: process.execPath,
    // An absolute loader URL: the daemon's cwd is the log dir, where a bare "tsx" would not resolve.
    args: ['--import', import.meta.resolve('tsx'), CONTROLLER_MAIN, layout.controller.config],
    logFile: logFile(layout, CONTROLLER),
    pidFile: pidFile(layout, CONTROLLER),
    marker: layout.controller.config,
    debianPackage: 'nodejs',
  });
  await waitFor({
    component: CONTROLLER,
    what: `its instance list ${layout.controller.instances}`,
    logFile: logFile(layout, CONTROLLER),
    timeoutMs: 15_000,
    check: async () => fs.existsSync(layout.controller.instances),
    stillRunning: () => controllerAlive(layout),
  });
}

/** Instance indexes the controller currently manages (its instances.json), when it runs. */
export function managedIndexes(layout: Layout): number[] | undefined {
  if (!controllerAlive(layout)) return undefined;
  try {
    return (JSON.parse(fs.readFileSync(layout.controller.instances, 'utf8')) as { indexes: number[] }).indexes;
  } catch {
    return undefined;
  }
}
