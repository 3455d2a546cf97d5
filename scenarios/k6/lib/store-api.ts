// A WooCommerce Store API client as the checkout block in a browser uses it: the session rides
// in the VU's cookie jar (wp_woocommerce_session_*), and every write carries the Nonce header
// from the latest response (WooCommerce refreshes it in each one). Requests are tagged
// api:cart, api:add-item, api:remove-item, api:checkout, all kind=api; checks verify the JSON, not
// only status.

import { check } from 'k6';
import { type RefinedResponse, type ResponseType } from 'k6/http';
import { apiUrl } from './plan-data.ts';
import { send } from './request.ts';

export interface CartItem {
  key: string;
  id: number;
  quantity: number;
}
export interface Cart {
  items: CartItem[];
  items_count: number;
}
export interface Address {
  first_name: string;
  last_name: string;
  address_1: string;
  city: string;
  postcode: string;
  country: string;
  email: string;
}

function json<T>(r: RefinedResponse<ResponseType | undefined>): T | undefined {
  try {
    return r.json() as unknown as T;
  } catch {
    return undefined;
  }
}

export class StoreApi {
  /** From the latest response; a browser's checkout block keeps it the same way. */
  nonce = '';

  private remember(r: RefinedResponse<ResponseType | undefined>): void {
    const n = r.headers['Nonce'];
    if (n) this.nonce = n;
  }

  private post(route: string, body: unknown, name: string): RefinedResponse<ResponseType | undefined> {
    const headers = { 'Content-Type': 'application/json', Nonce: this.nonce };
    const { res: r } = send('POST', apiUrl(route), JSON.stringify(body), { name, kind: 'api', headers });
    this.remember(r);
    return r;
  }

  /** GET cart: also where a fresh visitor gets its Nonce. */
  cart(): Cart | undefined {
    const { res: r } = send('GET', apiUrl('cart'), null, { name: 'api:cart', kind: 'api' });
    this.remember(r);
    const cart = json<Cart>(r);
    check(r, {
      'cart: 200 with items and a Nonce': () => r.status === 200 && Array.isArray(cart?.items) && this.nonce !== '',
    });
    return cart;
  }

  addItem(id: number, quantity: number): Cart | undefined {
    const r = this.post('cart/add-item', { id, quantity }, 'api:add-item');
    const cart = json<Cart>(r);
    check(r, {
      'add-item: the cart holds the product': () =>
        (r.status === 201 || r.status === 200) &&
        (cart?.items ?? []).some((i) => i.id === id && i.quantity >= quantity),
    });
    return cart;
  }

  removeItem(key: string): Cart | undefined {
    const r = this.post('cart/remove-item', { key }, 'api:remove-item');
    const cart = json<Cart>(r);
    check(r, {
      'remove-item: the item is gone': () => r.status === 200 && !(cart?.items ?? []).some((i) => i.key === key),
    });
    return cart;
  }

  /** Places the order; the order id, or undefined when the store refused. */
  checkout(address: Address, paymentMethod: string): number | undefined {
    const r = this.post(
      'checkout',
      { billing_address: address, shipping_address: address, payment_method: paymentMethod },
      'api:checkout',
    );
    const order = json<{ order_id?: number; payment_result?: { payment_status?: string } }>(r);
    const placed =
      r.status === 200 && (order?.order_id ?? 0) > 0 && order?.payment_result?.payment_status === 'success';
    check(r, { 'checkout: order placed and paid': () => placed });
    return placed ? order!.order_id : undefined;
  }
}
