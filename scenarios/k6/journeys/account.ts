// Returning customer: WordPress's login form → log in → my account → orders. The customers'
// shared password comes from REHEARSE_CUSTOMER_PASSWORD (the runner reads it from the replica's
// state dir; for --target url the user sets it), never from the plan.

import { check, fail } from 'k6';
import { bodyText } from '../lib/html.ts';
import { visit } from '../lib/pages.ts';
import { send } from '../lib/request.ts';
import { customers, storeUrl } from '../lib/plan-data.ts';
import { think } from '../lib/think.ts';

const PASSWORD = __ENV.REHEARSE_CUSTOMER_PASSWORD ?? '';

export function account(): void {
  if (!PASSWORD || customers.length === 0) {
    fail(
      'the account journey needs customers in the catalogue and REHEARSE_CUSTOMER_PASSWORD set — seed the store (local replica: automatic) or remove "account" from the mix',
    );
  }
  const customer = customers[Math.floor(Math.random() * customers.length)]!;
  const form = visit('/wp-login.php', 'login-form'); // sets WordPress's test cookie, as a browser gets it
  check(form.res, { 'login-form: shows the form': () => form.res.status === 200 && form.html.includes('name="log"') });
  think();

  const credentials = {
    log: customer.username,
    pwd: PASSWORD,
    'wp-submit': 'Log In',
    testcookie: '1',
    redirect_to: storeUrl('/my-account/'),
  };
  // WordPress answers a good login with a redirect to redirect_to: followed on the allowlist only.
  const login = send('POST', storeUrl('/wp-login.php'), credentials, { name: 'login', kind: 'page' });
  const home = bodyText(login.res);
  check(login.res, {
    'login: lands on my account as the customer': (r) =>
      r.status === 200 && login.url.includes('/my-account/') && home.includes(customer.username),
  });
  think();

  const orders = visit('/my-account/orders/', 'account-orders');
  check(orders.res, {
    'account-orders: lists the orders': () =>
      orders.res.status === 200 &&
      (orders.html.includes('woocommerce-orders-table') || orders.html.includes('No order has been made yet')),
  });
}
