// One interface for every place a rehearsal can run against; everything downstream of a target
// is the same code (docs/architecture.md, "Both targets implement one interface").
import { InputError } from '../errors/errors.ts';
import { scalingSettings, type ScalingPreset } from './local/scaling-presets.ts';

export type { Endpoint, Target, TargetKind, TargetStatus } from './target-types.ts';
import type { Target, TargetKind } from './target-types.ts';

export interface TargetOptions {
  kind: TargetKind;
  /** For kind "url": the store's base URL. */
  url?: string;
  /** For kind "url": a catalogue manifest describing the store's categories and products. */
  catalogue?: string;
  instances?: number;
  /** For kind "local": the shop — the cheap fixture or real WooCommerce (infra/local/woocommerce/). */
  shop?: 'fixture' | 'woocommerce';
  /** For kind "local": the autoscaler preset and limits (infra/local/scaling-presets.ts). */
  scaling?: ScalingPreset;
  maxInstances?: number;
  cpuTarget?: number;
  /** For kind "local": 'calibrated' (WooCommerce's measured cost per request, default) or 'light'. */
  shopCost?: 'calibrated' | 'light';
  /** For kind "aws": the { store, fleet } config file (infra/aws/README.md). */
  awsConfig?: string;
  log?: (line: string) => void;
  signal?: AbortSignal;
}

export async function resolveTarget(opts: TargetOptions): Promise<Target> {
  switch (opts.kind) {
    case 'local': {
      const replica = await import('./local/replica.ts');
      const autoscaling = scalingSettings(opts.scaling ?? 'off', { max: opts.maxInstances, cpuTarget: opts.cpuTarget });
      const o = {
        instances: opts.instances,
        autoscaling: autoscaling || undefined,
        shop: opts.shop,
        shopCost: opts.shopCost,
        log: opts.log,
      };
      return {
        kind: 'local',
        up: () => replica.up(o),
        down: () => replica.down(o),
        status: async () => ({ kind: 'local', ...(await replica.status(o)) }),
        telemetry: (from, to) => replica.telemetry(from, to, o),
      };
    }
    case 'url': {
      if (!opts.url) throw new InputError('--target url needs --url http://HOST:PORT (the store to rehearse against)');
      if (!opts.catalogue) {
        throw new InputError(
          "--target url needs --catalogue FILE: a catalogue manifest of the store's categories and products " +
            '(format: scenarios/plan/catalogue-schema.ts)',
        );
      }
      const endpoint = { baseUrl: opts.url.replace(/\/+$/, ''), cataloguePath: opts.catalogue };
      return {
        kind: 'url',
        up: async () => endpoint,
        down: async () => {},
        status: async () => ({ kind: 'url', running: true, baseUrl: endpoint.baseUrl, components: [] }),
      };
    }
    case 'aws': {
      if (!opts.awsConfig)
        throw new InputError('--target aws needs --aws-config FILE: the stack and fleet config (infra/aws/README.md)');
      const { awsTarget } = await import('./aws/aws-target.ts');
      return awsTarget({
        configPath: opts.awsConfig,
        catalogue: opts.catalogue,
        log: opts.log ?? (() => {}),
        signal: opts.signal,
      });
    }
    default:
      throw new InputError(`unknown target "${String(opts.kind)}": use local, url or aws`);
  }
}
