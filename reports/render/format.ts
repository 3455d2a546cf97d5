// Number formatting shared by the HTML and Markdown renderers: one place decides how a
// latency, a rate or a count reads.

const intFmt = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function fmtInt(n: number | null | undefined): string {
  return n === null || n === undefined ? '–' : intFmt.format(n);
}

/** Latency in ms with sensible precision: 0.412 ms, 12.3 ms, 1,234 ms. */
export function fmtMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '–';
  if (ms < 1) return `${ms.toFixed(3)} ms`;
  if (ms < 100) return `${ms.toFixed(1)} ms`;
  return `${intFmt.format(Math.round(ms))} ms`;
}

/** A 0-1 ratio as a percentage; tiny non-zero values do not round to a misleading 0. */
export function fmtPct(ratio: number | null | undefined): string {
  if (ratio === null || ratio === undefined) return '–';
  if (ratio > 0 && ratio < 0.0001) return '< 0.01 %';
  return `${(ratio * 100).toFixed(2)} %`;
}

export function fmtRate(perSecond: number | null | undefined): string {
  if (perSecond === null || perSecond === undefined) return '–';
  return `${perSecond < 10 ? perSecond.toFixed(2) : intFmt.format(Math.round(perSecond))}/s`;
}

export function fmtBytes(n: number | null | undefined): string {
  if (n === null || n === undefined) return '–';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${u === 0 ? v : v.toFixed(1)} ${units[u]}`;
}

/** Seconds as h:mm:ss or m:ss. */
export function fmtDuration(s: number | null | undefined): string {
  if (s === null || s === undefined) return '–';
  const total = Math.round(s);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const sec = total % 60;
  const pad = (x: number) => String(x).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(sec)}` : `${m}:${pad(sec)}`;
}
