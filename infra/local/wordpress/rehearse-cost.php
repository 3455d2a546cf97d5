<?php
/**
 * Plugin Name: Rehearse shop cost
 * Description: Makes each request of the fixture shop cost what WooCommerce's costs at that endpoint (PHP CPU and SQL queries of the same kind and number), from the calibration infra/local/shop-cost.ts writes into wp-config.php. Must-use plugin of the local replica; source in infra/local/wordpress/.
 */
defined('ABSPATH') || exit;

/** The calibration (see infra/local/wordpress/calibration/), or null for the light shop. */
function rehearse_cost_config() {
    static $config = false;
    if ($config === false) {
        $config = defined('REHEARSE_SHOP_COST') ? json_decode(REHEARSE_SHOP_COST, true) : null;
        if (!is_array($config) || empty($config['endpoints'])) {
            $config = null;
        }
    }
    return $config;
}

function rehearse_cost_calibrated() {
    return rehearse_cost_config() !== null;
}

/** CPU seconds (user + system) this PHP worker has used so far. */
function rehearse_cpu_seconds() {
    $r = getrusage();
    return $r['ru_utime.tv_sec'] + $r['ru_utime.tv_usec'] / 1e6 + $r['ru_stime.tv_sec'] + $r['ru_stime.tv_usec'] / 1e6;
}

/**
 * Per-request state: which endpoint this is, and the statements sent so far by kind. wpdb's
 * 'query' filter sees statements sent through wpdb after this plugin loaded; statements the order
 * transaction sends on the raw connection are added by rehearse_cost_count(). Statements before
 * this plugin loaded (options) are in $wpdb->num_queries only and are counted as SELECTs.
 */
final class Rehearse_Cost {
    public static $endpoint = null;
    public static $counted = ['select' => 0, 'insert' => 0, 'update' => 0, 'delete' => 0, 'other' => 0];
    public static $raw = 0;
    public static $done = false;
}

function rehearse_cost_kind($sql) {
    $word = strtolower(strtok(ltrim($sql, " \t\n\r("), " \t\n\r("));
    return in_array($word, ['select', 'insert', 'update', 'delete'], true) ? $word : ($word === 'replace' ? 'insert' : 'other');
}

/** Counts a statement sent outside wpdb (the order transaction's raw connection). */
function rehearse_cost_count($sql) {
    Rehearse_Cost::$counted[rehearse_cost_kind($sql)]++;
    Rehearse_Cost::$raw++;
}

add_filter('query', function ($sql) {
    Rehearse_Cost::$counted[rehearse_cost_kind($sql)]++;
    return $sql;
});

/**
 * Statements of this request so far, by kind. The total is MariaDB's own count for this
 * connection (session Questions, which also sees the statements wpdb sends on connecting), when
 * $exact; else wpdb's count plus the raw ones.
 */
function rehearse_cost_queries($exact = false) {
    global $wpdb;
    $c = Rehearse_Cost::$counted;
    $total = $wpdb->num_queries + Rehearse_Cost::$raw;
    if ($exact && !empty($wpdb->dbh)) {
        $r = @mysqli_query($wpdb->dbh, "SHOW SESSION STATUS LIKE 'Questions'");
        $row = $r instanceof mysqli_result ? $r->fetch_row() : null;
        // +1 for this SHOW, which the server counts after answering.
        $total = $row ? max($total, (int) $row[1] + 1) : $total;
    }
    $c['select'] = max($c['select'], $total - $c['insert'] - $c['update'] - $c['delete'] - $c['other']);
    $c['total'] = $c['select'] + $c['insert'] + $c['update'] + $c['delete'] + $c['other'];
    return $c;
}

/** Names the endpoint this request stands for (first one wins: a page's Store API call does not rename it). */
function rehearse_cost_endpoint($name) {
    if (Rehearse_Cost::$endpoint === null) {
        Rehearse_Cost::$endpoint = $name;
    }
}

