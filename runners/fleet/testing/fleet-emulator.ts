// For the fleet's integration test: plays the part of the EC2 machines behind the runner groups.
// It watches each group's desired capacity in moto's Auto Scaling and, as a group scales up,
// "boots" a machine per runner by starting a real agent process (cli/agent-main.ts)
// on the rehearsal's store, exactly as the user data starts it; as the group scales down it
// "shuts the machine down" (SIGTERM to the agent's group, as systemd does, after a delay).
// AWS itself is moto throughout: nothing here answers an AWS API.
import { spawn } from 'node:child_process';
import { openSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import type { FleetGroup } from '../fleet-capacity.ts';
import type { AutoScalingFor } from '../fleet-groups.ts';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const AGENT_MAIN = fileURLToPath(new URL('../../../cli/agent-main.ts', import.meta.url));

export interface EmulatorOptions {
  autoScaling: AutoScalingFor;
  groups: FleetGroup[];
  /** The agents' --store: the rehearsal's store, as the user data gives it. */
  storeUrl: string;
  /** The agents' environment on top of this process's (moto's endpoint, dummy credentials). */
  env: NodeJS.ProcessEnv;
  logDir: string;
  /** Boot time of the n-th machine launched (from 0), default 0: one that boots late or never. */
  bootDelayMs?: (n: number) => number;
  /** From a scale-down to the agent's SIGTERM (the OS shutting down). */
  shutdownMs?: number;
  onBoot?: (m: Machine) => void;
}

export interface Machine {
  n: number;
  region: string;
  runner: string;
  pid?: number;
  /** Resolves with the agent's exit code (null if killed by a signal) once it has exited. */
  exited: Promise<number | null>;
  terminated: boolean;
}

export interface FleetEmulator {
  /** Desired capacity per region, each change with when it was seen. */
  history: Map<string, Array<{ desired: number; at: number }>>;
  machines: Machine[];
  stop(): Promise<void>;
}

export function startFleetEmulator(o: EmulatorOptions): FleetEmulator {
  const history = new Map<string, Array<{ desired: number; at: number }>>(o.groups.map((g) => [g.region, []]));
  const machines: Machine[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const later = (ms: number, fn: () => void) => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };
  const signal = (m: Machine, sig: NodeJS.Signals) => {
    try {
      if (m.pid) process.kill(-m.pid, sig);
    } catch {
      // already gone
    }
  };

  const boot = (region: string) => {
    const n = machines.length;
    let done: (code: number | null) => void = () => {};
    const m: Machine = {
      n,
      region,
      runner: `${region}-${n}`,
      exited: new Promise((r) => (done = r)),
      terminated: false,
    };
    machines.push(m);
    later(o.bootDelayMs?.(n) ?? 0, () => {
      if (m.terminated) return done(null);
      const log = openSync(join(o.logDir, `${m.runner}.log`), 'w');
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', AGENT_MAIN, '--store', o.storeUrl, '--runner-name', m.runner, '--wait-for-run', '30'],
        {
          cwd: REPO,
          detached: true,
          stdio: ['ignore', log, log],
          env: { ...process.env, ...o.env },
        },
      );
      m.pid = child.pid;
      child.on('exit', (code) => done(code));
      o.onBoot?.(m);
    });
  };

  const terminate = (m: Machine) => {
    m.terminated = true;
    later(o.shutdownMs ?? 0, () => signal(m, 'SIGTERM'));
    later((o.shutdownMs ?? 0) + 20_000, () => signal(m, 'SIGKILL'));
  };

  let polling = true;
  const loop = (async () => {
    while (polling) {
      for (const g of o.groups) {
        const r = await o
          .autoScaling(g.region)
          .send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [g.asgName] }))
          .catch(() => null);
        if (r === null) continue; // moto busy: look again next time
        const desired = r.AutoScalingGroups?.[0]?.DesiredCapacity ?? 0;
        const seen = history.get(g.region)!;
        if (seen.at(-1)?.desired !== desired) seen.push({ desired, at: Date.now() });
        const up = machines.filter((m) => m.region === g.region && !m.terminated);
        for (let i = up.length; i < desired; i++) boot(g.region);
        for (const m of up.slice(desired).reverse()) terminate(m);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  })();

  return {
    history,
    machines,
    async stop() {
      polling = false;
      await loop.catch(() => {});
      for (const t of timers) clearTimeout(t);
      for (const m of machines) signal(m, 'SIGKILL');
      await Promise.all(machines.map((m) => (m.pid ? m.exited : Promise.resolve(null))));
    },
  };
}
