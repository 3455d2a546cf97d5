// A balancer port for a test replica whose instance ports (port + 20 + i) are free too, so
// test runs side by side (a developer's replica, CI, two checkouts) do not collide. It stays below
// the kernel's ephemeral range: the lanes beside it open client sockets all the time, and one of
// them once took an instance port between this check and the replica's start.
import { canBind, ephemeralPortStart, replicaPorts } from '../ports.ts';

export async function freeReplicaPort(instances = 4, from = 20000): Promise<number> {
  const to = ephemeralPortStart() - 20 - instances;
  for (let tries = 0; tries < 50; tries++) {
    const port = from + Math.floor(Math.random() * (to - from));
    let free = true;
    for (const p of replicaPorts(port, instances)) if (!(free = await canBind(p))) break;
    if (free) return port;
  }
  throw new Error(`no free port range for a test replica on 127.0.0.1 between ${from} and ${to}`);
}
