// Reading /proc: is a pid still the process we started, which processes belong to it, and
// which TCP sockets they listen on. Parsers are pure and exported for unit tests.
import fs from 'node:fs';

export interface ProcStat {
  pid: number;
  state: string; // R, S, D, Z, …
  ppid: number;
  pgid: number;
  sid: number;
  startTime: number; // clock ticks since boot: with the pid, identifies one process for good
}

/** Parses /proc/<pid>/stat; the command name may hold spaces and parentheses. */
export function parseStat(text: string): ProcStat {
  const close = text.lastIndexOf(')');
  const pid = Number(text.slice(0, text.indexOf(' ')));
  const f = text
    .slice(close + 2)
    .trim()
    .split(/\s+/); // f[0] is field 3 (state)
  return { pid, state: f[0], ppid: Number(f[1]), pgid: Number(f[2]), sid: Number(f[3]), startTime: Number(f[19]) };
}

export function readStat(pid: number): ProcStat | undefined {
  try {
    return parseStat(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

export function readCmdline(pid: number): string | undefined {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0+$/, '').replace(/\0/g, ' ');
  } catch {
    return undefined;
  }
}

/**
 * A zombie has exited: it only waits for its parent to reap it. But a multi-threaded process's
 * leader shows Z while its other threads still exit and hold its sockets (HAProxy's listener
 * outlived a "stopped" balancer this way): alive until every thread is gone.
 */
export function isAlive(pid: number): boolean {
  const st = readStat(pid);
  if (st === undefined || st.state === 'X') return false;
  if (st.state !== 'Z') return true;
  try {
    return fs.readdirSync(`/proc/${pid}/task`).some((tid) => {
      try {
        return !/^\S+ \(.*\) [ZX]/s.test(fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8'));
      } catch {
        return false;
      }
    });
  } catch {
    return false;
  }
}

function allPids(): number[] {
  return fs
    .readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map(Number);
}

/** Live processes of a session: we start every component with setsid, so its workers share it. */
export function sessionMembers(sid: number): number[] {
  return allPids().filter((p) => {
    const st = readStat(p);
    return st !== undefined && st.sid === sid && st.state !== 'Z';
  });
}

export interface TcpListener {
  address: string; // "127.0.0.1" or an IPv6 address in hex-free text form
  port: number;
  inode: number;
}

function hexToIPv4(hex: string): string {
  // /proc/net/tcp stores the address as a little-endian 32-bit number.
  const b = Buffer.from(hex, 'hex');
  return `${b[3]}.${b[2]}.${b[1]}.${b[0]}`;
}

function hexToIPv6(hex: string): string {
  const words: string[] = [];
  for (let i = 0; i < 32; i += 8) {
    const b = Buffer.from(hex.slice(i, i + 8), 'hex').reverse(); // each 32-bit word is little-endian
    words.push(b.subarray(0, 2).toString('hex'), b.subarray(2, 4).toString('hex'));
  }
  return words.map((w) => w.replace(/^0+(?=.)/, '')).join(':');
}

/** Listening sockets (state 0A) from the text of /proc/net/tcp or /proc/net/tcp6. */
export function parseProcNetTcp(text: string): TcpListener[] {
  const out: TcpListener[] = [];
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 10 || f[3] !== '0A') continue;
    const [addrHex, portHex] = f[1].split(':');
    const address = addrHex.length === 8 ? hexToIPv4(addrHex) : hexToIPv6(addrHex);
    out.push({ address, port: parseInt(portHex, 16), inode: Number(f[9]) });
  }
  return out;
}

function socketInodes(pid: number): Set<number> {
  const inodes = new Set<number>();
  let fds: string[] = [];
  try {
    fds = fs.readdirSync(`/proc/${pid}/fd`);
  } catch {
    return inodes;
  }
  for (const fd of fds) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(fs.readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) inodes.add(Number(m[1]));
    } catch {
      // fd closed while we looked
    }
  }
  return inodes;
}

/** Every TCP socket in LISTEN state held by one of `pids`. */
export function listeningTcp(pids: number[]): Array<TcpListener & { pid: number }> {
  const listeners = [
    ...parseProcNetTcp(fs.readFileSync('/proc/net/tcp', 'utf8')),
    ...(fs.existsSync('/proc/net/tcp6') ? parseProcNetTcp(fs.readFileSync('/proc/net/tcp6', 'utf8')) : []),
  ];
  const out: Array<TcpListener & { pid: number }> = [];
  for (const pid of pids) {
    const inodes = socketInodes(pid);
    for (const l of listeners) if (inodes.has(l.inode)) out.push({ ...l, pid });
  }
  return out;
}

/** True when a process of session `sid` listens on 127.0.0.1:`port` (not some other program). */
export function sessionListensOn(sid: number, port: number): boolean {
  return listeningTcp(sessionMembers(sid)).some((l) => l.port === port && l.address === '127.0.0.1');
}

export interface PortHolder {
  pid?: number;
  command?: string;
  address: string;
}

/** Who listens on TCP `port` on any address (which blocks 127.0.0.1:port too); undefined when nobody does. */
export function portHolder(port: number): PortHolder | undefined {
  const read = (f: string) => (fs.existsSync(f) ? parseProcNetTcp(fs.readFileSync(f, 'utf8')) : []);
  const listeners = [...read('/proc/net/tcp'), ...read('/proc/net/tcp6')].filter((l) => l.port === port);
  if (listeners.length === 0) return undefined;
  const inodes = new Set(listeners.map((l) => l.inode));
  for (const pid of allPids()) {
    if ([...socketInodes(pid)].some((i) => inodes.has(i)))
      return { pid, command: readCmdline(pid), address: listeners[0]!.address };
  }
  return { address: listeners[0]!.address }; // a process we may not look into (another user's, without root)
}

export function describeHolder(h: PortHolder): string {
  return h.pid === undefined
    ? `a process we cannot see (listening on ${h.address})`
    : `pid ${h.pid} (${(h.command ?? '?').slice(0, 80)})`;
}