// Pages: classified once the main query is known, before any template output.
add_action('template_redirect', function () {
    global $wp_query;
    if (get_query_var('rehearse_account')) {
        rehearse_cost_endpoint(get_query_var('rehearse_account') === 'orders' ? 'my_account_orders' : 'my_account');
    } elseif (is_search()) {
        rehearse_cost_endpoint((int) $wp_query->found_posts === 1 ? 'search_one' : 'search');
    } elseif (is_tax('product_cat') || is_post_type_archive('product')) {
        rehearse_cost_endpoint('category');
    } elseif (is_singular('product')) {
        rehearse_cost_endpoint('product');
    } elseif (is_front_page() || is_home()) {
        rehearse_cost_endpoint('home');
    }
    if (Rehearse_Cost::$endpoint !== null && rehearse_cost_calibrated()) {
        ob_start(); // headers stay open until the cost is paid at shutdown
    }
}, 1);

/**
 * SELECTs of the kind WooCommerce sends when nothing is cached, against the real tables, so
 * MariaDB does comparable work: light key lookups (a product's meta, an option, the post row, its
 * stock) and heavy ones (a product's terms through the relationship join, a price-range scan of
 * postmeta). $heavy: the share of heavy ones; it sets the DB CPU per statement (measured on this
 * machine: ~0.02 ms light, ~0.2 ms heavy; bench replica-vs-woocommerce-db-cpu checks the result).
 * $ids: the products this request is about (else the first catalogue page). $send: where the
 * statement goes (default wpdb; the order transaction passes its own connection).
 */
function rehearse_cost_selects($n, array $ids = [], $send = null, $heavy = null) {
    global $wpdb;
    if ($n <= 0) {
        return;
    }
    static $catalogue = null;
    if ($catalogue === null) {
        $catalogue = array_map('intval', $wpdb->get_col("SELECT ID FROM {$wpdb->posts} WHERE post_type = 'product' AND post_status = 'publish' ORDER BY ID LIMIT 48"));
        if ($send === null) {
            $n--; // that was one of them
        }
    }
    $heavy = $heavy ?? rehearse_cost_heavy_share(Rehearse_Cost::$endpoint);
    $ids = $ids ?: $catalogue;
    $ids = $ids ?: [0];
    $options = ['woocommerce_currency', 'woocommerce_price_num_decimals', 'woocommerce_tax_display_shop', 'woocommerce_calc_taxes',
        'woocommerce_manage_stock', 'woocommerce_hide_out_of_stock_items', 'woocommerce_default_country', 'woocommerce_cart_page_id'];
    $send = $send ?? function ($sql) use ($wpdb) {
        $wpdb->get_results($sql);
    };
    $light = $heavy_n = 0;
    for ($i = 0; $i < $n; $i++) {
        $id = $ids[$i % count($ids)];
        if (floor(($i + 1) * $heavy) > floor($i * $heavy)) {
            $send($heavy_n++ % 2 === 0
                ? $wpdb->prepare("SELECT t.*, tt.* FROM {$wpdb->terms} AS t INNER JOIN {$wpdb->term_taxonomy} AS tt ON t.term_id = tt.term_id INNER JOIN {$wpdb->term_relationships} AS tr ON tr.term_taxonomy_id = tt.term_taxonomy_id WHERE tt.taxonomy IN ('product_cat', 'product_tag', 'product_type', 'product_visibility') AND tr.object_id IN (%d) ORDER BY t.name ASC", $id)
                // WooCommerce's price filter / lookup-table reads scan a range of product rows.
                : $wpdb->prepare("SELECT MIN(CAST(meta_value AS DECIMAL(10,2))), MAX(CAST(meta_value AS DECIMAL(10,2))), COUNT(*) FROM {$wpdb->postmeta} WHERE meta_key = '_price' AND post_id BETWEEN %d AND %d", $id, $id + 40));
            continue;
        }
        switch ($light++ % 4) {
            case 0:
                $send($wpdb->prepare("SELECT meta_id, meta_key, meta_value FROM {$wpdb->postmeta} WHERE post_id = %d ORDER BY meta_id ASC", $id));
                break;
            case 1:
                $send($wpdb->prepare("SELECT option_value FROM {$wpdb->options} WHERE option_name = %s LIMIT 1", $options[intdiv($light, 4) % count($options)]));
                break;
            case 2:
                $send($wpdb->prepare("SELECT * FROM {$wpdb->posts} WHERE ID = %d LIMIT 1", $id));
                break;
            default:
                $send($wpdb->prepare("SELECT meta_value FROM {$wpdb->postmeta} WHERE post_id = %d AND meta_key = '_stock' LIMIT 1", $id));
        }
    }
}

