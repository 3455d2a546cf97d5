<?php
// Seeds the shop-shaped catalogue (deterministic: same input, same rows, same manifest) and
// writes the catalogue manifest that the k6 side reads. Run once, right after install.php.
// Usage: php seed.php <docroot> <home-url> <catalogue.json>
if ($argc !== 4) {
    fwrite(STDERR, "usage: php seed.php <docroot> <home-url> <catalogue.json>\n");
    exit(2);
}
[, $docroot, $home, $manifest] = $argv;
$url = parse_url($home);
$_SERVER['HTTP_HOST'] = $url['host'] . (isset($url['port']) ? ':' . $url['port'] : '');
$_SERVER['SERVER_NAME'] = $url['host'];
$_SERVER['REQUEST_URI'] = '/';
$_SERVER['SERVER_PROTOCOL'] = 'HTTP/1.1';
$_SERVER['REQUEST_METHOD'] = 'GET';

require $docroot . '/wp-load.php';

const PRODUCT_COUNT = 300;

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
        ],
    ], true);
    if (is_wp_error($id)) {
        fwrite(STDERR, "product $title: " . $id->get_error_message() . "\n");
        exit(1);
    }
    wp_set_object_terms($id, [$terms[$cat]], 'product_cat');
    $products[] = [$id, $slug, $title, $cat, $price];
}

$wpdb->query('COMMIT');
wp_suspend_cache_invalidation(false);
wp_defer_term_counting(false); // writes the deferred term counts
flush_rewrite_rules(false);

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

$tmp = $manifest . '.tmp';
file_put_contents($tmp, json_encode($catalogue, JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES) . "\n");
rename($tmp, $manifest);
printf("seeded %d categories, %d products\n", count($catalogue['categories']), count($catalogue['products']));
