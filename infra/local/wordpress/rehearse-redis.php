<?php
// One Redis connection per PHP request, shared by the object cache, the page cache and the cart
// sessions (ElastiCache on AWS). Copied into wp-content/ by infra/local/wordpress.ts; the socket
// path comes from rehearse-env.php, two levels above wp-content and outside the docroot.
// Returns null when Redis does not answer: callers then fall back (no cache) or refuse (sessions).
if (!function_exists('rehearse_redis')) {
    function rehearse_redis() {
        static $redis = null, $tried = false;
        if ($tried) {
            return $redis;
        }
        $tried = true;
        $env = require dirname(__DIR__, 2) . '/rehearse-env.php';
        try {
            $r = new Redis();
            if ($r->connect($env['redis_socket'], 0, 1.0)) {
                $r->setOption(Redis::OPT_READ_TIMEOUT, 2.0);
                $redis = $r;
            }
        } catch (Throwable $e) {
            error_log('rehearse: redis unavailable: ' . $e->getMessage());
        }
        return $redis;
    }
}
