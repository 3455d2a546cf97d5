// The replica's Auto Scaling group: every second it samples telemetry and checks health; every
// period it hands the period's metrics to the pure decision core (decide() in target-tracking.ts)
// and launches or terminates instances, with HAProxy registration, boot time and connection
// draining (deregistration delay). Without autoscaling it only samples. Decisions go to
// events.jsonl as activities.
import crypto from 'node:crypto';
import fs from 'node:fs';
import { haproxyCommand, parseServerStats } from '../haproxy.ts';
import { startInstance, stopInstance } from '../instance.ts';
import { instanceLayout, resolveLayout, type Layout } from '../layout.ts';
import { deregister, drain, register } from './balancer.ts';
import { metricByInstance } from './metric.ts';
import { appendLine, type Sample } from './records.ts';
import { takeSample } from './sampler.ts';
import { trackingPolicies, type AutoscalingSettings, type InstanceSize } from './settings.ts';
import {
  decide,
  groupOf,
  initialState,
  type Action,
  type Group,
  type PeriodMetrics,
  type TerminateReason,
  type TrackedInstance,
  type TrackerState,
} from './target-tracking.ts';
import type { Activity } from '../../telemetry/telemetry-schema.ts';

export interface ControllerConfig {
  v: 1;
  stateDir: string;
  port: number;
  instances: number;
  size: InstanceSize;
  autoscaling: AutoscalingSettings | null;
  group: string;
}

interface Managed extends TrackedInstance {
  index: number;
  name: string;
  terminatedAt?: number;
  /** Started by up(), not by a launch: in service once the balancer reports it UP. */
  adopted?: boolean;
}

const nowS = () => Date.now() / 1000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const MAX_INDEX = 63; // layout.ts checks socket paths up to app-63

export function instanceType(size: InstanceSize): string {
  return `local.${size.cpu}cpu.${size.fpmChildren}fpm`;
}

export class Controller {
  readonly layout: Layout;
  private readonly instances: Managed[] = [];
  private tracker: TrackerState;
  private periodStart?: Sample;
  private readonly group?: Group;
  private seq = 0;
  private readonly inflight = new Set<Promise<void>>();
  private lastIndexes = '';

  constructor(
    private readonly config: ControllerConfig,
    private readonly log: (line: string) => void = (l) => console.log(`${new Date().toISOString()} ${l}`),
  ) {
    this.layout = resolveLayout({
      stateDir: config.stateDir,
      port: config.port,
      instances: config.instances,
      size: config.size,
    });
    this.tracker = initialState(config.autoscaling?.desired ?? config.instances);
    if (config.autoscaling) this.group = groupOf(config.autoscaling, config.group);
    const protect = config.autoscaling?.newInstancesProtectedFromScaleIn === true;
    fs.mkdirSync(this.layout.controller.dir, { recursive: true });
    // The instances up() started: pending until the balancer first reports them UP.
    const t = nowS();
    for (let i = 0; i < config.instances; i++) {
      const inst: Managed = {
        id: this.nextId(i),
        index: i,
        name: instanceLayout(this.layout, i).name,
        state: 'pending',
        launchedAt: t,
        healthy: true,
        adopted: true,
        protectedFromScaleIn: protect,
      };
      this.instances.push(inst);
      this.emitInstance(inst);
    }
    this.writeIndexes();
  }

  private nextId(index: number): string {
    return `app-${index}#${this.seq++}`;
  }

  private emitInstance(i: Managed): void {
    const rounded = (x: number | undefined) => (x === undefined ? undefined : Math.round(x * 1000) / 1000);
    appendLine(this.layout.controller.events, {
      v: 1,
      kind: 'instance',
      instance: {
        id: i.id,
        type: instanceType(this.config.size),
        launchedAt: rounded(i.launchedAt)!,
        ...(i.inServiceAt !== undefined ? { inServiceAt: rounded(i.inServiceAt) } : {}),
        ...(i.terminatedAt !== undefined ? { terminatedAt: rounded(i.terminatedAt) } : {}),
      },
    });
  }

