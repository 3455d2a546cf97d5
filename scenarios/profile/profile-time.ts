// Time expressions in a profile: a span ("24h", "90m", "1h30m", "45s") and shape points, which
// are either a clock offset "HH:MM" from the start of the span or a duration offset like "90m".
// Pure: every function returns seconds, or undefined when the text is not a valid expression.

const DURATION = /^(?:(\d+(?:\.\d+)?)h)?(?:(\d+(?:\.\d+)?)m)?(?:(\d+(?:\.\d+)?)s)?$/;
const CLOCK = /^(\d{1,3}):([0-5]\d)$/;

/** "24h" | "90m" | "1h30m" | "45s" | "0" → seconds. */
export function parseDurationS(text: string): number | undefined {
  if (text === '0') return 0;
  const m = DURATION.exec(text);
  if (!m || text === '') return undefined;
  const [, h, min, s] = m;
  return Number(h ?? 0) * 3600 + Number(min ?? 0) * 60 + Number(s ?? 0);
}

/** "HH:MM" (hours may exceed 23, for spans past a day) or a duration offset → seconds. */
export function parseAtS(text: string): number | undefined {
  const m = CLOCK.exec(text);
  if (m) return Number(m[1]) * 3600 + Number(m[2]) * 60;
  return parseDurationS(text);
}

/** Seconds → "HH:MM:SS"-ish text for error messages ("01:30", "00:00:45"). */
export function formatClock(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = Math.round((seconds % 60) * 1000) / 1000;
  const pad = (n: number) => String(n).padStart(2, '0');
  return s === 0 ? `${pad(h)}:${pad(m)}` : `${pad(h)}:${pad(m)}:${pad(s)}`;
}
