// rehearse_page_api_duration: how long each page and Store API request took — never an asset —
// one sample per request, the value of its http_req_duration. The SLO's latency limits are k6
// thresholds on it per journey (scenarios/slo/slo-thresholds.ts), so k6 judges what the gate
// judges (journey latency leaves assets out: reports/record/build-record.ts): a page is not fast
// because its 39 stylesheets came back in 2 ms. k6 cannot filter http_req_duration by "kind is
// page or api", hence this metric. Always loaded (request.ts and the replay journey import it):
// k6 refuses a threshold on a metric no module defines.

import { type RefinedResponse, type ResponseType } from 'k6/http';
import { Trend } from 'k6/metrics';
import { PAGE_API_DURATION_METRIC } from '../../slo/slo-thresholds.ts';

const pageApiDuration = new Trend(PAGE_API_DURATION_METRIC, true);

/** Adds the request's duration when it is a page or an API call. */
export function timePageOrApi(res: RefinedResponse<ResponseType | undefined>, kind: 'page' | 'api' | 'asset'): void {
  if (kind !== 'asset') pageApiDuration.add(res.timings.duration, { kind });
}
