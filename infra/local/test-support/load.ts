// A small open-model load for tests and benches: arrivals per second following a schedule,
// only to 127.0.0.1/localhost, bounded in time, request count and concurrency; it stops by itself.
import http from 'node:http';

export interface LoadResult {
  sent: number;
  ok: number;
  failed: number;
  byInstance: Record<string, number>;
}

export interface LoadSpec {
  baseUrl: string;
  paths: string[];
  /** Arrivals per second at second s of the run. */
  rate: (s: number) => number;
  durationS: number;
  maxRequests?: number;
  maxInFlight?: number;
  /** E.g. a cart cookie, which makes the page cache step aside (every page is rendered). */
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** WooCommerce's cart cookie: page caches (ours included) bypass shoppers with a cart. */
export const CART_COOKIE = { Cookie: 'woocommerce_items_in_cart=1' };

function assertLoopback(url: string): void {
  const host = new URL(url).hostname;
  if (!['127.0.0.1', 'localhost'].includes(host)) throw new Error(`load goes only to 127.0.0.1/localhost, not ${host}`);
}

export async function openLoad(spec: LoadSpec): Promise<LoadResult> {
  assertLoopback(spec.baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: spec.maxInFlight ?? 64 });
  const res: LoadResult = { sent: 0, ok: 0, failed: 0, byInstance: {} };
  const max = spec.maxRequests ?? 10_000;
  const inflight = new Set<Promise<void>>();
  const t0 = performance.now();
  let due = 0; // arrivals owed so far (fractional)
  let last = 0;
  for (;;) {
    const s = (performance.now() - t0) / 1000;
    if (s >= spec.durationS || res.sent >= max || spec.signal?.aborted) break;
    due += spec.rate(s) * (s - last);
    last = s;
    while (due >= 1 && res.sent < max && inflight.size < (spec.maxInFlight ?? 64)) {
      due -= 1;
      const path = spec.paths[res.sent % spec.paths.length]!;
      res.sent++;
      const p = new Promise<void>((done) => {
        // Exactly one outcome per request, whatever the socket does: a response cut mid-body
        // fires neither 'end' nor the request's 'error', only 'close'.
        let settled = false;
        const settle = (ok: boolean, who?: string) => {
          if (settled) return;
          settled = true;
          if (ok) {
            res.ok++;
            res.byInstance[who!] = (res.byInstance[who!] ?? 0) + 1;
          } else res.failed++;
          done();
        };
        let responded = false;
        const req = http.get(`${spec.baseUrl}${path}`, { agent, timeout: 15_000, headers: spec.headers }, (r) => {
          responded = true;
          const who = String(r.headers['x-rehearse-instance'] ?? '?');
          r.resume();
          r.on('end', () => settle(r.statusCode === 200, who));
          r.on('close', () => settle(false));
        });
        req.on('timeout', () => req.destroy(new Error('timeout')));
        req.on('error', () => settle(false));
        req.on('close', () => {
          if (!responded) settle(false);
        });
      }).finally(() => inflight.delete(p));
      inflight.add(p);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  await Promise.all([...inflight]);
  agent.destroy();
  return res;
}

/** Closed loop: `concurrency` clients back to back for `durationS`; completed 200s per second. */
export async function closedLoad(
  baseUrl: string,
  paths: string[],
  concurrency: number,
  durationS: number,
  headers?: Record<string, string>,
): Promise<{ ok: number; failed: number; perSecond: number }> {
  assertLoopback(baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  let ok = 0;
  let failed = 0;
  let n = 0;
  const end = performance.now() + durationS * 1000;
  const t0 = performance.now();
  const one = (path: string) =>
    new Promise<boolean>((done) => {
      const req = http.get(`${baseUrl}${path}`, { agent, timeout: 30_000, headers }, (r) => {
        r.resume();
        r.on('end', () => done(r.statusCode === 200));
      });
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', () => done(false));
    });
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        if (await one(paths[n++ % paths.length]!)) ok++;
        else failed++;
      }
    }),
  );
  const elapsed = (performance.now() - t0) / 1000;
  agent.destroy();
  return { ok, failed, perSecond: ok / elapsed };
}