/**
 * Share of heavy SELECTs per endpoint, so that MariaDB's CPU per request lands near WooCommerce's.
 * Depends on how heavy the endpoint's own statements are (a page's main and term queries are;
 * the Store API's key lookups are not), so it was fitted per endpoint with bench
 * replica-vs-woocommerce-db-cpu on this machine kind (two shares measured, the target
 * interpolated); the PHP CPU and query counts need no such fit (they are paid exactly).
 */
function rehearse_cost_heavy_share($endpoint) {
    $share = ['home' => 0.33, 'category' => 0.4, 'product' => 0.33, 'search' => 0.33, 'search_one' => 0.45, 'store_products' => 0.7,
        'cart_new' => 0.55, 'add_item' => 0.65, 'cart' => 0.5, 'checkout' => 0.6, 'my_account' => 0.6, 'my_account_orders' => 0.36];
    return $share[$endpoint] ?? 0.5;
}

/** Real PHP work (building, encoding and hashing product-like rows) until this request has used $target_s of CPU. */
function rehearse_cost_burn($target_s) {
    $start = $GLOBALS['rehearse_cpu0'] ?? null;
    $used0 = is_array($start) ? $start['ru_utime.tv_sec'] + $start['ru_utime.tv_usec'] / 1e6 + $start['ru_stime.tv_sec'] + $start['ru_stime.tv_usec'] / 1e6 : rehearse_cpu_seconds();
    $sink = '';
    for ($round = 0; rehearse_cpu_seconds() - $used0 < $target_s && $round < 1000000; $round++) {
        $rows = [];
        for ($i = 0; $i < 40; $i++) {
            $rows[] = ['id' => $round * 40 + $i, 'name' => 'Product ' . $i, 'price' => number_format(($i + 1) * 1.37, 2), 'html' => htmlspecialchars("<span>$i</span>")];
        }
        $sink = md5($sink . json_encode($rows));
    }
    return $sink;
}

/** Pays the rest of the endpoint's calibrated cost: SELECTs up to its query count, then CPU up to its PHP time. */
function rehearse_cost_pay() {
    $config = rehearse_cost_config();
    $name = Rehearse_Cost::$endpoint;
    if (Rehearse_Cost::$done || $config === null || $name === null || !isset($config['endpoints'][$name])) {
        return null;
    }
    Rehearse_Cost::$done = true;
    $target = $config['endpoints'][$name];
    $have = rehearse_cost_queries(true);
    $more = max(0, (int) $target['queries'] - $have['total']);
    rehearse_cost_selects($more);
    rehearse_cost_burn($target['php_cpu_ms'] / 1000);
    $have['total'] += $more;
    $have['select'] += $more;
    return sprintf('%s; queries=%d; select=%d; insert=%d; update=%d; delete=%d; target_php_ms=%s', $name, $have['total'], $have['select'],
        $have['insert'], $have['update'], $have['delete'], $target['php_cpu_ms']);
}

// Pages: paid at shutdown, before WordPress flushes the buffers (priority 1), so the header still goes out.
add_action('shutdown', function () {
    $cost = rehearse_cost_pay();
    if ($cost !== null && !headers_sent()) {
        header('X-Rehearse-Cost: ' . $cost);
    }
}, 0);

// Store API: paid once the response is built, before it is sent.
add_filter('rest_post_dispatch', function ($response) {
    $cost = rehearse_cost_pay();
    if ($cost !== null && $response instanceof WP_HTTP_Response) {
        $response->header('X-Rehearse-Cost', $cost);
    }
    return $response;
}, 1000);
