// Where load may go and how much: a run only targets hosts on its allowlist and never exceeds
// its rate cap. Pure checks, used when a plan is built, when it is read back, and (the host
// check) again inside k6.

import type { Issue } from '../profile/issues.ts';

/** Loopback only, unless the run names its targets explicitly. */
export const DEFAULT_ALLOW_HOSTS: readonly string[] = ['127.0.0.1', 'localhost', '::1'];

/** Journey starts per second at the peak, all journeys together, unless the run says otherwise. */
export const DEFAULT_MAX_RATE = 50;

/** "[::1]" → "::1", "LocalHost." → "localhost". */
export function normalizeHost(host: string): string {
  return host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/\.$/, '');
}

/** An issue on `baseUrl` when it is not an http(s) URL whose host is on `allowHosts`. */
export function checkTarget(baseUrl: string, allowHosts: readonly string[]): Issue | undefined {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return { path: ['baseUrl'], message: `"${baseUrl}" is not a URL — write it like "http://127.0.0.1:8080"` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { path: ['baseUrl'], message: `"${baseUrl}" must start with http:// or https://` };
  }
  if (url.username || url.password || url.search || url.hash) {
    return {
      path: ['baseUrl'],
      message: `"${baseUrl}" must be a plain origin (and optional path): no credentials, query or fragment`,
    };
  }
  const host = normalizeHost(url.hostname);
  const allowed = allowHosts.map(normalizeHost);
  if (!allowed.includes(host)) {
    return {
      path: ['baseUrl'],
      message: `host "${host}" is not on the allowlist (${allowed.join(', ')}) — load only goes to hosts you name: add it to allowHosts if you own it`,
    };
  }
  // k6 checks the host as written (plan-data.ts); so must we, or "127.1" (which the URL parser
  // reads as 127.0.0.1) would pass here and fail there — or a resolver would read it otherwise.
  const written = /^https?:\/\/(?:\[([^\]]+)\]|([^/:?#]+))/i.exec(baseUrl.trim());
  const writtenHost = normalizeHost(written?.[1] ?? written?.[2] ?? '');
  if (writtenHost !== host) {
    return {
      path: ['baseUrl'],
      message: `host "${writtenHost}" is an unusual spelling of "${host}" — write it as ${url.hostname}`,
    };
  }
  return undefined;
}

/** An issue on `peakRate` when it is not a positive rate within `maxRate`. */
export function checkRate(peakRate: number, maxRate: number): Issue | undefined {
  if (!Number.isFinite(peakRate) || peakRate <= 0) {
    return {
      path: ['peakRate'],
      message: `peakRate must be a positive number of journey starts per second, not ${peakRate}`,
    };
  }
  if (!(peakRate <= maxRate)) {
    return {
      path: ['peakRate'],
      message: `peakRate ${peakRate}/s is above the rate cap maxRate ${maxRate}/s — lower peakRate, or raise maxRate if the target can take it`,
    };
  }
  return undefined;
}
