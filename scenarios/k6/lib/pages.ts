// A page view as a browser makes it: the HTML (tagged with a stable endpoint name, cache-busted
// when the plan says so), then the stylesheets, scripts and images it references.

import http, { type RefinedResponse, type ResponseType } from 'k6/http';
import { fetchAssets } from './assets.ts';
import { bodyText } from './html.ts';
import { storeUrl } from './plan-data.ts';

export interface PageView {
  res: RefinedResponse<ResponseType | undefined>;
  html: string;
}

export function visit(path: string, name: string): PageView {
  const res = http.get(storeUrl(path), { tags: { name } });
  const html = bodyText(res);
  if (res.status === 200 && html) fetchAssets(html);
  return { res, html };
}
