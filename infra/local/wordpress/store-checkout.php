<?php
// Places an order in ONE MariaDB transaction: the order row (claiming the checkout's idempotency
// key), stock decrements (refusing when short) and the items; with the WooCommerce calibration
// also WooCommerce's HPOS rows (wc_orders, addresses, operational data, meta, order items and
// item meta), total_sales updates and one queued Action Scheduler job. The Store API answers
// success only after COMMIT, so an order the store accepted is an order the database holds.
//
// Never run twice, never half-written:
// - The key (customer + Idempotency-Key header, else customer + cart id) has a unique index: a
//   replayed checkout answers the order already placed instead of placing another.
// - The transaction runs on the raw mysqli connection, not through wpdb: wpdb reconnects after
//   "server has gone away" and re-runs the statement in autocommit, which would commit the rest
//   of a half-done order. Here a dropped connection is an error; the server rolls the
//   transaction back, and the whole transaction is tried again on a new connection (the key
//   makes that safe even when the COMMIT itself went through before the drop).
defined('ABSPATH') || exit;

const REHEARSE_PAYMENT_METHODS = ['cod', 'bacs', 'cheque'];

final class Rehearse_Tx_Error extends Exception {
}

/** One statement of the order transaction on the raw connection; throws on any failure. */
final class Rehearse_Order_Tx {
    private $dbh;
    private $fault_after;
    public $sent = 0;

    public function __construct($dbh, $fault_after) {
        $this->dbh = $dbh;
        $this->fault_after = $fault_after;
    }

    /** @return int affected rows */
    public function run($sql) {
        if ($this->fault_after !== null && $this->sent === $this->fault_after) {
            // Test fault: the connection dies mid-transaction (the server kills it).
            try {
                mysqli_query($this->dbh, 'KILL ' . (int) mysqli_thread_id($this->dbh));
            } catch (Throwable $e) {
                // the kill itself reports the killed connection
            }
        }
        $this->sent++;
        rehearse_cost_count($sql);
        try {
            $ok = mysqli_query($this->dbh, $sql);
        } catch (mysqli_sql_exception $e) {
            throw new Rehearse_Tx_Error($e->getMessage(), $e->getCode());
        }
        if ($ok === false) {
            throw new Rehearse_Tx_Error((string) mysqli_error($this->dbh), (int) mysqli_errno($this->dbh));
        }
        return (int) mysqli_affected_rows($this->dbh);
    }

    public function insert_id() {
        return (int) mysqli_insert_id($this->dbh);
    }

    public function rollback() {
        try {
            @mysqli_query($this->dbh, 'ROLLBACK');
        } catch (Throwable $e) {
            // the connection is gone: the server rolled back already
        }
    }
}

/**
 * Test-only fault injection, enabled by a file test-faults in the replica's wordpress dir: header
 * X-Rehearse-Fault "db-drop-once:N" drops the DB connection after N statements of the first
 * attempt, "db-drop-always:N" of every attempt. @return [N, always] or null
 */
function rehearse_checkout_fault() {
    if (!file_exists(dirname(ABSPATH) . '/test-faults')) {
        return null;
    }
    $h = $_SERVER['HTTP_X_REHEARSE_FAULT'] ?? '';
    return preg_match('/^db-drop-(once|always):(\d+)$/', $h, $m) ? [(int) $m[2], $m[1] === 'always'] : null;
}

/** The placed order holding this checkout key, or null. */
function rehearse_order_by_key($key) {
    global $wpdb;
    $row = $wpdb->get_row($wpdb->prepare("SELECT * FROM {$wpdb->prefix}rehearse_orders WHERE checkout_key = %s", $key), ARRAY_A);
    return $row ?: null;
}

