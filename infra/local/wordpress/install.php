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
        billing_email VARCHAR(190) NOT NULL,
        billing_address TEXT NOT NULL,
        shipping_address TEXT NOT NULL,
        payment_method VARCHAR(40) NOT NULL,
        currency CHAR(3) NOT NULL,
        total DECIMAL(12,2) NOT NULL,
        created_at DATETIME NOT NULL,
        PRIMARY KEY (id),
        UNIQUE KEY order_key (order_key),
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
