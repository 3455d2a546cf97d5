<?php
// Page cache drop-in, as production WordPress runs one (WP Rocket, Batcache, W3TC…): anonymous
// GETs of catalogue pages are served from Redis, shared by every instance, for PAGE_TTL seconds.
// A cart, session or login cookie bypasses it, as WooCommerce's cookies bypass real page caches.
// Loaded by wp-settings.php before WordPress (WP_CACHE): plain PHP only, no WordPress functions.
// Every response says what happened: X-Rehearse-Cache: HIT | MISS | BYPASS.
require_once __DIR__ . '/rehearse-redis.php';

(function () {
    $ttl = 60; // short: a sale day changes prices and stock; a minute still absorbs a surge
    $method = $_SERVER['REQUEST_METHOD'] ?? 'GET';
    $uri = $_SERVER['REQUEST_URI'] ?? '/';
    $path = parse_url($uri, PHP_URL_PATH) ?: '/';
    $bypass = ($method !== 'GET' && $method !== 'HEAD')
        || preg_match('#^/(wp-admin|wp-login\.php|wp-json|wp-cron\.php|xmlrpc\.php|my-account|cart|checkout)(/|$)#', $path)
        || isset($_GET['rest_route']) || isset($_GET['add-to-cart']) || isset($_GET['wc-ajax']) || isset($_GET['preview']);
    foreach (array_keys($_COOKIE) as $name) {
        if (preg_match('/^(wordpress_logged_in_|wp_woocommerce_session_|woocommerce_items_in_cart|woocommerce_cart_hash|comment_author_|wp-postpass_)/', $name)) {
            $bypass = true;
            break;
        }
    }
    $redis = $bypass ? null : rehearse_redis();
    if ($redis === null) {
        header('X-Rehearse-Cache: BYPASS');
        return;
    }
    $key = 'rehearse:page:' . md5(($_SERVER['HTTP_HOST'] ?? '') . $uri);
    $raw = $redis->get($key);
    $entry = $raw === false ? false : @unserialize($raw, ['allowed_classes' => false]);
    if (is_array($entry)) {
        foreach ($entry['headers'] as $h) {
            header($h);
        }
        header('X-Rehearse-Cache: HIT');
        header('Age: ' . max(0, time() - $entry['at']));
        if ($method !== 'HEAD') {
            echo $entry['body'];
        }
        exit;
    }
    header('X-Rehearse-Cache: MISS');
    if ($method !== 'GET') {
        return;
    }
    $page = '';
    ob_start(function ($chunk, $phase) use (&$page, $redis, $key, $ttl) {
        $page .= $chunk;
        if (!($phase & PHP_OUTPUT_HANDLER_FINAL) || http_response_code() !== 200 || defined('DONOTCACHEPAGE')) {
            return $chunk;
        }
        $keep = [];
        foreach (headers_list() as $h) {
            if (stripos($h, 'Set-Cookie:') === 0) {
                return $chunk; // a response that sets a cookie belongs to one visitor
            }
            if (preg_match('/^(Content-Type|Link):/i', $h)) {
                $keep[] = $h;
            }
        }
        $html = false;
        foreach ($keep as $h) {
            $html = $html || stripos($h, 'Content-Type: text/html') === 0;
        }
        if ($html && stripos($page, '</html>') !== false) {
            try {
                $redis->setex($key, $ttl, serialize(['at' => time(), 'headers' => $keep, 'body' => $page]));
            } catch (Throwable $e) {
                error_log('rehearse page cache: ' . $e->getMessage());
            }
        }
        return $chunk;
    });
})();
