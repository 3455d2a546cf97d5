<?php
// Installs WordPress without a browser (php CLI, run by infra/local/wordpress.ts).
// Usage: php install.php <docroot> <home-url>
if ($argc !== 3) {
    fwrite(STDERR, "usage: php install.php <docroot> <home-url>\n");
    exit(2);
}
[, $docroot, $home] = $argv;
require __DIR__ . '/cli-request.php';
rehearse_fake_request($home);

define('WP_INSTALLING', true);

// Pluggable: wp_install() would otherwise try to mail the admin.
function wp_new_blog_notification($blog_title, $blog_url, $user_id, $password) {
}

require $docroot . '/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
// A fresh database: whatever the shared object cache holds describes an older one.
wp_cache_flush();

// wp_install() probes pretty permalinks over HTTP; the balancer is not up yet, and nothing may
// leave the machine anyway.
add_filter('pre_http_request', function () {
    return new WP_Error('rehearse_offline', 'no HTTP during install');
});

if (is_blog_installed()) {
    fwrite(STDERR, "WordPress is already installed in this database\n");
} else {
    $result = wp_install('Rehearse Shop', 'admin', 'admin@example.invalid', false, '', wp_generate_password(32));
    if (is_wp_error($result)) {
        fwrite(STDERR, 'wp_install failed: ' . $result->get_error_message() . "\n");
        exit(1);
    }
}

