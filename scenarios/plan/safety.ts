// Where load may go and how much: a run only targets hosts on its allowlist and never exceeds
// its rate cap. Pure checks, used when a plan is built, when it is read back, and (the host
// check) again inside k6.

import type { Issue } from '../profile/issues.ts';

/** Loopback only, unless the run names its targets explicitly. */
export const DEFAULT_ALLOW_HOSTS: readonly string[] = ['127.0.0.1', 'localhost', '::1'];

/** Journey starts per second at the peak, all journeys together, unless the run says otherwise. */
export const DEFAULT_MAX_RATE = 50;

/**
 * HTTP requests per second at the peak (assets included, as --peak-rps counts them), unless the
 * run says otherwise (--max-rps). 500/s is more than the local replica serves and a modest load
 * for a real store's balancer: a typo in a rate cannot send a flood.
 */
export const DEFAULT_MAX_RPS = 500;

/** Room for k6's rounding of stage targets (whole arrivals per time unit) when a plan is read back. */
export const RPS_ROUNDING = 0.01;

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

/**
 * An issue on `maxRps` when the requests/s at the peak (`peakRps`, assets included) exceed it.
 * `what` says where the figure came from ("peakRate 10/s × 42 requests per journey start");
 * `slack` is the share above the cap let through (k6's rounding, when a plan is read back);
 * `lower` says how to lower the load.
 */
export function checkRps(
  peakRps: number,
  maxRps: number,
  what: string,
  o: { slack?: number; lower?: string } = {},
): Issue | undefined {
  if (!(Number.isFinite(maxRps) && maxRps > 0))
    return { path: ['maxRps'], message: `maxRps must be a positive number of requests per second, not ${maxRps}` };
  if (!(peakRps <= maxRps * (1 + (o.slack ?? 0)))) {
    return {
      path: ['maxRps'],
      message: `${what} makes ${round1(peakRps)} requests/s at the peak (assets included), above the request cap maxRps ${maxRps}/s — ${o.lower ?? 'lower the rate (--peak-rps or --peak-rate)'}, or raise the cap with --max-rps if the target can take it`,
    };
  }
  return undefined;
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
