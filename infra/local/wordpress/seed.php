<?php
// Seeds the shop-shaped catalogue (deterministic: same input, same rows, same manifest) and
// writes the catalogue manifest that the k6 side reads. Run once, right after install.php.
// Usage: REHEARSE_SEED_CUSTOMER_PASSWORD=… php seed.php <docroot> <home-url> <catalogue.json>
// The customers' shared password comes from the environment, never argv (visible in ps) or the
// manifest: the manifest lists usernames only.
if ($argc !== 4) {
    fwrite(STDERR, "usage: php seed.php <docroot> <home-url> <catalogue.json>\n");
    exit(2);
}
[, $docroot, $home, $manifest] = $argv;
require __DIR__ . '/cli-request.php';
rehearse_fake_request($home);

$customer_password = getenv('REHEARSE_SEED_CUSTOMER_PASSWORD');
if (!$customer_password) {
    fwrite(STDERR, "seed.php: REHEARSE_SEED_CUSTOMER_PASSWORD is not set (infra/local/wordpress.ts passes it)\n");
    exit(2);
}

require $docroot . '/wp-load.php';

const PRODUCT_COUNT = 300;
const CUSTOMER_COUNT = 50;

// name => [nouns, min price, max price]
$categories = [
    'Electronics' => [['Headphones', 'Speaker', 'Charger', 'Radio', 'Camera'], 15, 400],
    'Kitchen' => [['Kettle', 'Toaster', 'Skillet', 'Teapot', 'Blender'], 10, 180],
    'Garden' => [['Planter', 'Hose', 'Trowel', 'Lantern', 'Bench'], 5, 250],
    'Clothing' => [['Sweater', 'Jacket', 'Scarf', 'Shirt', 'Raincoat'], 12, 220],
    'Shoes' => [['Sneaker', 'Boot', 'Sandal', 'Loafer', 'Slipper'], 20, 190],
    'Books' => [['Notebook', 'Atlas', 'Cookbook', 'Novel', 'Journal'], 6, 60],
    'Toys' => [['Puzzle', 'Kite', 'Robot', 'Teddy', 'Train'], 8, 120],
    'Sports' => [['Ball', 'Racket', 'Yoga Mat', 'Bottle', 'Helmet'], 9, 300],
    'Beauty' => [['Soap', 'Lotion', 'Brush', 'Candle', 'Mirror'], 4, 90],
    'Furniture' => [['Chair', 'Desk', 'Shelf', 'Stool', 'Lamp'], 30, 900],
    'Office' => [['Pen', 'Stapler', 'Binder', 'Organizer', 'Clock'], 3, 150],
    'Pets' => [['Collar', 'Leash', 'Bowl', 'Bed', 'Feeder'], 5, 140],
];
$colors = ['Blue', 'Red', 'Green', 'Black', 'White', 'Amber', 'Teal', 'Grey', 'Olive', 'Coral', 'Navy', 'Ivory'];
$adjectives = ['sturdy', 'handy', 'elegant', 'compact', 'classic', 'bright', 'quiet', 'light', 'durable', 'cosy'];

// A tiny LCG: deterministic across PHP versions, unlike mt_rand's seeding history.
$state = 20241129;
$rand = function ($n) use (&$state) {
    $state = ($state * 1103515245 + 12345) & 0x7fffffff;
    return intdiv($state, 65536) % $n;
};

global $wpdb;
wp_defer_term_counting(true);
wp_suspend_cache_invalidation(true);
wp_set_current_user(1);
$wpdb->query('START TRANSACTION');

$catalogue = ['version' => 1, 'categories' => [], 'products' => []];
$terms = [];
foreach ($categories as $name => $spec) {
    $term = wp_insert_term($name, 'product_cat', ['slug' => sanitize_title($name)]);
    if (is_wp_error($term)) {
        fwrite(STDERR, "category $name: " . $term->get_error_message() . "\n");
        exit(1);
    }
    $terms[$name] = (int) $term['term_id'];
}

$names = array_keys($categories);

// One picture per category in the shared uploads dir (EFS on AWS): pages reference it, and a
// browser-like client fetches it.
$uploads = wp_upload_dir(null, false);
$image_dir = $uploads['basedir'] . '/shop';
wp_mkdir_p($image_dir);
$images = [];
foreach ($names as $i => $name) {
    $slug = sanitize_title($name);
    $hue = $i * 30;
    file_put_contents("$image_dir/$slug.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"160\" height=\"160\" viewBox=\"0 0 160 160\">"
        . "<rect width=\"160\" height=\"160\" fill=\"hsl($hue,60%,70%)\"/><text x=\"80\" y=\"88\" font-size=\"16\" text-anchor=\"middle\">"
        . esc_html($name) . "</text></svg>\n");
    $images[$name] = $uploads['baseurl'] . "/shop/$slug.svg";
}

