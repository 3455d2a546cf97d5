<?php
// JSON shapes of the Store API (wc/store/v1) as WooCommerce prints them: ProductSchema,
// CartSchema and CartItemSchema, reduced to simple products in one currency (USD, no tax).
defined('ABSPATH') || exit;

function rehearse_currency() {
    return ['currency_code' => 'USD', 'currency_symbol' => '$', 'currency_minor_unit' => 2, 'currency_decimal_separator' => '.',
        'currency_thousand_separator' => ',', 'currency_prefix' => '$', 'currency_suffix' => ''];
}

/** Prices travel in minor units, as strings: 19.99 → "1999". */
function rehearse_minor($amount) {
    return (string) (int) round(((float) $amount) * 100);
}

function rehearse_product_price($id) {
    return (float) get_post_meta($id, '_price', true);
}

/** Units in stock; null when the product does not manage stock. */
function rehearse_product_stock($id) {
    $stock = get_post_meta($id, '_stock', true);
    return $stock === '' ? null : (int) $stock;
}

function rehearse_product_images($id) {
    $src = get_post_meta($id, '_rehearse_image', true);
    return $src ? [['id' => 0, 'src' => $src, 'thumbnail' => $src, 'srcset' => '', 'sizes' => '', 'name' => basename($src), 'alt' => '']] : [];
}

function rehearse_product_json(WP_Post $p) {
    $price = rehearse_minor(rehearse_product_price($p->ID));
    $stock = rehearse_product_stock($p->ID);
    $in_stock = $stock === null || $stock > 0;
    $terms = get_the_terms($p, 'product_cat');
    $categories = [];
    foreach (is_array($terms) ? $terms : [] as $t) {
        $categories[] = ['id' => $t->term_id, 'name' => $t->name, 'slug' => $t->slug, 'link' => get_term_link($t)];
    }
    return [
        'id' => $p->ID,
        'name' => $p->post_title,
        'slug' => $p->post_name,
        'parent' => 0,
        'type' => 'simple',
        'variation' => '',
        'permalink' => get_permalink($p),
        'sku' => (string) get_post_meta($p->ID, '_sku', true),
        'short_description' => wpautop($p->post_excerpt),
        'description' => $p->post_content,
        'on_sale' => false,
        'prices' => ['price' => $price, 'regular_price' => $price, 'sale_price' => $price, 'price_range' => null] + rehearse_currency(),
        'price_html' => '<span class="woocommerce-Price-amount amount">$' . number_format(rehearse_product_price($p->ID), 2) . '</span>',
        'average_rating' => '0',
        'review_count' => 0,
        'images' => rehearse_product_images($p->ID),
        'categories' => $categories,
        'tags' => [],
        'attributes' => [],
        'variations' => [],
        'has_options' => false,
        'is_purchasable' => true,
        'is_in_stock' => $in_stock,
        'is_on_backorder' => false,
        'low_stock_remaining' => $stock !== null && $stock <= 10 ? $stock : null,
        'stock_availability' => ['text' => $in_stock ? 'In stock' : 'Out of stock', 'class' => $in_stock ? 'in-stock' : 'out-of-stock'],
        'sold_individually' => false,
        'add_to_cart' => ['text' => 'Add to cart', 'description' => sprintf('Add “%s” to your cart', $p->post_title),
            'url' => '?add-to-cart=' . $p->ID, 'single_text' => 'Add to cart', 'minimum' => 1, 'maximum' => 9999, 'multiple_of' => 1],
        'extensions' => new stdClass(),
    ];
}

/** A published product by id, or null. */
function rehearse_store_product($id) {
    $p = get_post((int) $id);
    return $p && $p->post_type === 'product' && $p->post_status === 'publish' ? $p : null;
}

function rehearse_address_json($a = []) {
    $fields = ['first_name', 'last_name', 'company', 'address_1', 'address_2', 'city', 'state', 'postcode', 'country', 'email', 'phone'];
    $out = [];
    foreach ($fields as $f) {
        $out[$f] = isset($a[$f]) ? sanitize_text_field((string) $a[$f]) : '';
    }
    return $out;
}

function rehearse_cart_json(Rehearse_Cart_Session $s) {
    $items = [];
    $total = 0;
    foreach ($s->cart as $item) {
        $p = rehearse_store_product($item['id']);
        if ($p === null) {
            continue;
        }
        $unit = rehearse_product_price($p->ID);
        $line = rehearse_minor($unit * $item['quantity']);
        $total += (int) $line;
        $stock = rehearse_product_stock($p->ID);
        $items[] = [
            'key' => $item['key'],
            'id' => $p->ID,
            'type' => 'simple',
            'quantity' => (int) $item['quantity'],
            'quantity_limits' => ['minimum' => 1, 'maximum' => $stock ?? 9999, 'multiple_of' => 1, 'editable' => true],
            'name' => $p->post_title,
            'short_description' => wpautop($p->post_excerpt),
            'description' => $p->post_content,
            'sku' => (string) get_post_meta($p->ID, '_sku', true),
            'low_stock_remaining' => $stock !== null && $stock <= 10 ? $stock : null,
            'backorders_allowed' => false,
            'show_backorder_badge' => false,
            'sold_individually' => false,
            'permalink' => get_permalink($p),
            'images' => rehearse_product_images($p->ID),
            'variation' => [],
            'item_data' => [],
            'prices' => ['price' => rehearse_minor($unit), 'regular_price' => rehearse_minor($unit), 'sale_price' => rehearse_minor($unit), 'price_range' => null] + rehearse_currency(),
            'totals' => ['line_subtotal' => $line, 'line_subtotal_tax' => '0', 'line_total' => $line, 'line_total_tax' => '0'] + rehearse_currency(),
            'catalog_visibility' => 'visible',
            'extensions' => new stdClass(),
        ];
    }
    $zero = '0';
    return [
        'items' => $items,
        'coupons' => [],
        'fees' => [],
        'totals' => ['total_items' => (string) $total, 'total_items_tax' => $zero, 'total_fees' => $zero, 'total_fees_tax' => $zero,
            'total_discount' => $zero, 'total_discount_tax' => $zero, 'total_shipping' => $zero, 'total_shipping_tax' => $zero,
            'total_price' => (string) $total, 'total_tax' => $zero, 'tax_lines' => []] + rehearse_currency(),
        'shipping_address' => rehearse_address_json(),
        'billing_address' => rehearse_address_json(),
        'needs_payment' => $total > 0,
        'needs_shipping' => count($items) > 0,
        'payment_requirements' => ['products'],
        'has_calculated_shipping' => false,
        'shipping_rates' => [],
        'items_count' => $s->items_count(),
        'items_weight' => 0,
        'cross_sells' => [],
        'errors' => [],
        'payment_methods' => REHEARSE_PAYMENT_METHODS,
        'extensions' => new stdClass(),
    ];
}