/** WooCommerce's HPOS rows and side effects of one order (calibrated shop only), inside the transaction. */
function rehearse_write_wc_order(Rehearse_Order_Tx $tx, $order_id, array $order, array $lines, array $billing, array $shipping) {
    global $wpdb;
    $p = $wpdb->prefix;
    $now = $order['created_at'];
    $target = rehearse_cost_config()['endpoints']['checkout']['split'] ?? ['insert' => 0, 'update' => 0, 'delete' => 0];
    $tx->run($wpdb->prepare("INSERT INTO {$p}wc_orders (id, status, currency, type, tax_amount, total_amount, customer_id, billing_email, date_created_gmt, date_updated_gmt, parent_order_id, payment_method, payment_method_title, transaction_id, ip_address, user_agent, customer_note)"
        . " VALUES (%d, 'wc-pending', %s, 'shop_order', 0, %f, %d, %s, %s, %s, 0, %s, %s, '', %s, %s, '')",
        $order_id, $order['currency'], $order['total'], $order['customer_id'], $order['billing_email'], $now, $now, $order['payment_method'],
        'Cash on delivery', $_SERVER['REMOTE_ADDR'] ?? '', substr($_SERVER['HTTP_USER_AGENT'] ?? '', 0, 255)));
    foreach (['billing' => $billing, 'shipping' => $shipping] as $type => $a) {
        $tx->run($wpdb->prepare("INSERT INTO {$p}wc_order_addresses (order_id, address_type, first_name, last_name, company, address_1, address_2, city, state, postcode, country, email, phone)"
            . ' VALUES (%d, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)', $order_id, $type, $a['first_name'], $a['last_name'], $a['company'],
            $a['address_1'], $a['address_2'], $a['city'], $a['state'], $a['postcode'], $a['country'], $type === 'billing' ? $a['email'] : null, $a['phone']));
    }
    $tx->run($wpdb->prepare("INSERT INTO {$p}wc_order_operational_data (order_id, created_via, woocommerce_version, prices_include_tax, coupon_usages_are_counted, download_permission_granted, cart_hash, new_order_email_sent, order_key, order_stock_reduced, date_paid_gmt, date_completed_gmt, shipping_tax_amount, shipping_total_amount, discount_tax_amount, discount_total_amount, recorded_sales)"
        . " VALUES (%d, 'store-api', '10.0.2', 0, 0, 0, %s, 0, %s, 0, NULL, NULL, 0, 0, 0, 0, 0)", $order_id, md5(json_encode($lines)), $order['order_key']));
    foreach ($lines as $l) {
        $tx->run($wpdb->prepare("INSERT INTO {$p}woocommerce_order_items (order_item_name, order_item_type, order_id) VALUES (%s, 'line_item', %d)", $l['name'], $order_id));
        $item_id = $tx->insert_id();
        $meta = ['_product_id' => $l['id'], '_variation_id' => 0, '_qty' => $l['quantity'], '_tax_class' => '', '_line_subtotal' => $l['total'],
            '_line_subtotal_tax' => 0, '_line_total' => $l['total'], '_line_tax' => 0, '_line_tax_data' => 'a:2:{s:5:"total";a:0:{}s:8:"subtotal";a:0:{}}', '_reduced_stock' => $l['quantity']];
        foreach ($meta as $k => $v) {
            $tx->run($wpdb->prepare("INSERT INTO {$p}woocommerce_order_itemmeta (order_item_id, meta_key, meta_value) VALUES (%d, %s, %s)", $item_id, $k, (string) $v));
        }
        // WooCommerce re-reads the product while it writes the line.
        rehearse_cost_selects(6, [$l['id']], function ($sql) use ($tx) { $tx->run($sql); });
        $tx->run($wpdb->prepare("UPDATE {$wpdb->postmeta} SET meta_value = CAST(meta_value AS SIGNED) + %d WHERE post_id = %d AND meta_key = 'total_sales'", $l['quantity'], $l['id']));
    }
    $tx->run($wpdb->prepare("INSERT INTO {$p}woocommerce_order_items (order_item_name, order_item_type, order_id) VALUES ('Flat rate', 'shipping', %d)", $order_id));
    $ship_id = $tx->insert_id();
    foreach (['method_id' => 'flat_rate', 'instance_id' => '1', 'cost' => '0.00', 'total_tax' => '0', 'taxes' => 'a:1:{s:5:"total";a:0:{}}', 'Items' => ''] as $k => $v) {
        $tx->run($wpdb->prepare("INSERT INTO {$p}woocommerce_order_itemmeta (order_item_id, meta_key, meta_value) VALUES (%d, %s, %s)", $ship_id, $k, $v));
    }
    // One background job per order, as WooCommerce queues wc-admin_import_orders.
    $tx->run($wpdb->prepare("INSERT INTO {$p}actionscheduler_actions (hook, status, scheduled_date_gmt, scheduled_date_local, args, schedule, group_id, attempts, last_attempt_gmt, last_attempt_local, claim_id, extended_args)"
        . " VALUES ('wc-admin_import_orders', 'pending', %s, %s, %s, 'O:30:\"ActionScheduler_SimpleSchedule\":0:{}', 0, 0, '0000-00-00 00:00:00', '0000-00-00 00:00:00', 0, NULL)",
        $now, $now, wp_json_encode([$order_id])));
    // Order meta up to WooCommerce's INSERT count; UPDATEs and DELETEs up to theirs (order status
    // and paid date, operational flags; stale transients and edit locks). One INSERT is left for
    // the session write after COMMIT.
    $have = rehearse_cost_queries();
    $meta_keys = ['_billing_address_index', '_shipping_address_index', 'is_vat_exempt', '_wc_order_attribution_source_type', '_wc_order_attribution_utm_source',
        '_wc_order_attribution_session_entry', '_wc_order_attribution_session_start_time', '_wc_order_attribution_session_pages', '_wc_order_attribution_session_count',
        '_wc_order_attribution_user_agent', '_wc_order_attribution_device_type', '_order_stock_reduced', '_recorded_sales', '_new_order_email_sent'];
    for ($i = 0; $i < $target['insert'] - $have['insert'] - 1; $i++) {
        $tx->run($wpdb->prepare("INSERT INTO {$p}wc_orders_meta (order_id, meta_key, meta_value) VALUES (%d, %s, %s)", $order_id, $meta_keys[$i % count($meta_keys)] . ($i >= count($meta_keys) ? '_' . $i : ''), md5("$order_id/$i")));
    }
    $updates = ["UPDATE {$p}wc_orders SET status = 'wc-processing', date_updated_gmt = %s WHERE id = %d",
        "UPDATE {$p}wc_order_operational_data SET order_stock_reduced = 1, recorded_sales = 1, date_paid_gmt = %s WHERE order_id = %d",
        "UPDATE {$p}wc_order_operational_data SET new_order_email_sent = 1, cart_hash = cart_hash WHERE order_id = %d AND %s <> ''"];
    for ($i = 0; $i < $target['update'] - $have['update']; $i++) {
        $sql = $updates[$i % count($updates)];
        $tx->run($i % count($updates) === 2 ? $wpdb->prepare($sql, $order_id, $now) : $wpdb->prepare($sql, $now, $order_id));
    }
    $transients = ['wc_count_comments', 'wc_term_counts', 'wc_outofstock_count', 'wc_low_stock_count', 'wc_report_orders_stats', 'wc_admin_unsnooze_admin_notes'];
    for ($i = 0; $i < $target['delete'] - $have['delete']; $i++) {
        $tx->run($i % 4 === 3
            ? $wpdb->prepare("DELETE FROM {$p}wc_orders_meta WHERE order_id = %d AND meta_key = '_edit_lock'", $order_id)
            : $wpdb->prepare("DELETE FROM {$wpdb->options} WHERE option_name = %s", '_transient_' . $transients[$i % count($transients)]));
    }
}