$base = strtotime('2024-11-01 08:00:00 UTC');
$products = [];
for ($n = 1; $n <= PRODUCT_COUNT; $n++) {
    $cat = $names[($n - 1) % count($names)];
    [$nouns, $min, $max] = $categories[$cat];
    $noun = $nouns[$rand(count($nouns))];
    $color = $colors[$rand(count($colors))];
    $adjective = $adjectives[$rand(count($adjectives))];
    $title = sprintf('%s %s %03d', $color, $noun, $n);
    $slug = sanitize_title($title);
    $price = sprintf('%d.99', $min + $rand($max - $min));
    $date = gmdate('Y-m-d H:i:s', $base + $n * 60);
    $short = sprintf('A %s %s in %s, from our %s range.', $adjective, strtolower($noun), strtolower($color), strtolower($cat));
    $long = "<p>$short</p>\n<p>The $title is made to last: " . implode(' ', array_fill(0, 3,
        "Every piece is checked by hand before it ships, and it comes with a two-year warranty.")) . "</p>";
    $id = wp_insert_post([
        'post_type' => 'product',
        'post_status' => 'publish',
        'post_author' => 1,
        'post_title' => $title,
        'post_name' => $slug,
        'post_excerpt' => $short,
        'post_content' => $long,
        'post_date' => $date,
        'post_date_gmt' => $date,
        'comment_status' => 'closed',
        'ping_status' => 'closed',
        'meta_input' => [
            '_price' => $price,
            '_regular_price' => $price,
            '_sku' => sprintf('RH-%04d', $n),
            '_stock_status' => 'instock',
            '_manage_stock' => 'yes',
            // Derived from n, not from $rand: the names and prices stay what they were.
            '_stock' => 500 + ($n * 37) % 1500,
            '_rehearse_image' => $images[$cat],
        ],
    ], true);
    if (is_wp_error($id)) {
        fwrite(STDERR, "product $title: " . $id->get_error_message() . "\n");
        exit(1);
    }
    wp_set_object_terms($id, [$terms[$cat]], 'product_cat');
    $products[] = [$id, $slug, $title, $cat, $price];
}

// Returning customers: accounts with a shared password (from the state dir) and a few past
// orders each, written straight into the order tables (past sales do not touch today's stock).
add_role('customer', 'Customer', ['read' => true]);
$first = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Frances', 'Ken', 'Margaret', 'Dennis'];
$last = ['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Knuth', 'Allen', 'Thompson', 'Hamilton', 'Ritchie'];
$customers = [];
for ($c = 1; $c <= CUSTOMER_COUNT; $c++) {
    $login = sprintf('customer%03d', $c);
    $fn = $first[$c % 10];
    $ln = $last[intdiv($c, 10) % 10];
    $uid = wp_insert_user(['user_login' => $login, 'user_pass' => $customer_password, 'user_email' => "$login@example.invalid",
        'first_name' => $fn, 'last_name' => $ln, 'display_name' => "$fn $ln", 'role' => 'customer']);
    if (is_wp_error($uid)) {
        fwrite(STDERR, "customer $login: " . $uid->get_error_message() . "\n");
        exit(1);
    }
    $customers[] = ['username' => $login];
    $orders = 1 + $rand(4);
    for ($o = 0; $o < $orders; $o++) {
        $lines = [];
        for ($k = 1 + $rand(3); $k > 0; $k--) {
            [$pid, , $ptitle, , $pprice] = $products[$rand(count($products))];
            $qty = 1 + $rand(2);
            $lines[] = ['product_id' => $pid, 'name' => $ptitle, 'quantity' => $qty, 'line_total' => round($qty * (float) $pprice, 2)];
        }
        $address = ['first_name' => $fn, 'last_name' => $ln, 'email' => "$login@example.invalid", 'country' => 'US'];
        $wpdb->insert($wpdb->prefix . 'rehearse_orders', [
            'order_key' => sprintf('wc_order_seed%03d%02d', $c, $o), 'status' => 'completed', 'customer_id' => $uid,
            'billing_email' => "$login@example.invalid", 'billing_address' => wp_json_encode($address), 'shipping_address' => wp_json_encode($address),
            'payment_method' => 'cod', 'currency' => 'USD', 'total' => array_sum(array_column($lines, 'line_total')),
            'created_at' => gmdate('Y-m-d H:i:s', $base - ($c * 7 + $o) * 86400),
        ]);
        $order_id = $wpdb->insert_id;
        foreach ($lines as $line) {
            $wpdb->insert($wpdb->prefix . 'rehearse_order_items', ['order_id' => $order_id] + $line);
        }
    }
}

$wpdb->query('COMMIT');
wp_suspend_cache_invalidation(false);
wp_defer_term_counting(false); // writes the deferred term counts
flush_rewrite_rules(false);
// The shared object cache saw the seed with invalidation suspended: start it clean.
wp_cache_flush();

$path = function ($link) {
    return wp_parse_url($link, PHP_URL_PATH);
};
foreach ($names as $name) {
    $catalogue['categories'][] = [
        'slug' => sanitize_title($name),
        'name' => $name,
        'path' => $path(get_term_link($terms[$name], 'product_cat')),
    ];
}
foreach ($products as [$id, $slug, $title, $cat, $price]) {
    $catalogue['products'][] = [
        'id' => $id,
        'slug' => $slug,
        'name' => $title,
        'path' => $path(get_permalink($id)),
        'category' => sanitize_title($cat),
        'price' => (float) $price,
    ];
}

$catalogue['customers'] = $customers;

$tmp = $manifest . '.tmp';
file_put_contents($tmp, json_encode($catalogue, JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES) . "\n");
rename($tmp, $manifest);
printf("seeded %d categories, %d products, %d customers\n", count($catalogue['categories']), count($catalogue['products']), count($customers));