// The shop's orders (checkout writes both in one transaction; the telemetry counts
// {prefix}rehearse_orders rows: keep the name). InnoDB: the transaction needs it.
global $wpdb;
$charset = $wpdb->get_charset_collate();
foreach ([
    "CREATE TABLE IF NOT EXISTS {$wpdb->prefix}rehearse_orders (
        id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
        order_key VARCHAR(64) NOT NULL,
        status VARCHAR(20) NOT NULL,
        customer_id BIGINT UNSIGNED NOT NULL DEFAULT 0,
        session_id VARCHAR(64) NOT NULL DEFAULT '',
        checkout_key VARCHAR(120) NULL,
        billing_email VARCHAR(190) NOT NULL,
        billing_address TEXT NOT NULL,
        shipping_address TEXT NOT NULL,
        payment_method VARCHAR(40) NOT NULL,
        currency CHAR(3) NOT NULL,
        total DECIMAL(12,2) NOT NULL,
        created_at DATETIME NOT NULL,
        PRIMARY KEY (id),
        UNIQUE KEY order_key (order_key),
        UNIQUE KEY checkout_key (checkout_key),
        KEY customer (customer_id, id)
    ) ENGINE=InnoDB $charset",
    "CREATE TABLE IF NOT EXISTS {$wpdb->prefix}rehearse_order_items (
        id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
        order_id BIGINT UNSIGNED NOT NULL,
        product_id BIGINT UNSIGNED NOT NULL,
        name VARCHAR(200) NOT NULL,
        quantity INT UNSIGNED NOT NULL,
        line_total DECIMAL(12,2) NOT NULL,
        PRIMARY KEY (id),
        KEY order_id (order_id)
    ) ENGINE=InnoDB $charset",
    // WooCommerce's tables as the calibrated shop writes them (rehearse-cost.php, store-checkout.php):
    // guest sessions, and the HPOS order tables with their indexes (columns as WooCommerce 10's).
    "CREATE TABLE IF NOT EXISTS {$wpdb->prefix}woocommerce_sessions (
        session_id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
        session_key CHAR(32) NOT NULL,
        session_value LONGTEXT NOT NULL,
        session_expiry BIGINT UNSIGNED NOT NULL,
        PRIMARY KEY (session_id),
        UNIQUE KEY session_key (session_key),
        KEY session_expiry (session_expiry)
    ) ENGINE=InnoDB $charset",
    "CREATE TABLE IF NOT EXISTS {$wpdb->prefix}wc_orders (
        id BIGINT UNSIGNED NOT NULL,
        status VARCHAR(20) NULL,
        currency VARCHAR(10) NULL,
        type VARCHAR(20) NULL,
        tax_amount DECIMAL(26,8) NULL,
        total_amount DECIMAL(26,8) NULL,
        customer_id BIGINT UNSIGNED NULL,
        billing_email VARCHAR(320) NULL,
        date_created_gmt DATETIME NULL,
        date_updated_gmt DATETIME NULL,
        parent_order_id BIGINT UNSIGNED NULL,
        payment_method VARCHAR(100) NULL,
        payment_method_title TEXT NULL,
        transaction_id VARCHAR(100) NULL,
        ip_address VARCHAR(100) NULL,
        user_agent TEXT NULL,
        customer_note TEXT NULL,
        PRIMARY KEY (id),
        KEY status (status),
        KEY date_created (date_created_gmt),
        KEY customer_id_billing_email (customer_id, billing_email(171)),
        KEY billing_email (billing_email(191)),
        KEY type_status_date (type, status, date_created_gmt),
        KEY parent_order_id (parent_order_id),
        KEY date_updated (date_updated_gmt)
    ) ENGINE=InnoDB $charset",
    "CREATE TABLE IF NOT EXISTS {$wpdb->prefix}wc_order_addresses (
        id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
        order_id BIGINT UNSIGNED NOT NULL,
        address_type VARCHAR(20) NULL,
        first_name TEXT NULL, last_name TEXT NULL, company TEXT NULL, address_1 TEXT NULL, address_2 TEXT NULL,
        city TEXT NULL, state TEXT NULL, postcode TEXT NULL, country TEXT NULL,
        email VARCHAR(320) NULL,
        phone VARCHAR(100) NULL,
        PRIMARY KEY (id),
        UNIQUE KEY address_type_order_id (address_type, order_id),
        KEY email (email(191)),
        KEY phone (phone),
        KEY order_id (order_id)
    ) ENGINE=InnoDB $charset",
    "CREATE TABLE IF NOT EXISTS {$wpdb->prefix}wc_order_operational_data (
        id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
        order_id BIGINT UNSIGNED NULL,
        created_via VARCHAR(100) NULL,
        woocommerce_version VARCHAR(20) NULL,
        prices_include_tax TINYINT(1) NULL,
        coupon_usages_are_counted TINYINT(1) NULL,
        download_permission_granted TINYINT(1) NULL,
        cart_hash VARCHAR(100) NULL,
        new_order_email_sent TINYINT(1) NULL,
        order_key VARCHAR(100) NULL,
        order_stock_reduced TINYINT(1) NULL,
        date_paid_gmt DATETIME NULL,
        date_completed_gmt DATETIME NULL,
        shipping_tax_amount DECIMAL(26,8) NULL,
        shipping_total_amount DECIMAL(26,8) NULL,
        discount_tax_amount DECIMAL(26,8) NULL,
        discount_total_amount DECIMAL(26,8) NULL,
        recorded_sales TINYINT(1) NULL,
        PRIMARY KEY (id),
        UNIQUE KEY order_id (order_id),
        KEY order_key (order_key)
    ) ENGINE=InnoDB $charset",
    "CREATE TABLE IF NOT EXISTS {$wpdb->prefix}wc_orders_meta (
        id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
        order_id BIGINT UNSIGNED NULL,
        meta_key VARCHAR(255) NULL,
        meta_value TEXT NULL,
        PRIMARY KEY (id),
        KEY meta_key_value (meta_key(100), meta_value(82)),
        KEY order_id_meta_key_meta_value (order_id, meta_key(100), meta_value(82))
    ) ENGINE=InnoDB $charset",
    "CREATE TABLE IF NOT EXISTS {$wpdb->prefix}woocommerce_order_items (
        order_item_id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
        order_item_name TEXT NOT NULL,
        order_item_type VARCHAR(200) NOT NULL DEFAULT '',
        order_id BIGINT UNSIGNED NOT NULL,
        PRIMARY KEY (order_item_id),
        KEY order_id (order_id)
    ) ENGINE=InnoDB $charset",
    "CREATE TABLE IF NOT EXISTS {$wpdb->prefix}woocommerce_order_itemmeta (
        meta_id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
        order_item_id BIGINT UNSIGNED NOT NULL,
        meta_key VARCHAR(255) NULL,
        meta_value LONGTEXT NULL,
        PRIMARY KEY (meta_id),
        KEY order_item_id (order_item_id),
        KEY meta_key (meta_key(32))
    ) ENGINE=InnoDB $charset",
    "CREATE TABLE IF NOT EXISTS {$wpdb->prefix}actionscheduler_actions (
        action_id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
        hook VARCHAR(191) NOT NULL,
        status VARCHAR(20) NOT NULL,
        scheduled_date_gmt DATETIME NULL DEFAULT '0000-00-00 00:00:00',
        scheduled_date_local DATETIME NULL DEFAULT '0000-00-00 00:00:00',
        priority TINYINT UNSIGNED NOT NULL DEFAULT 10,
        args VARCHAR(191),
        schedule LONGTEXT,
        group_id BIGINT UNSIGNED NOT NULL DEFAULT 0,
        attempts INT NOT NULL DEFAULT 0,
        last_attempt_gmt DATETIME NULL DEFAULT '0000-00-00 00:00:00',
        last_attempt_local DATETIME NULL DEFAULT '0000-00-00 00:00:00',
        claim_id BIGINT UNSIGNED NOT NULL DEFAULT 0,
        extended_args VARCHAR(8000) DEFAULT NULL,
        PRIMARY KEY (action_id),
        KEY hook_status_scheduled_date_gmt (hook(163), status, scheduled_date_gmt),
        KEY status_scheduled_date_gmt (status, scheduled_date_gmt),
        KEY scheduled_date_gmt (scheduled_date_gmt),
        KEY args (args),
        KEY group_id (group_id),
        KEY last_attempt_gmt (last_attempt_gmt),
        KEY claim_id_status_scheduled_date_gmt (claim_id, status, scheduled_date_gmt)
    ) ENGINE=InnoDB $charset",
] as $sql) {
    if ($wpdb->query($sql) === false) {
        fwrite(STDERR, "creating the order tables failed: {$wpdb->last_error}\n");
        exit(1);
    }
}

update_option('permalink_structure', '/%postname%/');
update_option('blogdescription', 'A shop-shaped fixture for load rehearsals');
update_option('default_comment_status', 'closed');
if (get_option('template') !== 'twentytwentyone') {
    switch_theme('twentytwentyone');
}
echo "installed\n";
