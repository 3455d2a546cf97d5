// A balancer port for a test replica whose instance ports (port + 20 + i) are free too, so
// test runs side by side (a developer's replica, CI, two checkouts) do not collide.
import net from 'node:net';

function canBind(port: number): Promise<boolean> {
  return new Promise((done) => {
    const srv = net.createServer();
    srv.once('error', () => done(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => done(true)));
  });
}

export async function freeReplicaPort(instances = 4, from = 20000, to = 40000): Promise<number> {
  for (let tries = 0; tries < 50; tries++) {
    const port = from + Math.floor(Math.random() * (to - from));
    const wanted = [port, ...Array.from({ length: instances }, (_, i) => port + 20 + i)];
    let free = true;
    for (const p of wanted) if (!(free = await canBind(p))) break;
    if (free) return port;
  }
  throw new Error('no free port range for a test replica on 127.0.0.1');
}
