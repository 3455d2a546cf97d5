<?php
/**
 * Plugin Name: Rehearse Store API
 * Description: The WooCommerce Store API (wc/store/v1) calls a sale day makes — products, cart, add/remove item, checkout — with WooCommerce's JSON, headers, cookies and refusals. Must-use plugin of the local replica; source in infra/local/wordpress/.
 */
defined('ABSPATH') || exit;

require_once WP_CONTENT_DIR . '/rehearse-redis.php';
require_once __DIR__ . '/rehearse-store/store-session.php';
require_once __DIR__ . '/rehearse-store/store-schema.php';
require_once __DIR__ . '/rehearse-store/store-checkout.php';

/** Runs a cart/checkout handler with the session, the nonce rule for writes and WooCommerce's headers. */
function rehearse_cart_route($handler, $write) {
    return function (WP_REST_Request $req) use ($handler, $write) {
        try {
            $session = Rehearse_Cart_Session::current();
        } catch (RuntimeException $e) {
            return new WP_Error('woocommerce_rest_session_unavailable', $e->getMessage(), ['status' => 503]);
        }
        $refused = $write ? rehearse_store_nonce_error($session) : null;
        if ($refused) {
            return rehearse_store_response($refused, 0, $session);
        }
        $result = $handler($req, $session);
        if (rehearse_cost_calibrated() && !$session->saved) {
            try {
                $session->persist(); // WooCommerce writes the session row on every cart request
            } catch (RuntimeException $e) {
                return new WP_Error('woocommerce_rest_session_unavailable', $e->getMessage(), ['status' => 503]);
            }
        }
        $status = is_array($result) && isset($result['__status']) ? $result['__status'] : 200;
        if (is_array($result)) {
            unset($result['__status']);
        }
        return rehearse_store_response($result, $status, $session);
    };
}

function rehearse_route_products(WP_REST_Request $req) {
    rehearse_cost_endpoint('store_products');
    $per_page = max(1, min(100, (int) ($req->get_param('per_page') ?? 10)));
    $args = [
        'post_type' => 'product',
        'post_status' => 'publish',
        'posts_per_page' => $per_page,
        'paged' => max(1, (int) ($req->get_param('page') ?? 1)),
        'orderby' => 'date',
        'order' => 'DESC',
    ];
    $search = trim((string) $req->get_param('search'));
    if ($search !== '') {
        $args['s'] = $search;
    }
    $category = trim((string) $req->get_param('category'));
    if ($category !== '') {
        $terms = array_filter(array_map('trim', explode(',', $category)), 'strlen');
        $numeric = count(array_filter($terms, 'ctype_digit')) === count($terms);
        $args['tax_query'] = [['taxonomy' => 'product_cat', 'field' => $numeric ? 'term_id' : 'slug', 'terms' => $numeric ? array_map('intval', $terms) : $terms]];
    }
    $q = new WP_Query($args);
    $r = new WP_REST_Response(array_map('rehearse_product_json', $q->posts), 200);
    $r->header('X-WP-Total', (string) (int) $q->found_posts);
    $r->header('X-WP-TotalPages', (string) (int) $q->max_num_pages);
    return $r;
}

function rehearse_route_product(WP_REST_Request $req) {
    rehearse_cost_endpoint('store_product'); // not in the measured table: not calibrated
    $p = rehearse_store_product($req['id']);
    return $p ? rehearse_product_json($p) : new WP_Error('woocommerce_rest_product_invalid_id', 'Invalid product ID.', ['status' => 404]);
}

function rehearse_add_item(WP_REST_Request $req, Rehearse_Cart_Session $s) {
    rehearse_cost_endpoint('add_item');
    $p = rehearse_store_product($req->get_param('id'));
    if ($p === null) {
        return new WP_Error('woocommerce_rest_cart_invalid_product', 'This product cannot be added to the cart.', ['status' => 400]);
    }
    $quantity = max(1, (int) ($req->get_param('quantity') ?? 1));
    $key = md5((string) $p->ID); // WooCommerce's cart id for a simple product without extra data
    $want = ($s->cart[$key]['quantity'] ?? 0) + $quantity;
    $stock = rehearse_product_stock($p->ID);
    if ($stock !== null && $stock <= 0) {
        return new WP_Error('woocommerce_rest_product_out_of_stock', sprintf('You cannot add &quot;%s&quot; to the cart because the product is out of stock.', $p->post_title), ['status' => 400]);
    }
    if ($stock !== null && $want > $stock) {
        return new WP_Error('woocommerce_rest_product_partially_out_of_stock',
            sprintf('You cannot add that amount of &quot;%s&quot; to the cart because there is not enough stock (%d remaining).', $p->post_title, $stock), ['status' => 400]);
    }
    $s->cart[$key] = ['key' => $key, 'id' => $p->ID, 'quantity' => $want];
    $s->save();
    return ['__status' => 201] + rehearse_cart_json($s);
}

function rehearse_remove_item(WP_REST_Request $req, Rehearse_Cart_Session $s) {
    rehearse_cost_endpoint('add_item'); // not measured; a cart write like add-item
    $key = (string) $req->get_param('key');
    if (!isset($s->cart[$key])) {
        return new WP_Error('woocommerce_rest_cart_invalid_key', 'Cart item does not exist.', ['status' => 409]);
    }
    unset($s->cart[$key]);
    $s->save();
    return rehearse_cart_json($s);
}

add_action('rest_api_init', function () {
    $ns = 'wc/store/v1';
    $open = '__return_true'; // the Store API is public; writes are guarded by Nonce / Cart-Token
    register_rest_route($ns, '/products', ['methods' => 'GET', 'callback' => 'rehearse_route_products', 'permission_callback' => $open]);
    register_rest_route($ns, '/products/(?P<id>\d+)', ['methods' => 'GET', 'callback' => 'rehearse_route_product', 'permission_callback' => $open]);
    register_rest_route($ns, '/cart', ['methods' => 'GET', 'permission_callback' => $open,
        'callback' => rehearse_cart_route(function ($req, $s) {
            rehearse_cost_endpoint($s->cart ? 'cart' : 'cart_new');
            return rehearse_cart_json($s);
        }, false)]);
    register_rest_route($ns, '/cart/add-item', ['methods' => 'POST', 'permission_callback' => $open,
        'callback' => rehearse_cart_route('rehearse_add_item', true),
        'args' => ['id' => ['type' => 'integer', 'required' => true], 'quantity' => ['type' => 'integer', 'minimum' => 1, 'default' => 1]]]);
    register_rest_route($ns, '/cart/remove-item', ['methods' => 'POST', 'permission_callback' => $open,
        'callback' => rehearse_cart_route('rehearse_remove_item', true),
        'args' => ['key' => ['type' => 'string', 'required' => true]]]);
    register_rest_route($ns, '/checkout', ['methods' => 'POST', 'permission_callback' => $open,
        'callback' => rehearse_cart_route('rehearse_checkout', true),
        'args' => ['billing_address' => ['type' => 'object', 'required' => true], 'payment_method' => ['type' => 'string', 'required' => true]]]);
});