  private emitActivity(a: Activity): void {
    appendLine(this.layout.controller.events, { v: 1, kind: 'activity', activity: a });
  }

  private writeIndexes(): void {
    const indexes = this.instances
      .filter((i) => i.state !== 'terminated')
      .map((i) => i.index)
      .sort((a, b) => a - b);
    const text = JSON.stringify({ v: 1, indexes });
    if (text === this.lastIndexes) return;
    fs.writeFileSync(`${this.layout.controller.instances}.tmp`, text + '\n');
    fs.renameSync(`${this.layout.controller.instances}.tmp`, this.layout.controller.instances);
    this.lastIndexes = text;
  }

  private track(work: Promise<void>): void {
    const p = work.catch((e) => this.log(`error: ${(e as Error).message}`)).finally(() => this.inflight.delete(p));
    this.inflight.add(p);
  }

  /** One second of the controller's life. */
  async tick(): Promise<void> {
    const now = nowS();
    const csv = await haproxyCommand(this.layout, 'show stat').catch(() => undefined);
    const stats = csv ? parseServerStats(csv) : [];
    for (const i of this.instances) {
      const st = stats.find((s) => s.name === i.name);
      if (i.state === 'pending' && i.adopted && st?.status === 'UP') {
        i.state = 'inService';
        i.inServiceAt = now;
        this.emitInstance(i);
      } else if (i.state === 'inService' && csv) {
        // Down by its health check (or gone from the balancer, e.g. after a balancer restart).
        i.healthy = st !== undefined && !st.status.startsWith('DOWN');
      }
    }
    const live = this.instances.filter((i) => i.state !== 'terminated');
    const sample = await takeSample(
      this.layout,
      now,
      {
        desired: this.config.autoscaling ? this.tracker.desired : live.length,
        pending: live.filter((i) => i.state === 'pending').length,
        inService: live.filter((i) => i.state === 'inService').length,
      },
      live.map((i) => ({ id: i.id, index: i.index, name: i.name, state: i.state })),
      csv,
    );
    appendLine(this.layout.controller.samples, sample);
    const s = this.config.autoscaling;
    if (s) this.scale(s, now, sample);
    this.writeIndexes();
  }

  private scale(s: AutoscalingSettings, now: number, sample: Sample): void {
    let metrics: PeriodMetrics | undefined;
    if (!this.periodStart) this.periodStart = sample;
    else if (now - this.periodStart.t >= s.periodS - 0.05) {
      metrics = {};
      for (const p of trackingPolicies(s)) metrics[p.metric] = metricByInstance(p.metric, this.periodStart, sample);
      this.periodStart = sample;
    }
    const d = decide(this.group!, this.tracker, now, this.instances, metrics);
    if (d.period) {
      const alarms = d.period.policies.map((r) => {
        const st = d.state.streaks[r.policy]!;
        const value = r.metric?.toFixed(1) ?? 'insufficient data';
        return `${r.policy}=${value} over [${r.counted.join(' ')}] high=${st.high} low=${st.low}`;
      });
      this.log(
        `period: ${alarms.join('; ')} desired=${d.state.desired}` +
          (d.period.held ? ` (scale-in held: ${d.period.held})` : ''),
      );
    }
    this.tracker = d.state;
    for (const a of d.actions) this.apply(a, s);
  }

  private apply(a: Action, s: AutoscalingSettings): void {
    if (a.type === 'launch') {
      for (let k = 0; k < a.count; k++) this.launch(a.cause, s, a.replacement);
      return;
    }
    for (const id of a.ids) {
      const inst = this.instances.find((i) => i.id === id);
      if (!inst || inst.state !== 'inService') continue; // a booting instance finishes its launch first
      this.terminate(inst, a.cause, a.reason, s);
    }
  }

  private newActivity(description: string, cause: string, delta: number): Activity {
    const a: Activity = {
      id: crypto.randomUUID(),
      start: Math.round(nowS() * 1000) / 1000,
      cause,
      status: 'InProgress',
      description,
      delta,
    };
    this.emitActivity(a);
    this.log(`activity ${a.id}: ${description} — ${cause}`);
    return a;
  }

