// A page view as a browser makes it: the HTML (tagged with a stable endpoint name and kind=page,
// cache-busted when the plan says so, redirects followed only on the allowlist), then the
// stylesheets, scripts and images it references.

import { type RefinedResponse, type ResponseType } from 'k6/http';
import { fetchAssets } from './assets.ts';
import { bodyText } from './html.ts';
import { storeUrl } from './plan-data.ts';
import { send } from './request.ts';

export interface PageView {
  res: RefinedResponse<ResponseType | undefined>;
  html: string;
  /** The URL the page came from (after redirects). */
  url: string;
  /** The store redirected (e.g. a search that matched one product) and the redirect was followed. */
  redirected: boolean;
}

export interface VisitOptions {
  /** Name of the page a redirect lands on (default: the same name). */
  redirectName?: string;
}

export function visit(path: string, name: string, o: VisitOptions = {}): PageView {
  return visitUrl(storeUrl(path), name, o);
}

/** A page view of an absolute URL on the store (a form's POST response is one too: see account.ts). */
export function visitUrl(url: string, name: string, o: VisitOptions = {}): PageView {
  const { res, url: at, redirected } = send('GET', url, null, { name, kind: 'page', ...o });
  return asPage(res, at, redirected);
}

export function asPage(res: RefinedResponse<ResponseType | undefined>, url: string, redirected: boolean): PageView {
  const html = bodyText(res);
  if (res.status === 200 && html) fetchAssets(html);
  return { res, html, url, redirected };
}
