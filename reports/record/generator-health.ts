// Whether the load generator kept up, from what each runner left in raw/<runner>/: k6's own log
// ("Insufficient VUs" warnings) and generator.json (k6's CPU, sampled by the runner while it ran).
// A generator short of VUs or CPU delays requests itself, so latency it reports is not the store's.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunMeta } from './record-schema.ts';

export type GeneratorHealth = NonNullable<RunMeta['generator']>;
export type RunnerGenerator = GeneratorHealth['runners'][number];

/** What a runner writes to raw/<runner>/generator.json (runners/local/k6-cpu.ts). */
export interface GeneratorFile {
  cpu: { peak: number; mean: number; samples: number } | null;
}

export const GENERATOR_FILE = 'generator.json';
/** Agents append generator.json's content to k6.log behind this prefix (one line). */
export const GENERATOR_LOG_PREFIX = 'rehearse-generator: ';

export function generatorLogLine(g: GeneratorFile): string {
  return `${GENERATOR_LOG_PREFIX}${JSON.stringify(g)}`;
}

/** k6 ≥ 0.27 logs this when an arrival-rate executor has no VU left to start an iteration. */
const INSUFFICIENT = /Insufficient VUs/g;

/** Pure: "Insufficient VUs" warnings in a k6 log. */
export function countInsufficientVUs(log: string): number {
  return log.match(INSUFFICIENT)?.length ?? 0;
}

/** Pure: generator.json's content, or null when it is not of the expected shape. */
export function parseGeneratorFile(data: unknown): GeneratorFile | null {
  const cpu = (data as { cpu?: unknown } | null)?.cpu;
  if (cpu === null) return { cpu: null };
  const c = cpu as { peak?: unknown; mean?: unknown; samples?: unknown } | undefined;
  const ok = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v >= 0;
  if (!c || !ok(c.peak) || !ok(c.mean) || !ok(c.samples)) return null;
  return { cpu: { peak: c.peak as number, mean: c.mean as number, samples: c.samples as number } };
}

async function readText(path: string): Promise<string | null> {
  return readFile(path, 'utf8').catch(() => null);
}

/** One runner's side: a missing log or generator.json leaves zero warnings / unmeasured CPU. */
export async function readRunnerGenerator(runDir: string, runner: string, notes: string[]): Promise<RunnerGenerator> {
  const log = await readText(join(runDir, 'raw', runner, 'k6.log'));
  let cpuPeak: number | null = null;
  let cpuMean: number | null = null;
  const inLog =
    log
      ?.split('\n')
      .reverse()
      .find((l) => l.startsWith(GENERATOR_LOG_PREFIX))
      ?.slice(GENERATOR_LOG_PREFIX.length) ?? null;
  const text = (await readText(join(runDir, 'raw', runner, GENERATOR_FILE))) ?? inLog;
  if (text !== null) {
    let parsed: GeneratorFile | null = null;
    try {
      parsed = parseGeneratorFile(JSON.parse(text));
    } catch {
      parsed = null;
    }
    if (parsed === null)
      notes.push(`raw/${runner}/${GENERATOR_FILE}: not readable; the generator's CPU is unknown for this runner`);
    else if (parsed.cpu) ({ peak: cpuPeak, mean: cpuMean } = parsed.cpu);
  }
  return { runner, insufficientVUs: log === null ? 0 : countInsufficientVUs(log), cpuPeak, cpuMean };
}

export async function readGeneratorHealth(
  runDir: string,
  runners: string[],
  maxVUs: number | null,
  peakVUs: number | null,
  notes: string[],
): Promise<GeneratorHealth> {
  return { maxVUs, peakVUs, runners: await Promise.all(runners.map((r) => readRunnerGenerator(runDir, r, notes))) };
}
