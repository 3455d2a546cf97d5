// Quoted-field CSV splitting, compatible with Go's encoding/csv writer (what k6 uses): a field
// holding a comma, quote, CR or LF is wrapped in quotes and inner quotes are doubled. This is
// the slow path; the reader only calls it for lines that contain a quote.

export interface SplitResult {
  fields: string[];
  /** false when the record ends inside an open quote: the caller must append the next line. */
  complete: boolean;
  /** A quote appeared in the middle of an unquoted field, or junk followed a closing quote. */
  malformed: boolean;
}

export function splitCsvRecord(line: string): SplitResult {
  const fields: string[] = [];
  let malformed = false;
  let i = 0;
  const n = line.length;
  for (;;) {
    if (line.charCodeAt(i) === 34 /* " */) {
      let value = '';
      let from = i + 1;
      for (;;) {
        const q = line.indexOf('"', from);
        if (q < 0) return { fields, complete: false, malformed };
        value += line.slice(from, q);
        if (line.charCodeAt(q + 1) === 34) {
          value += '"';
          from = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      fields.push(value);
      if (i < n && line.charCodeAt(i) !== 44) {
        malformed = true;
        const c = line.indexOf(',', i);
        if (c < 0) return { fields, complete: true, malformed };
        i = c;
      }
    } else {
      let c = line.indexOf(',', i);
      if (c < 0) c = n;
      const field = line.slice(i, c);
      if (field.includes('"')) malformed = true;
      fields.push(field);
      i = c;
    }
    if (i >= n) return { fields, complete: true, malformed };
    i++; // skip the comma
    if (i === n) {
      fields.push('');
      return { fields, complete: true, malformed };
    }
  }
}

export type QuotedRecord =
  /** The record continues past the end of the buffer: retry with more data. */
  | { kind: 'more' }
  /** An open quote that never closes (within maxBytes, or before the end of the file). */
  | { kind: 'unterminated' }
  | { kind: 'ok'; fields: string[]; malformed: boolean; text: string; next: number; extraLines: number };

/**
 * The record starting at buf[start] whose first physical line ends at eol. Go's csv writer quotes
 * a field holding a newline, so a record may span lines; `next` is where the following one starts.
 */
export function readQuotedRecord(
  buf: Buffer,
  start: number,
  eol: number,
  atEof: boolean,
  maxBytes: number,
): QuotedRecord {
  let recEnd = eol;
  let extraLines = 0;
  for (;;) {
    let text = buf.toString('utf8', start, recEnd);
    if (text.endsWith('\r')) text = text.slice(0, -1);
    const { fields, complete, malformed } = splitCsvRecord(text);
    if (complete) return { kind: 'ok', fields, malformed, text, next: recEnd + 1, extraLines };
    const next = buf.indexOf(10, recEnd + 1);
    if (next >= 0 && next - start <= maxBytes) {
      recEnd = next;
      extraLines++;
      continue;
    }
    return next < 0 && !atEof && buf.length - start <= maxBytes ? { kind: 'more' } : { kind: 'unterminated' };
  }
}
