// The checkout_success Rate: one sample per checkout attempt, true when an order came back. The
// plan's SLO threshold `checkout_success: ["rate>=x"]` reads it (scenarios/slo/README.md).
// k6 refuses a threshold on a metric no module defines, so this module is always loaded (the
// replay journey imports it); the checkout journey adds the samples:
//   import { checkoutSuccess } from '../lib/checkout-success.ts';  checkoutSuccess.add(orderPlaced);
// With no samples the threshold passes in k6; the CI gate still judges checkout success from the record.

import { Rate } from 'k6/metrics';

export const checkoutSuccess = new Rate('checkout_success');
