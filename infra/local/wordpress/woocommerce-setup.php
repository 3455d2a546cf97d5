<?php
// The real shop (`--shop woocommerce`): turns a fresh WordPress (install.php) into a WooCommerce
// store shaped like the one measured in /work/shared/notes/woocommerce-cost.md, in three steps,
// each its own PHP process so WooCommerce loads as on a web request (run by infra/local/wordpress.ts):
//   activate   theme twentytwentyfive, WooCommerce in active_plugins (nothing of it loaded yet)
//   configure  WooCommerce's tables and pages, USD, guest checkout, cash on delivery, flat-rate
//              shipping, HPOS on, the store launched (not "coming soon"), no tracking or suggestions
//   finish     after seed.php: the seeded products as WooCommerce simple products with managed
//              stock (lookup tables filled by saving each through WooCommerce), rewrite rules
// Usage: php woocommerce-setup.php <docroot> <home-url> activate|configure|finish
if ($argc !== 4 || !in_array($argv[3], ['activate', 'configure', 'finish'], true)) {
    fwrite(STDERR, "usage: php woocommerce-setup.php <docroot> <home-url> activate|configure|finish\n");
    exit(2);
}
[, $docroot, $home, $step] = $argv;
require __DIR__ . '/cli-request.php';
rehearse_fake_request($home);

require $docroot . '/wp-load.php';
// Nothing leaves the machine (WooCommerce asks wordpress.com and its marketplace on install).
add_filter('pre_http_request', function () {
    return new WP_Error('rehearse_offline', 'no HTTP during setup');
});
wp_set_current_user(1);

function rehearse_fail(string $message): void {
    fwrite(STDERR, "woocommerce-setup: $message\n");
    exit(1);
}

if ($step === 'activate') {
    if (!file_exists(WP_CONTENT_DIR . '/plugins/woocommerce/woocommerce.php')) {
        rehearse_fail('no wp-content/plugins/woocommerce in ' . $docroot
            . ' (the docroot was not built from the WooCommerce archive)');
    }
    if (wp_get_theme('twentytwentyfive')->exists()) {
        switch_theme('twentytwentyfive');
    } else {
        rehearse_fail('theme twentytwentyfive is missing from the WordPress archive (WordPress 6.7 or newer ships it)');
    }
    update_option('active_plugins', ['woocommerce/woocommerce.php']);
    echo "activated\n";
    exit(0);
}

if (!class_exists('WooCommerce') || !function_exists('WC')) {
    rehearse_fail('WooCommerce did not load; see the php errors above');
}

if ($step === 'configure') {
    WC_Install::install();
    WC_Install::create_pages();
    $options = [
        'woocommerce_currency' => 'USD',
        'woocommerce_default_country' => 'US:CA',
        'woocommerce_store_address' => '1 Load Test Lane',
        'woocommerce_store_city' => 'Springfield',
        'woocommerce_store_postcode' => '12345',
        'woocommerce_calc_taxes' => 'no',
        'woocommerce_enable_guest_checkout' => 'yes',
        'woocommerce_manage_stock' => 'yes',
        // New stores start "coming soon" (WooCommerce ≥ 9.1): visitors would see a holding page.
        'woocommerce_coming_soon' => 'no',
        'woocommerce_store_pages_only' => 'no',
        // HPOS, as measured (the default for new stores), without syncing to posts.
        'woocommerce_custom_orders_table_enabled' => 'yes',
        'woocommerce_custom_orders_table_data_sync_enabled' => 'no',
        'woocommerce_allow_tracking' => 'no',
        'woocommerce_show_marketplace_suggestions' => 'no',
        'woocommerce_task_list_hidden' => 'yes',
        'woocommerce_onboarding_profile' => ['skipped' => true],
        'woocommerce_cod_settings' => ['enabled' => 'yes', 'title' => 'Cash on delivery',
            'description' => 'Pay with cash upon delivery.', 'instructions' => '', 'enable_for_methods' => [],
            'enable_for_virtual' => 'yes'],
    ];
    foreach ($options as $name => $value) {
        update_option($name, $value);
    }
    // Flat-rate shipping everywhere: the zone for locations no other zone covers.
    $zone = new WC_Shipping_Zone(0);
    $flat = null;
    foreach ($zone->get_shipping_methods() as $method) {
        if ($method->id === 'flat_rate') {
            $flat = $method->instance_id;
        }
    }
    if ($flat === null) {
        $flat = $zone->add_shipping_method('flat_rate');
    }
    $flat_settings = ['title' => 'Flat rate', 'tax_status' => 'none', 'cost' => '5'];
    update_option("woocommerce_flat_rate_{$flat}_settings", $flat_settings);
    $account = get_post((int) get_option('woocommerce_myaccount_page_id'));
    if (!$account || $account->post_name !== 'my-account') {
        rehearse_fail('WooCommerce made no my-account page (the account journey needs /my-account/)');
    }
    echo "configured\n";
    exit(0);
}

// finish: seed.php wrote the products as posts with WooCommerce's meta; make them simple products
// and save each through WooCommerce so its lookup tables and caches know them.
$ids = get_posts(['post_type' => 'product', 'post_status' => 'publish', 'numberposts' => -1, 'fields' => 'ids']);
foreach ($ids as $id) {
    wp_set_object_terms($id, 'simple', 'product_type');
    $product = wc_get_product($id);
    if (!$product) {
        rehearse_fail("product $id is not a WooCommerce product after seeding");
    }
    $product->set_manage_stock(true);
    $product->set_stock_quantity((int) get_post_meta($id, '_stock', true));
    $product->set_catalog_visibility('visible');
    $product->save();
}
flush_rewrite_rules(false);
wp_cache_flush();
printf("finished: %d WooCommerce products\n", count($ids));
