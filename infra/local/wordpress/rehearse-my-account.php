<?php
/**
 * Plugin Name: Rehearse my account
 * Description: WooCommerce's /my-account/ and /my-account/orders/ for returning customers (login through wp-login.php). Must-use plugin of the local replica; source in infra/local/wordpress/.
 */
defined('ABSPATH') || exit;

add_action('init', function () {
    add_rewrite_rule('^my-account/?$', 'index.php?rehearse_account=dashboard', 'top');
    add_rewrite_rule('^my-account/orders/?$', 'index.php?rehearse_account=orders', 'top');
});
add_filter('query_vars', function ($vars) {
    $vars[] = 'rehearse_account';
    return $vars;
});

/** The customer's newest orders with their item counts. */
function rehearse_customer_orders($user_id, $limit = 20) {
    global $wpdb;
    $o = $wpdb->prefix . 'rehearse_orders';
    $i = $wpdb->prefix . 'rehearse_order_items';
    return $wpdb->get_results($wpdb->prepare(
        "SELECT o.id, o.created_at, o.status, o.total, COALESCE(SUM(i.quantity), 0) AS items
         FROM $o o LEFT JOIN $i i ON i.order_id = o.id WHERE o.customer_id = %d GROUP BY o.id ORDER BY o.id DESC LIMIT %d",
        $user_id, $limit
    ));
}

function rehearse_account_page($view) {
    $user = wp_get_current_user();
    echo '<main id="main" class="site-main"><article class="page type-page entry"><header class="entry-header alignwide">';
    echo '<h1 class="entry-title">My account</h1></header><div class="entry-content woocommerce-MyAccount-content">';
    printf('<p class="rehearse-account-greeting">Hello <strong>%s</strong> (<span class="rehearse-account-username">%s</span>)</p>',
        esc_html($user->display_name), esc_html($user->user_login));
    echo '<nav class="woocommerce-MyAccount-navigation"><ul><li><a href="' . esc_url(home_url('/my-account/')) . '">Dashboard</a></li>';
    echo '<li><a href="' . esc_url(home_url('/my-account/orders/')) . '">Orders</a></li>';
    echo '<li><a href="' . esc_url(wp_logout_url(home_url('/'))) . '">Log out</a></li></ul></nav>';
    $orders = rehearse_customer_orders($user->ID);
    if ($view === 'dashboard') {
        printf('<p>You have placed <span class="rehearse-order-count">%d</span> recent orders.</p>', count($orders));
    } elseif (!$orders) {
        echo '<p class="woocommerce-info">No order has been made yet.</p>';
    } else {
        echo '<table class="woocommerce-orders-table"><thead><tr><th>Order</th><th>Date</th><th>Status</th><th>Total</th></tr></thead><tbody>';
        foreach ($orders as $o) {
            printf('<tr class="woocommerce-orders-table__row" data-order-id="%d"><td>#%d</td><td><time datetime="%s">%s</time></td><td>%s</td><td>$%s for %d items</td></tr>',
                $o->id, $o->id, esc_attr($o->created_at), esc_html(mysql2date('F j, Y', $o->created_at)), esc_html(ucfirst($o->status)),
                esc_html(number_format((float) $o->total, 2)), (int) $o->items);
        }
        echo '</tbody></table>';
    }
    echo '</div></article></main>';
}

add_action('template_redirect', function () {
    $view = get_query_var('rehearse_account');
    if (!$view) {
        return;
    }
    if (!is_user_logged_in()) {
        wp_safe_redirect(wp_login_url(home_url($view === 'orders' ? '/my-account/orders/' : '/my-account/')));
        exit;
    }
    if (!defined('DONOTCACHEPAGE')) {
        define('DONOTCACHEPAGE', true);
    }
    nocache_headers();
    status_header(200);
    add_filter('pre_get_document_title', function () { return 'My account'; });
    get_header();
    rehearse_account_page($view);
    get_footer();
    exit;
});