/** @return array|WP_Error the order row as placed (or as placed before, for a replayed key) */
function rehearse_place_order(Rehearse_Cart_Session $s, array $billing, array $shipping, $payment_method, $customer_id, $key) {
    global $wpdb;
    $lines = [];
    foreach ($s->cart as $item) {
        $p = rehearse_store_product($item['id']);
        if ($p === null) {
            return new WP_Error('woocommerce_rest_cart_invalid_product', 'This product cannot be purchased.', ['status' => 409]);
        }
        $unit = rehearse_product_price($p->ID);
        $lines[] = ['id' => $p->ID, 'name' => $p->post_title, 'quantity' => (int) $item['quantity'], 'total' => round($unit * $item['quantity'], 2)];
    }
    // Same lock order in every transaction: concurrent checkouts of the same products queue
    // instead of deadlocking.
    usort($lines, function ($a, $b) { return $a['id'] <=> $b['id']; });
    $calibrated = rehearse_cost_calibrated();
    if ($calibrated) {
        // WooCommerce validates the cart, computes totals and shipping and reads the customer
        // before it writes: three quarters of its SELECTs come before the order exists.
        $want = (int) (rehearse_cost_config()['endpoints']['checkout']['split']['select'] ?? 0);
        rehearse_cost_selects((int) ($want * 0.75) - rehearse_cost_queries()['select'], array_column($lines, 'id'));
    }
    $total = round(array_sum(array_column($lines, 'total')), 2);
    $order = [
        'order_key' => 'wc_order_' . wp_generate_password(13, false),
        'status' => 'processing',
        'customer_id' => (int) $customer_id,
        'session_id' => $s->customer_id,
        'checkout_key' => $key,
        'billing_email' => $billing['email'],
        'billing_address' => wp_json_encode($billing),
        'shipping_address' => wp_json_encode($shipping),
        'payment_method' => $payment_method,
        'currency' => 'USD',
        'total' => $total,
        'created_at' => current_time('mysql', true),
    ];
    $fault = rehearse_checkout_fault();
    for ($attempt = 1; ; $attempt++) {
        if ($attempt > 1 && (empty($wpdb->dbh) || !@mysqli_ping($wpdb->dbh))) {
            $wpdb->check_connection(false); // a new connection, outside any transaction
        }
        $tx = new Rehearse_Order_Tx($wpdb->dbh, $fault && ($fault[1] || $attempt === 1) ? $fault[0] : null);
        try {
            $tx->run('START TRANSACTION');
            $cols = implode(', ', array_keys($order));
            $tx->run($wpdb->prepare("INSERT INTO {$wpdb->prefix}rehearse_orders ($cols) VALUES (%s, %s, %d, %s, %s, %s, %s, %s, %s, %s, %f, %s)", array_values($order)));
            $order_id = $tx->insert_id();
            foreach ($lines as $l) {
                $n = $tx->run($wpdb->prepare(
                    "UPDATE {$wpdb->postmeta} SET meta_value = CAST(meta_value AS SIGNED) - %d WHERE post_id = %d AND meta_key = '_stock' AND CAST(meta_value AS SIGNED) >= %d",
                    $l['quantity'], $l['id'], $l['quantity']));
                if ($n === 0) {
                    $tx->rollback();
                    return new WP_Error('woocommerce_rest_product_out_of_stock',
                        sprintf('There are not enough "%s" in stock. Please reduce the quantity in your cart.', $l['name']), ['status' => 409]);
                }
                $tx->run($wpdb->prepare("INSERT INTO {$wpdb->prefix}rehearse_order_items (order_id, product_id, name, quantity, line_total) VALUES (%d, %d, %s, %d, %f)",
                    $order_id, $l['id'], $l['name'], $l['quantity'], $l['total']));
            }
            if ($calibrated) {
                rehearse_write_wc_order($tx, $order_id, $order, $lines, $billing, $shipping);
            }
            $tx->run('COMMIT');
            break;
        } catch (Rehearse_Tx_Error $e) {
            $tx->rollback();
            $errno = $e->getCode();
            if ($errno === 1062 && ($placed = rehearse_order_by_key($key))) {
                return $placed; // this checkout was placed already (a replay, or a COMMIT whose answer was lost)
            }
            // Deadlock, lock wait, and a connection that went away: the transaction did not
            // commit (or committed under the key, which the next attempt finds).
            $retry = in_array($errno, [1205, 1213, 1927, 2006, 2013], true);
            if ($attempt >= 3 || !$retry) {
                error_log("rehearse checkout: order not placed: [$errno] " . $e->getMessage());
                return new WP_Error('woocommerce_rest_checkout_error', 'Unable to create order.', ['status' => $retry ? 503 : 500]);
            }
        }
    }
    foreach ($lines as $l) {
        wp_cache_delete($l['id'], 'post_meta'); // the stock just changed under the object cache
    }
    return ['id' => $order_id] + $order;
}

