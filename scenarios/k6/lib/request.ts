// Every journey request goes through here: k6 never follows a redirect by itself (entry.ts sets
// maxRedirects 0); this follows it only to a host on the plan's allowlist. A redirect elsewhere
// fails the request: it is not followed, the check "redirect: stays on the allowed hosts" fails
// and rehearse_redirects_refused counts it. Every request carries a `kind` tag (page, api, asset)
// that the capacity and judge stages group by; pages and API calls are also timed apart from
// assets (page-api-duration.ts) for the SLO's k6 thresholds.

import { check } from 'k6';
import http, { type RefinedParams, type RefinedResponse, type ResponseType } from 'k6/http';
import { Counter } from 'k6/metrics';
import { timePageOrApi } from './page-api-duration.ts';
import { allowsUrl } from './plan-data.ts';
import { resolveLocation } from './urls.ts';

export type RequestKind = 'page' | 'api' | 'asset';

export const refusedRedirects = new Counter('rehearse_redirects_refused');

/** Enough for a login or a search landing on a product; a loop is a store fault, not a journey. */
const MAX_HOPS = 5;

export interface Followed {
  /** The last response (the redirect itself when it was refused or the hops ran out). */
  res: RefinedResponse<ResponseType | undefined>;
  /** URL of the last response. */
  url: string;
  /** At least one redirect was followed. */
  redirected: boolean;
  /** A redirect pointed off the allowlist and was not followed. */
  refused: boolean;
}

export interface SendOptions {
  /** Stable endpoint name (never the URL). */
  name: string;
  kind: RequestKind;
  /** Name of the requests after a redirect (default: name). */
  redirectName?: string;
  headers?: Record<string, string>;
}

const isRedirect = (status: number) => [301, 302, 303, 307, 308].includes(status);

export function send(
  method: 'GET' | 'POST',
  url: string,
  body: string | Record<string, string> | null,
  o: SendOptions,
): Followed {
  const params = (name: string): RefinedParams<ResponseType> => ({
    redirects: 0,
    tags: { name, kind: o.kind },
    ...(o.headers ? { headers: o.headers } : {}),
  });
  let res = http.request(method, url, body, params(o.name));
  timePageOrApi(res, o.kind);
  let at = url;
  let redirected = false;
  for (let hop = 0; hop < MAX_HOPS && isRedirect(res.status); hop++) {
    const location = String(res.headers['Location'] ?? '');
    if (!location) break;
    const next = resolveLocation(at, location);
    if (!allowsUrl(next)) {
      refusedRedirects.add(1, { name: o.name });
      check(res, { 'redirect: stays on the allowed hosts': () => false });
      return { res, url: at, redirected, refused: true };
    }
    // 307/308 repeat the request; the others become a GET, as browsers do.
    const same = res.status === 307 || res.status === 308;
    res = http.request(same ? method : 'GET', next, same ? body : null, params(o.redirectName ?? o.name));
    timePageOrApi(res, o.kind);
    at = next;
    redirected = true;
  }
  return { res, url: at, redirected, refused: false };
}
