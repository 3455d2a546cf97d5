// Which store lookup reconciles a run's orders (reports/orders): SQL on the local replica; the
// WooCommerce REST API for an AWS stack or a URL, with the key from the environment only. With no
// key, the lookup says exactly what it could not check.
import type { OrderFactsLookup } from '../reports/orders/audit-record.ts';
import { noKeyFacts, wooCredentialsFromEnv, wooOrderFacts } from './woocommerce/rest-order-facts.ts';

export function orderFactsFor(
  target: { kind: 'local' | 'url' | 'aws'; baseUrl: string },
  env: NodeJS.ProcessEnv = process.env,
): OrderFactsLookup {
  if (target.kind === 'local')
    return async (accepted, window) => (await import('./local/order-facts.ts')).localOrderFacts(accepted, window);
  return async (accepted, window) => {
    const credentials = wooCredentialsFromEnv(env);
    if (!credentials) return noKeyFacts(target.baseUrl, window, env);
    return wooOrderFacts({ baseUrl: target.baseUrl, credentials, accepted, window });
  };
}
