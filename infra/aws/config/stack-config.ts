// The WordPress stack's config: typed, validated by zod, with defaults that make a small but
// faithful production shape. Everything the stack builds is a pure function of this object.
import { z } from 'zod';
import {
  accountIdSchema,
  lifetimeHoursSchema,
  createdAtSchema,
  parseConfig,
  regionSchema,
  rehearsalIdSchema,
} from './common.ts';

const count = z.number().int().nonnegative();

/** "us-east-1"-style ARN of an ACM certificate in the stack's region. */
const certificateArn = z.string().regex(/^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]{36}$/, {
  message:
    'certificateArn must be an ACM certificate ARN (arn:aws:acm:REGION:ACCOUNT:certificate/UUID) in the stack region',
});

const hostname = z.string().regex(/^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, {
  message: 'domain.name must be a lowercase DNS name such as "shop.example.com"',
});

/** A scheduled action: pre-scale before a doorbuster (predictive scaling cannot foresee one). */
const scheduleSchema = z
  .strictObject({
    name: z.string().regex(/^[A-Za-z0-9._-]{1,255}$/, { message: 'schedule name: letters, digits, ".", "_" or "-"' }),
    /** Unix cron in the schedule's time zone, e.g. "45 23 * * 4" (recurring). */
    recurrence: z
      .string()
      .regex(/^\S+ \S+ \S+ \S+ \S+$/, { message: 'recurrence must be a 5-field cron expression' })
      .optional(),
    /** ISO 8601 UTC, e.g. "2026-11-27T04:45:00Z" (one-off, or the first run of a recurrence). */
    startTime: z.iso.datetime().optional(),
    endTime: z.iso.datetime().optional(),
    timeZone: z.string().optional(),
    min: count,
    max: count,
    desired: count,
  })
  .refine((s) => s.recurrence || s.startTime, { message: 'a schedule needs recurrence (cron) or startTime' })
  .refine((s) => s.min <= s.desired && s.desired <= s.max, { message: 'a schedule needs min <= desired <= max' });

const imageSchema = z.discriminatedUnion('kind', [
  /** A stock Amazon Linux 2023 image; user data installs nginx, php-fpm, WordPress at boot. */
  z.strictObject({ kind: z.literal('bootstrap'), ssmParameter: z.string().startsWith('/').optional() }),
  /** An image baked with `installScript()` (same layout): boot only configures and mounts. */
  z.strictObject({
    kind: z.literal('ami'),
    amiId: z.string().regex(/^ami-[0-9a-f]{8,17}$/, { message: 'amiId must look like ami-0123456789abcdef0' }),
  }),
]);

const appSchema = z
  .strictObject({
    instanceType: z
      .string()
      .regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/)
      .default('c7g.large'),
    min: count.default(2),
    max: count.default(10),
    desired: count.default(2),
    /** Seconds before a new instance's metrics count for scaling (AWS strongly recommends setting it). */
    warmupSeconds: z.number().int().min(0).max(3600).default(180),
    cpuTargetPercent: z.number().min(10).max(95).default(50),
    /** ALBRequestCountPerTarget target: requests per instance per minute. */
    requestsPerTargetPerMinute: z.number().int().positive().default(3000),
    rootVolumeGiB: z.number().int().min(8).max(500).default(20),
    image: imageSchema.default({ kind: 'bootstrap' }),
    software: z
      .strictObject({
        php: z
          .string()
          .regex(/^8\.\d$/)
          .default('8.3'),
        wordpress: z
          .string()
          .regex(/^\d+\.\d+(?:\.\d+)?$/)
          .default('6.8.3'),
        woocommerce: z
          .string()
          .regex(/^\d+\.\d+\.\d+$/)
          .default('10.2.2'),
        wpCli: z
          .string()
          .regex(/^\d+\.\d+\.\d+$/)
          .default('2.12.0'),
        redisCache: z
          .string()
          .regex(/^\d+\.\d+\.\d+$/)
          .default('2.5.4'),
      })
      .prefault({}),
    schedules: z.array(scheduleSchema).default([]),
  })
  .refine((a) => a.min <= a.desired && a.desired <= a.max, { message: 'app needs min <= desired <= max' })
  .refine((a) => a.max >= 1, { message: 'app.max must be at least 1' });

