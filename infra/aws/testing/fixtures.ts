// Configs the synth tests share: one store with a domain and certificate, one without, and a
// two-region fleet. Synthesize each once per test file (synth is the slow part).
import { Testing } from 'cdktf';
import { parseFleetConfig, type FleetConfigInput } from '../config/fleet-config.ts';
import { parseStackConfig, type StackConfigInput } from '../config/stack-config.ts';
import { RunnerFleetStack } from '../fleet/runner-fleet.ts';
import { WordPressStack } from '../stack/wordpress-stack.ts';
import { tempDir } from '../../../test-support/temp-dir.ts';

export const REHEARSAL_ID = '20261125-bf-test';
export const ACCOUNT_ID = '123456789012';

export const withCertificate: StackConfigInput = {
  rehearsalId: REHEARSAL_ID,
  accountId: ACCOUNT_ID,
  createdAt: '2026-11-25T10:45:12Z',
  region: 'eu-west-1',
  azCount: 3,
  natGateways: 'per-az',
  domain: {
    name: 'shop.example.com',
    certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/12345678-1234-1234-1234-123456789012',
    hostedZoneId: 'Z0123456789ABCDEFGHIJ',
  },
  app: {
    min: 2,
    max: 12,
    desired: 3,
    schedules: [
      { name: 'doorbuster-prewarm', startTime: '2026-11-27T04:30:00Z', min: 8, max: 20, desired: 10 },
      { name: 'evening-peak', recurrence: '0 18 * * *', timeZone: 'Europe/Dublin', min: 4, max: 16, desired: 6 },
    ],
  },
  monitoring: { alertEmail: 'oncall@example.com' },
};

export const withoutCertificate: StackConfigInput = {
  rehearsalId: REHEARSAL_ID,
  accountId: ACCOUNT_ID,
  region: 'us-east-1',
  app: { image: { kind: 'ami', amiId: 'ami-0123456789abcdef0' }, instanceType: 'c7i.large' },
};

export const fleet: FleetConfigInput = {
  rehearsalId: REHEARSAL_ID,
  accountId: ACCOUNT_ID,
  createdAt: '2026-11-25T10:45:12Z',
  regions: ['eu-west-1', 'us-east-1'],
  runnersPerRegion: 3,
};

// Testing.app() alone makes a cdktf.outdir.* temp dir and never removes it: give it one of ours.
const testApp = () => Testing.app({ outdir: tempDir('cdktf.outdir.') });

/** Testing.synth output (a JSON string) of the WordPress stack for a config. */
export function synthStore(input: StackConfigInput): string {
  return Testing.synth(new WordPressStack(testApp(), 'store', parseStackConfig(input)));
}

export function synthFleet(input: FleetConfigInput, region: string): string {
  return Testing.synth(new RunnerFleetStack(testApp(), 'fleet', parseFleetConfig(input), region));
}

export type Resources = Record<string, Record<string, Record<string, any>>>;

export interface Synth {
  resource: Resources;
  data: Resources;
  provider: Record<string, Array<Record<string, any>>>;
  locals?: Record<string, string>;
  output?: Record<string, { value: unknown }>;
}

/** All resources of a type, as [name, body] pairs. */
export function resourcesOf(synth: Synth, type: string): Array<[string, Record<string, any>]> {
  return Object.entries(synth.resource[type] ?? {});
}

/** "${aws_x.name.attr}" reference to a resource, as it appears in the JSON. */
export function ref(type: string, name: string, attr = 'id'): string {
  return `\${${type}.${name}.${attr}}`;
}

/** Every string anywhere in a JSON value, with the key path it sits under. */
export function* strings(value: unknown, path: string[] = []): Generator<[string[], string]> {
  if (typeof value === 'string') yield [path, value];
  else if (Array.isArray(value)) for (const [i, v] of value.entries()) yield* strings(v, [...path, String(i)]);
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) yield* strings(v, [...path, k]);
}

/** Every key anywhere in a JSON value. */
export function* keys(value: unknown): Generator<string> {
  if (Array.isArray(value)) for (const v of value) yield* keys(v);
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) {
      yield k;
      yield* keys(v);
    }
}

export type StoreKind = 'cert' | 'plain';

/** Both store configs synthesized: raw JSON strings (for Testing matchers), parsed, and as [kind, synth] pairs. */
export function synthBothStores(): {
  raw: Record<StoreKind, string>;
  synth: Record<StoreKind, Synth>;
  both: Array<[StoreKind, Synth]>;
} {
  const raw = { cert: synthStore(withCertificate), plain: synthStore(withoutCertificate) };
  const synth = { cert: JSON.parse(raw.cert) as Synth, plain: JSON.parse(raw.plain) as Synth };
  return { raw, synth, both: Object.entries(synth) as Array<[StoreKind, Synth]> };
}

/** The one item of a list, failing with what was expected when there are none or several. */
export function only<T>(items: T[], what: string): T {
  if (items.length !== 1) throw new Error(`expected exactly one ${what}, found ${items.length}`);
  return items[0]!;
}

/** Name of the SG a reference like "${aws_security_group.sg_db_X.id}" points at. */
export function sgName(reference: string): string {
  const m = /^\$\{aws_security_group\.([^.]+)\.id\}$/.exec(reference);
  if (!m) throw new Error(`not a security group reference: ${reference}`);
  return m[1]!;
}

/** The app role's inline policy statements. */
export function appPolicy(s: Synth): Array<{ Sid?: string; Action: string | string[]; Resource: string | string[] }> {
  const [, policy] = only(
    resourcesOf(s, 'aws_iam_role_policy').filter(([n]) => n.startsWith('app_')),
    'app role policy',
  );
  return JSON.parse(policy.policy).Statement;
}
