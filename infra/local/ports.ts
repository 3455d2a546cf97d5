// The replica's TCP ports: the balancer's and one per app instance (layout.ts). A port somebody
// else holds is swapped for a free range, unless the user asked for that port: then we name the
// holder and stop, since quietly moving an asked-for port would send the load elsewhere.
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { InputError } from '../../errors/errors.ts';
import { INSTANCE_PORT_OFFSET } from './layout.ts';
import { describeHolder, portHolder, type PortHolder } from './proc.ts';

/** Balancer port first, then instance slots 0..slots-1 (the autoscaler may add up to its max). */
export function replicaPorts(port: number, slots: number): number[] {
  return [port, ...Array.from({ length: slots }, (_, i) => port + INSTANCE_PORT_OFFSET + i)];
}

export function canBind(port: number): Promise<boolean> {
  return new Promise((done) => {
    const srv = net.createServer();
    srv.once('error', () => done(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => done(true)));
  });
}

export interface BusyPort {
  port: number;
  role: string;
  holder?: PortHolder;
}

export async function busyPorts(port: number, slots: number): Promise<BusyPort[]> {
  const out: BusyPort[] = [];
  for (const [i, p] of replicaPorts(port, slots).entries()) {
    if (await canBind(p)) continue;
    const holder = portHolder(p);
    out.push({ port: p, role: i === 0 ? 'the balancer' : `instance app-${i - 1}`, ...(holder ? { holder } : {}) });
  }
  return out;
}

export function describeBusy(b: BusyPort): string {
  return `port ${b.port} (${b.role}) is taken by ${b.holder ? describeHolder(b.holder) : 'another program'}`;
}

// Candidates step by 100 so a balancer and its instance range never overlap another replica's.
const STEP = 100;

/**
 * The first port the kernel hands out to outgoing connections (32768 on Linux by default). A free
 * port above it can be taken by any client socket between our check and nginx's bind, so ports the
 * replica picks for itself stay below it.
 */
export function ephemeralPortStart(rangeFile = '/proc/sys/net/ipv4/ip_local_port_range'): number {
  try {
    const first = Number(readFileSync(rangeFile, 'utf8').trim().split(/\s+/)[0]);
    if (Number.isInteger(first) && first > 1024) return first;
  } catch {
    // Not Linux, or /proc is hidden: the IANA dynamic range starts at 49152.
  }
  return 49152;
}

/**
 * The balancer port to use: `port` when it and the instance ports are free; else, when the port
 * was not asked for, the next free range (and a line saying so); else an InputError naming who holds it.
 */
export async function choosePort(
  port: number,
  slots: number,
  asked: boolean,
  log: (line: string) => void,
): Promise<number> {
  const busy = await busyPorts(port, slots);
  if (busy.length === 0) return port;
  if (asked) {
    throw new InputError(
      `local replica: ${busy.map(describeBusy).join('; ')}. Stop that process, or pass another port ` +
        '(REHEARSE_LOCAL_PORT), or leave the port unset and the replica picks a free one.',
    );
  }
  const below = ephemeralPortStart();
  for (let p = port + STEP; p + INSTANCE_PORT_OFFSET + slots <= below; p += STEP) {
    if ((await busyPorts(p, slots)).length > 0) continue;
    const last = p + INSTANCE_PORT_OFFSET + slots - 1;
    log(
      `local replica: ${describeBusy(busy[0]!)}; using port ${p} instead (instances on ${p + INSTANCE_PORT_OFFSET}-${last})`,
    );
    return p;
  }
  throw new InputError(
    `local replica: ${describeBusy(busy[0]!)} and no free range was found between it and ${below}; set REHEARSE_LOCAL_PORT to a free port`,
  );
}