export const stackConfigSchema = z
  .strictObject({
    rehearsalId: rehearsalIdSchema,
    accountId: accountIdSchema,
    createdAt: createdAtSchema.optional(),
    /** With createdAt: tagged rehearse:expires-at, before which the reaper treats the rehearsal as live. */
    lifetimeHours: lifetimeHoursSchema,
    region: regionSchema,
    /** At least 2: the ALB needs two AZs and the Aurora reader sits in another AZ than the writer. */
    azCount: z.number().int().min(2).max(6).default(2),
    vpcCidr: z
      .string()
      .regex(/^(?:\d{1,3}\.){3}\d{1,3}\/(?:1[6-9]|20)$/, {
        message: 'vpcCidr must be an IPv4 /16 to /20, e.g. "10.80.0.0/16"',
      })
      .default('10.80.0.0/16'),
    /** One NAT gateway is enough for a rehearsal's egress (package installs, AWS APIs); per-az survives an AZ loss. */
    natGateways: z.enum(['single', 'per-az']).default('single'),
    /** With a domain and certificate the ALB serves HTTPS and redirects HTTP; without, HTTP only. */
    domain: z
      .strictObject({
        name: hostname,
        certificateArn,
        /** When given, an alias record for the name is created in this Route 53 zone. */
        hostedZoneId: z
          .string()
          .regex(/^Z[A-Z0-9]{1,31}$/)
          .optional(),
      })
      .optional(),
    app: appSchema.prefault({}),
    database: z
      .strictObject({
        instanceClass: z.string().startsWith('db.').default('db.r7g.large'),
        engineVersion: z.string().default('8.0.mysql_aurora.3.08.2'),
        backupRetentionDays: z.number().int().min(1).max(35).default(7),
        /** Aurora backtrack: rewind the cluster in place after a bad change (0 turns it off). */
        backtrackHours: z.number().int().min(0).max(72).default(24),
        databaseName: z
          .string()
          .regex(/^[a-z][a-z0-9_]{0,63}$/)
          .default('wordpress'),
        masterUsername: z
          .string()
          .regex(/^[a-z][a-z0-9_]{0,15}$/)
          .default('wp_admin'),
        /** WordPress's own user (only its schema's grants); the master user stays with RDS and the one-shot bootstrap. */
        appUsername: z
          .string()
          .regex(/^[a-z][a-z0-9_]{0,15}$/)
          .default('wp_app'),
        /** Bump to give the app user a new password on the next `stack up`. */
        appPasswordVersion: z.number().int().min(1).default(1),
      })
      .refine((d) => d.appUsername !== d.masterUsername, {
        message: 'database.appUsername must differ from masterUsername: WordPress never logs in as the master user',
      })
      .prefault({}),
    cache: z
      .strictObject({
        nodeType: z.string().startsWith('cache.').default('cache.t4g.medium'),
        /** Redis OSS 7.0 or later: WordPress authenticates with IAM (stack/cache.ts), which needs it. */
        engineVersion: z
          .string()
          .regex(/^(?:[7-9]|\d{2,})\.\d+$/, {
            message:
              'cache.engineVersion must be Redis OSS 7.0 or later, as "major.minor" (e.g. "7.1"): the app authenticates to Redis with IAM, which older versions lack',
          })
          .default('7.1'),
        /** Primary plus replicas; at least 2 for multi-AZ automatic failover. */
        nodes: z.number().int().min(2).max(6).default(2),
      })
      .prefault({}),
    backups: z
      .strictObject({
        /**
         * false (default): the rehearsal is ephemeral, and destroying it deletes its backups too.
         * true: a final Aurora snapshot is taken and the backup vault and bucket outlive the stack.
         */
        keep: z.boolean().default(false),
        /** AWS Backup schedule (AWS cron, UTC). */
        schedule: z.string().startsWith('cron(').default('cron(0 3 * * ? *)'),
        retentionDays: z.number().int().min(1).default(35),
        /** S3 file-level copies: to Standard-IA, then Glacier Instant Retrieval, then expire. */
        toInfrequentAccessDays: z.number().int().min(30).default(30),
        toGlacierDays: z.number().int().min(60).default(90),
        expireDays: z.number().int().min(91).default(365),
      })
      .prefault({}),
    monitoring: z
      .strictObject({
        alertEmail: z.email().optional(),
        http5xxPerMinute: z.number().nonnegative().default(10),
        targetResponseTimeP95Seconds: z.number().positive().default(2),
        cpuPercent: z.number().min(1).max(100).default(80),
        dbConnections: z.number().int().positive().default(800),
        cacheEvictionsPerMinute: z.number().nonnegative().default(0),
      })
      .prefault({}),
  })
  .refine(
    (c) => c.backups.toInfrequentAccessDays < c.backups.toGlacierDays && c.backups.toGlacierDays < c.backups.expireDays,
    {
      message: 'backups needs toInfrequentAccessDays < toGlacierDays < expireDays',
      path: ['backups'],
    },
  );

export type StackConfigInput = z.input<typeof stackConfigSchema>;
export type StackConfig = z.output<typeof stackConfigSchema>;
export type ScheduleConfig = z.output<typeof scheduleSchema>;

/** Validates a raw config (e.g. parsed JSON); throws ConfigError naming each bad field. */
export function parseStackConfig(input: unknown, at?: string): StackConfig {
  return parseConfig(stackConfigSchema, input, 'WordPress stack', at);
}

/** Graviton families (c7g, m7g, t4g, c7gn, a1…) run arm64; everything else x86_64. */
export function architectureOf(instanceType: string): 'arm64' | 'x86_64' {
  const family = instanceType.split('.')[0] ?? '';
  return /^a1$|\dg[a-z]*$/.test(family) ? 'arm64' : 'x86_64';
}

/** Public SSM parameter with the latest Amazon Linux 2023 image for the architecture. */
export function al2023Parameter(arch: 'arm64' | 'x86_64'): string {
  return `/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-${arch}`;
}

/** Splits the VPC CIDR into /(prefix+4) blocks: public subnets first, private ones from index 8. */
export function subnetCidrs(vpcCidr: string, azCount: number): { publicCidrs: string[]; privateCidrs: string[] } {
  const [base, prefixText] = vpcCidr.split('/');
  const prefix = Number(prefixText);
  const start = base!.split('.').reduce((n, o) => n * 256 + Number(o), 0);
  const size = 2 ** (32 - prefix - 4);
  const block = (i: number) => {
    const n = start + i * size;
    return `${[24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.')}/${prefix + 4}`;
  };
  return {
    publicCidrs: Array.from({ length: azCount }, (_, i) => block(i)),
    privateCidrs: Array.from({ length: azCount }, (_, i) => block(8 + i)),
  };
}