  private finish(a: Activity, status: Activity['status'], note?: string): void {
    a.status = status;
    a.end = Math.round(nowS() * 1000) / 1000;
    if (note) a.description += ` (${note})`;
    this.emitActivity(a);
    this.log(`activity ${a.id}: ${status}${note ? ` (${note})` : ''}`);
  }

  private launch(cause: string, s: AutoscalingSettings, replacement: boolean): void {
    const used = new Set(this.instances.filter((i) => i.state !== 'terminated').map((i) => i.index));
    let index = 0;
    while (used.has(index)) index++;
    if (index > MAX_INDEX) {
      this.log(`cannot launch: all ${MAX_INDEX + 1} instance slots are in use`);
      return;
    }
    const il = instanceLayout(this.layout, index);
    const inst: Managed = {
      id: this.nextId(index),
      index,
      name: il.name,
      state: 'pending',
      launchedAt: nowS(),
      healthy: true,
      replacement,
      protectedFromScaleIn: s.newInstancesProtectedFromScaleIn,
    };
    this.instances.push(inst);
    this.emitInstance(inst);
    const act = this.newActivity(`Launching a new EC2 instance: ${inst.id}`, cause, 1);
    this.track(
      (async () => {
        try {
          await startInstance(this.layout, index);
          // Boot time: the balancer only learns of the instance once it has "booted".
          const wait = inst.launchedAt + s.bootS - nowS();
          if (wait > 0) await sleep(wait * 1000);
          await register(this.layout, il);
          inst.state = 'inService';
          inst.inServiceAt = nowS();
          this.emitInstance(inst);
          this.finish(act, 'Successful');
        } catch (e) {
          this.finish(act, 'Failed', (e as Error).message.split('\n')[0]);
          await deregister(this.layout, il.name).catch(() => {});
          await stopInstance(this.layout, index).catch(() => {});
          inst.state = 'terminated';
          inst.terminatedAt = nowS();
          this.emitInstance(inst);
        }
      })(),
    );
  }

  /** Terminating: out of the balancer's rotation, drained (deregistration delay), stopped, deleted. */
  private terminate(inst: Managed, cause: string, reason: TerminateReason, s: AutoscalingSettings): void {
    inst.state = 'draining';
    inst.terminating = reason;
    const act = this.newActivity(`Terminating EC2 instance: ${inst.id}`, cause, -1);
    this.track(
      (async () => {
        let note: string | undefined;
        try {
          // Unhealthy ones too: AWS waits for in-flight requests (or the delay) before terminating them.
          // A server the balancer lost (restarted HAProxy) has nothing to drain.
          const d = await drain(this.layout, inst.name, s.drainTimeoutS * 1000).catch(() => undefined);
          if (!d) note = 'not in the balancer';
          else
            note = d.drained
              ? `drained in ${(d.waitedMs / 1000).toFixed(1)} s`
              : `drain timed out after ${s.drainTimeoutS} s`;
          await stopInstance(this.layout, inst.index);
          await deregister(this.layout, inst.name);
          this.finish(act, 'Successful', note);
        } catch (e) {
          await stopInstance(this.layout, inst.index).catch(() => {});
          await deregister(this.layout, inst.name).catch(() => {});
          this.finish(act, 'Failed', (e as Error).message.split('\n')[0]);
        }
        inst.state = 'terminated';
        inst.terminatedAt = nowS();
        this.emitInstance(inst);
      })(),
    );
  }

  /** Runs until the signal aborts, then waits (bounded) for launches and terminations in flight. */
  async run(signal: AbortSignal): Promise<void> {
    this.log(
      `controller up: ${this.config.autoscaling ? `autoscaling ${JSON.stringify(this.config.autoscaling)}` : 'fixed capacity (sampling only)'}`,
    );
    while (!signal.aborted) {
      const t0 = Date.now();
      await this.tick().catch((e) => this.log(`tick failed: ${(e as Error).message}`));
      await sleep(Math.max(50, 1000 - (Date.now() - t0)));
    }
    await Promise.race([Promise.allSettled([...this.inflight]), sleep(15_000)]);
    this.log('controller stopped');
  }
}
