// Byte-level helpers for the CSV fast path: find fields, compare and decode byte ranges, and
// parse k6's timestamp and number columns without making a string first.

const HEADER_PREFIX = Buffer.from('metric_name,', 'latin1');

// Buffer#utf8Slice skips toString's argument handling, a measurable cost at millions of lines.
const nativeUtf8Slice = (Buffer.prototype as unknown as { utf8Slice?: (s: number, e: number) => string }).utf8Slice;
export const utf8: (buf: Buffer, start: number, end: number) => string =
  typeof nativeUtf8Slice === 'function'
    ? (buf, start, end) => nativeUtf8Slice.call(buf, start, end)
    : (buf, start, end) => buf.toString('utf8', start, end);

/** A DataView over buf's bytes, for sameBytes. */
export function viewOf(buf: Buffer): DataView {
  return new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
}

/** a[aStart, aEnd) equals b[bStart, bEnd) (a and b may be one view). Four bytes per compare: about twice as fast as one. */
export function sameBytes(
  a: DataView,
  aStart: number,
  aEnd: number,
  b: DataView,
  bStart: number,
  bEnd: number,
): boolean {
  const n = bEnd - bStart;
  if (aEnd - aStart !== n) return false;
  let i = 0;
  for (; i + 4 <= n; i += 4) if (a.getInt32(aStart + i, true) !== b.getInt32(bStart + i, true)) return false;
  for (; i < n; i++) if (a.getUint8(aStart + i) !== b.getUint8(bStart + i)) return false;
  return true;
}

/** Whether buf[start, end) holds a double quote. */
export function hasQuote(buf: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (buf[i] === 34) return true;
  return false;
}

/**
 * Index of the next comma or quote in view[from, end), or end. Four bytes at a time: a byte of
 * x = word ^ 0x2c2c2c2c is zero where the word holds a comma, and (x - 0x01010101) & ~x & 0x80808080
 * flags zero bytes (exact for the lowest one, which is the one taken).
 */
export function nextComma(view: DataView, from: number, end: number): number {
  let i = from;
  for (; i + 4 <= end; i += 4) {
    const w = view.getInt32(i, true);
    const c = w ^ 0x2c2c2c2c;
    const q = w ^ 0x22222222;
    const hit = (((c - 0x01010101) & ~c) | ((q - 0x01010101) & ~q)) & 0x80808080;
    if (hit !== 0) return i + ((31 - Math.clz32(hit & -hit)) >> 3);
  }
  for (; i < end; i++) {
    const b = view.getUint8(i);
    if (b === 44 || b === 34) return i;
  }
  return end;
}

export function isHeader(buf: Buffer, start: number, end: number): boolean {
  if (end - start < HEADER_PREFIX.length) return false;
  for (let i = 0; i < HEADER_PREFIX.length; i++) if (buf[start + i] !== HEADER_PREFIX[i]) return false;
  return true;
}

/** Unix seconds from k6's timestamp column: unix s (default), ms/µs/ns, or RFC 3339. NaN if invalid. */
export function parseTimestamp(buf: Uint8Array, start: number, end: number): number {
  let n = 0;
  for (let i = start; i < end; i++) {
    const d = buf[i] - 48;
    if (d < 0 || d > 9)
      return parseTimestampText(Buffer.from(buf.buffer, buf.byteOffset + start, end - start).toString('latin1'));
    n = n * 10 + d;
  }
  if (end === start) return NaN;
  return scaleTimestamp(n, end - start);
}

export function parseTimestampText(text: string): number {
  if (/^\d+$/.test(text)) return scaleTimestamp(Number(text), text.length);
  if (/^\d+\.\d+$/.test(text)) return Number(text);
  if (/^\d{4}-\d\d-\d\dT/.test(text)) return Date.parse(text) / 1000;
  return NaN;
}

// k6's csv timeFormat option picks the unit; the digit count tells which one was used.
function scaleTimestamp(n: number, digits: number): number {
  if (digits <= 10) return n;
  if (digits <= 13) return n / 1e3;
  if (digits <= 16) return n / 1e6;
  return n / 1e9;
}

/** Decimal number in buf[start, end) ("1.633364", "-2", "1e-05"); NaN if invalid or empty. */
export function parseNumber(buf: Uint8Array, start: number, end: number): number {
  let i = start;
  let neg = false;
  if (buf[i] === 45 /* - */) {
    neg = true;
    i++;
  }
  if (i >= end) return NaN;
  let int = 0;
  let frac = 0;
  let scale = 1;
  let dot = false;
  for (; i < end; i++) {
    const b = buf[i];
    if (b === 46 && !dot) {
      dot = true;
      continue;
    }
    const d = b - 48;
    if (d < 0 || d > 9) {
      const text = Buffer.from(buf.buffer, buf.byteOffset + start, end - start).toString('latin1');
      return text.trim() === '' ? NaN : Number(text);
    }
    if (dot) {
      frac = frac * 10 + d;
      scale *= 10;
    } else {
      int = int * 10 + d;
    }
  }
  const v = int + frac / scale;
  return neg ? -v : v;
}