/** POST checkout body → order, as WooCommerce's CheckoutSchema answers it. */
function rehearse_checkout(WP_REST_Request $req, Rehearse_Cart_Session $s) {
    rehearse_cost_endpoint('checkout');
    // The idempotency key: one order per cart (or per Idempotency-Key the client sends).
    $asked = substr(preg_replace('/[^A-Za-z0-9_.:-]/', '', (string) $req->get_header('idempotency_key')), 0, 64);
    $key = $s->customer_id . ':' . ($asked !== '' ? 'k:' . $asked : 'c:' . ($s->cart_id ?? md5(json_encode($s->cart))));
    $placed = $asked !== '' ? rehearse_order_by_key($key) : null;
    if ($placed === null) {
        if (!$s->cart) {
            return new WP_Error('woocommerce_rest_cart_empty', 'Cannot create order from empty cart.', ['status' => 400]);
        }
        $billing = rehearse_address_json((array) $req->get_param('billing_address'));
        $shipping = rehearse_address_json((array) ($req->get_param('shipping_address') ?: $req->get_param('billing_address')));
        if (!is_email($billing['email'])) {
            return new WP_Error('rest_invalid_param', 'Invalid parameter(s): billing_address',
                ['status' => 400, 'params' => ['billing_address' => 'A valid email address is required']]);
        }
        $method = (string) $req->get_param('payment_method');
        if (!in_array($method, REHEARSE_PAYMENT_METHODS, true)) {
            return new WP_Error('woocommerce_rest_checkout_invalid_payment_method', 'The selected payment method is not available.', ['status' => 400]);
        }
        $placed = rehearse_place_order($s, $billing, $shipping, $method, get_current_user_id(), $key);
        if (is_wp_error($placed)) {
            return $placed;
        }
    }
    if ($s->cart) {
        $s->cart = [];
        $s->cart_id = null;
        $s->save();
    }
    $billing = json_decode($placed['billing_address'], true) ?: rehearse_address_json();
    return [
        'order_id' => (int) $placed['id'],
        'status' => $placed['status'],
        'order_key' => $placed['order_key'],
        'order_number' => (string) $placed['id'],
        'customer_note' => '',
        'customer_id' => (int) $placed['customer_id'],
        'billing_address' => $billing,
        'shipping_address' => json_decode($placed['shipping_address'], true) ?: $billing,
        'payment_method' => $placed['payment_method'],
        'payment_result' => [
            'payment_status' => 'success',
            'payment_details' => [],
            'redirect_url' => home_url("/checkout/order-received/{$placed['id']}/?key={$placed['order_key']}"),
        ],
        'extensions' => new stdClass(),
    ];
}
