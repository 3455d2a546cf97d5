// How much CPU the k6 process itself uses while it runs, read from /proc/<pid>/stat (utime +
// stime). A k6 near a full core queues its own requests, so the latency it reports is partly its
// own: the record flags a runner whose k6 peaks above ~85 % of a core (reports/gate/run-health.ts).

import { readFile } from 'node:fs/promises';
import type { GeneratorFile } from '../../reports/record/generator-health.ts';

/** Linux USER_HZ: /proc/<pid>/stat counts CPU time in these ticks (100 on every mainstream kernel). */
const TICKS_PER_S = 100;
/** The peak is taken over windows this long, so one busy scheduler tick is not a saturation. */
const WINDOW_MS = 5000;

/** Pure: CPU ticks used so far (utime + stime) from a /proc/<pid>/stat line, or null. */
export function cpuTicks(stat: string): number | null {
  // Field 2 (comm) is in parentheses and may hold spaces: count fields after the last ')'.
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(rest[11]);
  const stime = Number(rest[12]);
  return Number.isFinite(utime) && Number.isFinite(stime) ? utime + stime : null;
}

/** Pure: cores used over each window, from (ms, ticks) samples in time order. */
export function cpuSummary(samples: Array<{ ms: number; ticks: number }>, windowMs = WINDOW_MS): GeneratorFile['cpu'] {
  if (samples.length < 2) return null;
  const first = samples[0];
  const last = samples[samples.length - 1];
  const cores = (a: { ms: number; ticks: number }, b: { ms: number; ticks: number }) =>
    (b.ticks - a.ticks) / TICKS_PER_S / ((b.ms - a.ms) / 1000);
  let peak = 0;
  let j = 0;
  for (let i = 1; i < samples.length; i++) {
    while (j < i && samples[i].ms - samples[j + 1].ms >= windowMs) j++;
    if (samples[i].ms - samples[j].ms >= windowMs || (j === 0 && i === samples.length - 1))
      peak = Math.max(peak, cores(samples[j], samples[i]));
  }
  const round = (x: number) => Math.round(x * 1000) / 1000;
  return { peak: round(peak), mean: round(cores(first, last)), samples: samples.length };
}

/** Samples a process's CPU every second until stop(); on a system without /proc it measures nothing. */
export function watchCpu(pid: number | undefined, everyMs = 1000): { stop: () => Promise<GeneratorFile> } {
  const samples: Array<{ ms: number; ticks: number }> = [];
  const sample = async () => {
    if (pid === undefined) return;
    const text = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
    const ticks = text === null ? null : cpuTicks(text);
    if (ticks !== null) samples.push({ ms: performance.now(), ticks });
  };
  void sample();
  const timer = setInterval(() => void sample(), everyMs);
  return {
    stop: async () => {
      clearInterval(timer);
      return { cpu: cpuSummary(samples) };
    },
  };
}
