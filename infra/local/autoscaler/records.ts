// The controller's two files, JSON lines with a version each: samples (one a second: raw
// cumulative counters, turned into rates by telemetry.ts) and events (activities and instance
// lifecycles; a later line with the same id replaces an earlier one).
import fs from 'node:fs';
import { z } from 'zod';
import { activitySchema, instanceSchema } from '../../telemetry/telemetry-schema.ts';

export const sampleSchema = z.object({
  v: z.literal(1),
  t: z.number(),
  desired: z.number().int(),
  pending: z.number().int(),
  inService: z.number().int(),
  instances: z.array(
    z.object({
      id: z.string(),
      state: z.string(),
      /** The instance's CPU share of one core (its size). */
      share: z.number(),
      usageNs: z.number().optional(),
      /** HAProxy's cumulative sessions (≈ requests) sent to it. */
      sessions: z.number().optional(),
    }),
  ),
  db: z.object({ cpuTicks: z.number().optional(), connections: z.number().optional() }),
  cache: z.object({
    cpuTicks: z.number().optional(),
    connections: z.number().optional(),
    evictions: z.number().optional(),
  }),
  /** HAProxy frontend and backend counters (cumulative), absent when HAProxy did not answer. */
  balancer: z
    .object({
      requests: z.number(),
      connections: z.number(),
      active: z.number(),
      bytes: z.number(),
      http5xx: z.number(),
    })
    .optional(),
  orders: z.number().int().optional(),
  clockTicks: z.number().optional(),
});
export type Sample = z.infer<typeof sampleSchema>;

export const eventSchema = z.discriminatedUnion('kind', [
  z.object({ v: z.literal(1), kind: z.literal('activity'), activity: activitySchema }),
  z.object({ v: z.literal(1), kind: z.literal('instance'), instance: instanceSchema }),
]);
export type ControllerEvent = z.infer<typeof eventSchema>;

export function appendLine(file: string, value: unknown): void {
  fs.appendFileSync(file, `${JSON.stringify(value)}\n`);
}

/** Lines of a JSONL file that parse; a torn last line (a crash mid-write) is skipped. */
export function readLines<T>(file: string, schema: z.ZodType<T>): T[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const out: T[] = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      continue;
    }
    const r = schema.safeParse(json);
    if (!r.success)
      throw new Error(
        `${file}: a line does not match its schema (${r.error.issues[0]?.path.join('.')}: ${r.error.issues[0]?.message}); it was written by another version: remove the file`,
      );
    out.push(r.data);
  }
  return out;
}

/** Latest version of every activity and instance, in first-seen order. */
export function reduceEvents(events: ControllerEvent[]): {
  activities: z.infer<typeof activitySchema>[];
  instances: z.infer<typeof instanceSchema>[];
} {
  const activities = new Map<string, z.infer<typeof activitySchema>>();
  const instances = new Map<string, z.infer<typeof instanceSchema>>();
  for (const e of events) {
    if (e.kind === 'activity') activities.set(e.activity.id, e.activity);
    else instances.set(e.instance.id, e.instance);
  }
  return { activities: [...activities.values()], instances: [...instances.values()] };
}
