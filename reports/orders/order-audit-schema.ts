// The orders of a run, reconciled by id with the store (record.json `orders`): which order ids
// the runners were told were accepted (from the raw samples), and what the store holds after the
// run. The store's side is looked up by the run stage (SQL on the local replica, WooCommerce's
// REST API elsewhere) and reduced here to findings; explanations are the analysis's job.
import { z } from 'zod';

const count = () => z.number().int().nonnegative();
const orderId = () => z.number().int().positive();
const unixS = () => z.number().nonnegative();

/** Lists are cut at this many entries; the counts stay whole. */
export const MAX_LISTED = 200;

export const orderAuditSchema = z
  .object({
    checkedAt: z.iso.datetime().describe('When the store was asked (ISO 8601, UTC).'),
    source: z
      .enum(['mariadb', 'woocommerce-rest', 'none'])
      .describe('How: SQL on the local replica, the WooCommerce REST API, or not at all (see notChecked).'),
    where: z.string().describe('What was asked, without credentials (a table, or the REST base URL).'),
    window: z
      .object({ from: unixS().describe('Start, unix s.'), to: unixS().describe('End, unix s.') })
      .describe('Orders created in [from, to] (unix s) were compared with the accepted ids (unseen, duplicates).'),
    looked: z
      .object({
        accepted: count().describe('Accepted ids looked up by id.'),
        inWindow: count().describe('Orders the store holds that were created in the window.'),
        products: count().nullable().describe('Products whose stock was read; null when stock was not checked.'),
      })
      .describe('How much the store was asked about.'),
    missing: z
      .object({
        count: count().describe('Accepted ids the store does not hold.'),
        ids: z.array(orderId()).describe(`Those ids, sorted; at most ${MAX_LISTED}.`),
      })
      .describe('Accepted orders the store does not hold.'),
    duplicates: z
      .object({
        count: count().describe('Carts with more than one order.'),
        carts: z
          .array(
            z.object({
              cart: z
                .string()
                .describe(
                  'The cart key (replica: cart session; REST: billing email, one per cart in the checkout journey).',
                ),
              ids: z.array(orderId()).describe("Its orders' ids, sorted."),
            }),
          )
          .describe(`At most ${MAX_LISTED}.`),
      })
      .describe('Two or more orders from one cart.'),
    oversold: z
      .object({
        count: count().describe('Products with stock below zero.'),
        products: z
          .array(
            z.object({
              id: z.number().int().describe('Product id.'),
              name: z.string().describe('Product name.'),
              stock: z.number().int().describe('Units in stock after the run (negative).'),
            }),
          )
          .describe(`Most oversold first; at most ${MAX_LISTED}.`),
      })
      .describe('Products whose stock is below zero.'),
    unseen: z
      .object({
        count: count().describe('Orders created in the window that no runner accepted.'),
        orders: z
          .array(
            z.object({
              id: orderId().describe('Order id.'),
              createdAt: unixS().describe('When the store created it, unix s.'),
              cart: z.string().describe('Its cart key (see duplicates), or "".'),
            }),
          )
          .describe(`Sorted by id; at most ${MAX_LISTED}.`),
      })
      .describe('Orders created in the window that no runner recorded as accepted.'),
    notChecked: z.array(z.string()).describe('What could not be checked, and why (e.g. no REST key for a URL target).'),
  })
  .describe("The store's side of the orders, reduced to findings.");

export const runOrdersSchema = z
  .object({
    accepted: z
      .array(orderId())
      .describe(
        'Ids of the orders the store accepted (checkout answered an order id and payment success), sorted, each once.',
      ),
    repeatedIds: count().describe(
      'Accepted samples whose id had been seen already (the store gave one id to two checkouts).',
    ),
    withoutId: count().describe(
      'rehearse_orders samples without an order_id (journeys written before ids were recorded).',
    ),
    audit: orderAuditSchema
      .optional()
      .describe('The store looked up after the run; absent when the run stage did not (or could not) ask.'),
  })
  .describe("Orders accepted during the run, by id, and the store's side of them.");

export type OrderAudit = z.infer<typeof orderAuditSchema>;
export type RunOrders = z.infer<typeof runOrdersSchema>;
