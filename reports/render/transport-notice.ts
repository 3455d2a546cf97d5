// Whether the rehearsal's traffic crossed TLS, from the run record's target. A store is served over
// HTTPS on sale day; a rehearsal over plain HTTP never made its balancer do TLS handshakes and
// encryption (CPU on a self-run balancer, LCUs on an ALB), so the report says so up front. The
// loopback replica is plain HTTP by design and says nothing more than that.
import type { RunRecord } from '../record/record-schema.ts';

export const PLAIN_HTTP_NOTICE =
  'This rehearsal ran over plain HTTP: TLS termination cost at the balancer was not measured.';

export type Transport = 'https' | 'plain-http' | 'loopback' | 'unknown';

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

export function transportOf(target: RunRecord['run']['target']): Transport {
  if (!target.baseUrl) return 'unknown';
  let url: URL;
  try {
    url = new URL(target.baseUrl);
  } catch {
    return 'unknown';
  }
  if (url.protocol === 'https:') return 'https';
  if (url.protocol !== 'http:') return 'unknown';
  return target.kind === 'local' || isLoopback(url.hostname) ? 'loopback' : 'plain-http';
}

/** The sentence for the report's first lines, or null when there is nothing to say. */
export function plainHttpNotice(record: RunRecord): string | null {
  return transportOf(record.run.target) === 'plain-http' ? PLAIN_HTTP_NOTICE : null;
}

/** The run settings' "Transport" value. */
export function transportSetting(record: RunRecord): string {
  switch (transportOf(record.run.target)) {
    case 'https':
      return 'HTTPS';
    case 'plain-http':
      return PLAIN_HTTP_NOTICE;
    case 'loopback':
      return 'plain HTTP (loopback)';
    case 'unknown':
      return 'unknown';
  }
}
