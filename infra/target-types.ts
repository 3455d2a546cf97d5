// What every target is (docs/architecture.md: "Both targets implement one interface"), in a module of its own so
// the targets (local/replica.ts, aws/aws-target.ts) and the resolver (target.ts) share it without a cycle.
import type { Telemetry } from './telemetry/telemetry-schema.ts';

export type TargetKind = 'local' | 'url' | 'aws';

export interface Endpoint {
  baseUrl: string;
  /** Catalogue manifest (categories, products) the journeys browse; see scenarios/plan/catalogue-schema.ts. */
  cataloguePath: string;
}

export interface TargetStatus {
  kind: TargetKind;
  running: boolean;
  baseUrl?: string;
  components: Array<{ name: string; pid?: number; alive: boolean; listen?: string }>;
}

export interface Target {
  kind: TargetKind;
  up(): Promise<Endpoint>;
  down(): Promise<void>;
  status(): Promise<TargetStatus>;
  /** What the target reports about itself for a window (unix seconds); absent for a bare URL. */
  telemetry?(from: number, to: number): Promise<Telemetry>;
}
