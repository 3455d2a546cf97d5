// Replays a shop's own traffic: iteration i of the `replay` scenario requests the i-th logged GET
// URL (path + query, against the plan's target — never the logged host). The plan's stages start
// iterations at the logged pace, so the URLs go out in order and on time (to the stage bucket).
// Requests are tagged with the URL's class (browse, search, cart, …) as `name`.

import { check } from 'k6';
import { SharedArray } from 'k6/data';
import exec from 'k6/execution';
import http from 'k6/http';
import { plan } from '../lib/plan-data.ts';
// Defines checkout_success in every run, so an SLO threshold on it never stops k6 from starting.
import '../lib/checkout-success.ts';
import { timePageOrApi } from '../lib/page-api-duration.ts';

interface ReplayUrl {
  path: string;
  name: string;
}

const urls: ReplayUrl[] = new SharedArray<ReplayUrl>('rehearse:replay', () => {
  const file = plan.replay?.file;
  if (!file) return []; // not a replay plan: the replay scenario is not in it either
  const data = JSON.parse(open(file)) as { urls: Array<[number, string, string]> };
  return data.urls.map(([, path, name]) => ({ path, name }));
});

const base = plan.target.baseUrl.replace(/\/+$/, '');

/** The request kind (page, api, asset) every request is tagged with, from the logged path. */
function kindOf(path: string): 'page' | 'api' | 'asset' {
  const p = path.split('?')[0]!;
  if (p.startsWith('/wp-json/') || p.startsWith('/wc/store/')) return 'api';
  if (/^\/wp-(content|includes)\//.test(p)) return 'asset';
  if (/\.(css|js|mjs|png|jpe?g|gif|webp|avif|svg|ico|woff2?|ttf|map)$/i.test(p)) return 'asset';
  return 'page';
}

export function replay(): void {
  if (urls.length === 0)
    throw new Error(
      `plan ${plan.id}: the replay scenario needs plan.replay.file with URLs — build the plan with buildReplayPlan`,
    );
  const i = exec.scenario.iterationInTest;
  if (i >= urls.length) return; // the plan schedules half an iteration spare, so none is lost to rounding
  const u = urls[i]!;
  const kind = kindOf(u.path);
  const res = http.get(base + u.path, { tags: { name: u.name, kind }, redirects: 0 });
  timePageOrApi(res, kind);
  // Logged 404s replay as 404s; only what the store could not serve counts against it.
  check(res, { 'replay: no server error': (r) => r.status > 0 && r.status < 500 });
}
