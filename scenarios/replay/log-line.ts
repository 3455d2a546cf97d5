// One access-log line → a request: nginx/Apache "combined" (or "common") format, or an AWS ALB
// access log entry. Pure. The host a line names is dropped: only path + query are kept, so a
// replay can never be pointed at the logged (production) host by accident.

export interface LogRequest {
  /** Epoch milliseconds. */
  timeMs: number;
  method: string;
  /** Path and query as logged, always starting with "/". */
  target: string;
  status: number | undefined;
  /** Client address without port (IPv4 or IPv6). */
  client: string;
  userAgent: string;
}

export type ParsedLine = { ok: true; request: LogRequest } | { ok: false; reason: string };

const QUOTED = String.raw`"((?:[^"\\]|\\.)*)"`;
// host ident user [time] "request" status bytes ["referer" "user agent"] [anything nginx adds]
const COMBINED = new RegExp(
  String.raw`^(\S+) \S+ \S+ \[([^\]]+)\] ${QUOTED} (\d{3}|-) (?:\d+|-)(?: ${QUOTED} ${QUOTED})?(?:\s|$)`,
);
const ALB_START = /^(?:https?|h2|grpcs|wss?) \d{4}-\d\d-\d\dT/;
const ALB_TOKEN = /"(?:[^"\\]|\\.)*"|\S+/g;
const CLF_TIME = /^(\d{2})\/([A-Za-z]{3})\/(\d{4}):(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))? ([+-])(\d{2})(\d{2})$/;
const MONTHS: Record<string, number> = {
  jan: 0,
  feb: 1,
  mar: 2,
  apr: 3,
  may: 4,
  jun: 5,
  jul: 6,
  aug: 7,
  sep: 8,
  oct: 9,
  nov: 10,
  dec: 11,
};

export function parseLogLine(line: string): ParsedLine {
  return ALB_START.test(line) ? parseAlb(line) : parseCombined(line);
}

function parseCombined(line: string): ParsedLine {
  const m = COMBINED.exec(line);
  if (!m) return { ok: false, reason: 'not a combined/common log line' };
  const timeMs = parseClfTime(m[2]!);
  if (timeMs === undefined) return { ok: false, reason: `bad time [${m[2]}]` };
  return withRequest(m[3]!, {
    timeMs,
    status: m[4] === '-' ? undefined : Number(m[4]),
    client: m[1]!,
    userAgent: unescape(m[6] ?? ''),
  });
}

// type time elb client:port target:port t1 t2 t3 elb_status target_status rx tx "request" "user_agent" …
function parseAlb(line: string): ParsedLine {
  const f = line.match(ALB_TOKEN) ?? [];
  if (f.length < 14 || !f[12]!.startsWith('"') || !f[13]!.startsWith('"'))
    return { ok: false, reason: 'too few ALB fields' };
  const timeMs = Date.parse(f[1]!);
  if (!Number.isFinite(timeMs)) return { ok: false, reason: `bad time ${f[1]}` };
  const status = /^\d{3}$/.test(f[8]!) ? Number(f[8]) : undefined;
  return withRequest(f[12]!.slice(1, -1), {
    timeMs,
    status,
    client: albClient(f[3]!),
    userAgent: unescape(f[13]!.slice(1, -1)),
  });
}

function withRequest(requestLine: string, rest: Omit<LogRequest, 'method' | 'target'>): ParsedLine {
  const m = /^([A-Z]+) (\S+)(?: HTTP\/[\d.]+)?$/.exec(unescape(requestLine));
  if (!m) return { ok: false, reason: `not a request line: "${requestLine.slice(0, 40)}"` };
  const target = pathAndQuery(m[2]!);
  if (target === undefined) return { ok: false, reason: `not a URL: ${m[2]!.slice(0, 40)}` };
  return { ok: true, request: { ...rest, method: m[1]!, target } };
}

/** "/a?b" → "/a?b"; "https://shop.example:443/a?b" → "/a?b"; anything else → undefined. */
export function pathAndQuery(url: string): string | undefined {
  if (url.startsWith('/')) return url.startsWith('//') ? undefined : url;
  const m = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*(.*)$/i.exec(url);
  if (!m) return undefined;
  const rest = m[1]!.replace(/#.*$/, '');
  return rest.startsWith('/') ? rest : `/${rest}`;
}

/** "10.0.0.1:5123" → "10.0.0.1"; "[2001:db8::1]:443" → "2001:db8::1"; "-" → "-". */
function albClient(field: string): string {
  const bracket = /^\[([^\]]+)\](?::\d+)?$/.exec(field);
  if (bracket) return bracket[1]!;
  // IPv6 without brackets: the port is whatever follows the last colon.
  return field.includes(':') ? field.replace(/:\d+$/, '') : field;
}

/** Apache writes \" and \\; nginx writes \x22. */
function unescape(s: string): string {
  if (!s.includes('\\')) return s;
  return s.replace(/\\x([0-9a-fA-F]{2})|\\(.)/g, (_, hex: string | undefined, ch: string | undefined) =>
    hex ? String.fromCharCode(parseInt(hex, 16)) : ch!,
  );
}

function parseClfTime(s: string): number | undefined {
  const m = CLF_TIME.exec(s);
  if (!m) return undefined;
  const month = MONTHS[m[2]!.toLowerCase()];
  if (month === undefined) return undefined;
  const [day, year, h, min, sec] = [m[1], m[3], m[4], m[5], m[6]].map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  if (day < 1 || day > 31 || h > 23 || min > 59 || sec > 60) return undefined;
  const frac = m[7] ? Number(`0.${m[7]}`) * 1000 : 0;
  const offsetMin = (m[8] === '-' ? -1 : 1) * (Number(m[9]) * 60 + Number(m[10]));
  return Date.UTC(year, month, day, h, min, sec) + frac - offsetMin * 60_000;
}
