<?php
// Places an order: ONE MariaDB transaction decrements each product's _stock (refusing when short)
// and writes the order and its items. The Store API answers success only after COMMIT, so an
// order the store accepted is an order the database holds.
defined('ABSPATH') || exit;

const REHEARSE_PAYMENT_METHODS = ['cod', 'bacs', 'cheque'];

/** @return array|WP_Error the order row as placed */
function rehearse_place_order(Rehearse_Cart_Session $s, array $billing, array $shipping, $payment_method, $customer_id) {
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
    $total = round(array_sum(array_column($lines, 'total')), 2);
    $order = [
        'order_key' => 'wc_order_' . wp_generate_password(13, false),
        'status' => 'processing',
        'customer_id' => (int) $customer_id,
        'session_id' => $s->customer_id,
        'billing_email' => $billing['email'],
        'billing_address' => wp_json_encode($billing),
        'shipping_address' => wp_json_encode($shipping),
        'payment_method' => $payment_method,
        'currency' => 'USD',
        'total' => $total,
        'created_at' => current_time('mysql', true),
    ];
    $orders = $wpdb->prefix . 'rehearse_orders';
    $items = $wpdb->prefix . 'rehearse_order_items';
    for ($attempt = 1; ; $attempt++) {
        $failed = null;
        $wpdb->query('START TRANSACTION');
        foreach ($lines as $l) {
            $n = $wpdb->query($wpdb->prepare(
                "UPDATE {$wpdb->postmeta} SET meta_value = CAST(meta_value AS SIGNED) - %d WHERE post_id = %d AND meta_key = '_stock' AND CAST(meta_value AS SIGNED) >= %d",
                $l['quantity'], $l['id'], $l['quantity']
            ));
            if ($n === false) {
                $failed = 'db';
                break;
            }
            if ($n === 0) {
                $wpdb->query('ROLLBACK');
                return new WP_Error('woocommerce_rest_product_out_of_stock',
                    sprintf('There are not enough "%s" in stock. Please reduce the quantity in your cart.', $l['name']), ['status' => 409]);
            }
        }
        if ($failed === null && $wpdb->insert($orders, $order) === false) {
            $failed = 'db';
        }
        $order_id = (int) $wpdb->insert_id;
        foreach ($failed === null ? $lines : [] as $l) {
            $row = ['order_id' => $order_id, 'product_id' => $l['id'], 'name' => $l['name'], 'quantity' => $l['quantity'], 'line_total' => $l['total']];
            if ($wpdb->insert($items, $row) === false) {
                $failed = 'db';
                break;
            }
        }
        if ($failed === null && $wpdb->query('COMMIT') !== false) {
            break;
        }
        $error = $wpdb->last_error;
        $wpdb->query('ROLLBACK');
        if ($attempt >= 3 || !preg_match('/Deadlock|Lock wait timeout/i', $error)) {
            error_log("rehearse checkout: order not placed: $error");
            return new WP_Error('woocommerce_rest_checkout_error', 'Unable to create order.', ['status' => 500]);
        }
    }
    foreach ($lines as $l) {
        wp_cache_delete($l['id'], 'post_meta'); // the stock just changed under the object cache
    }
    return ['id' => $order_id] + $order;
}

/** POST checkout body → order, as WooCommerce's CheckoutSchema answers it. */
function rehearse_checkout(WP_REST_Request $req, Rehearse_Cart_Session $s) {
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
    $placed = rehearse_place_order($s, $billing, $shipping, $method, get_current_user_id());
    if (is_wp_error($placed)) {
        return $placed;
    }
    $s->cart = [];
    $s->save();
    return [
        'order_id' => $placed['id'],
        'status' => $placed['status'],
        'order_key' => $placed['order_key'],
        'order_number' => (string) $placed['id'],
        'customer_note' => '',
        'customer_id' => $placed['customer_id'],
        'billing_address' => $billing,
        'shipping_address' => $shipping,
        'payment_method' => $method,
        'payment_result' => [
            'payment_status' => 'success',
            'payment_details' => [],
            'redirect_url' => home_url("/checkout/order-received/{$placed['id']}/?key={$placed['order_key']}"),
        ],
        'extensions' => new stdClass(),
    ];
}
