<?php
// Cart sessions of the Store API, with WooCommerce's contract: a guest is a customer id
// ("t_" + 30 hex), identified by the Cart-Token header (an HS256 JWT signed with '@' . wp_salt())
// or by the wp_woocommerce_session_<COOKIEHASH> cookie (customer||expiry||expiring||hmac). The
// cart lives where any instance can read it: with the WooCommerce calibration (rehearse-cost.php)
// in the wp_woocommerce_sessions table, read and written on every cart request as WooCommerce
// does; in the light shop in Redis. POSTs without a valid Cart-Token need a Nonce header made by
// wp_create_nonce('wc_store_api').
defined('ABSPATH') || exit;

const REHEARSE_SESSION_TTL = 172800; // 48 h, WooCommerce's guest session length

function rehearse_b64url($s) {
    return rtrim(strtr(base64_encode($s), '+/', '-_'), '=');
}

function rehearse_jwt_encode(array $payload) {
    $head = rehearse_b64url(json_encode(['alg' => 'HS256', 'typ' => 'JWT']));
    $body = rehearse_b64url(json_encode($payload));
    return "$head.$body." . rehearse_b64url(hash_hmac('sha256', "$head.$body", '@' . wp_salt(), true));
}

/** The token's payload when its signature, issuer and expiry hold; null otherwise. */
function rehearse_jwt_decode($token) {
    $parts = explode('.', (string) $token);
    if (count($parts) !== 3) {
        return null;
    }
    [$head, $body, $sig] = $parts;
    $want = rehearse_b64url(hash_hmac('sha256', "$head.$body", '@' . wp_salt(), true));
    if (!hash_equals($want, $sig)) {
        return null;
    }
    $payload = json_decode(base64_decode(strtr($body, '-_', '+/')), true);
    if (!is_array($payload) || ($payload['iss'] ?? '') !== 'store-api' || (int) ($payload['exp'] ?? 0) < time()) {
        return null;
    }
    return $payload;
}

function rehearse_session_cookie_name() {
    return 'wp_woocommerce_session_' . COOKIEHASH;
}

function rehearse_cookie_hash($customer_id, $expiration) {
    $to_hash = $customer_id . '|' . $expiration;
    return hash_hmac('md5', $to_hash, wp_hash($to_hash));
}

/** The customer id a valid, unexpired session cookie names, else null. */
function rehearse_session_cookie_customer() {
    $raw = $_COOKIE[rehearse_session_cookie_name()] ?? '';
    $parts = explode('||', wp_unslash($raw));
    if (count($parts) !== 4 || (int) $parts[1] < time()) {
        return null;
    }
    return hash_equals(rehearse_cookie_hash($parts[0], $parts[1]), $parts[3]) ? $parts[0] : null;
}

final class Rehearse_Cart_Session {
    /** @var string */
    public $customer_id;
    /** item key => ['key' => string, 'id' => int, 'quantity' => int] */
    public $cart = [];
    /** Names this cart until it is checked out: part of the checkout's idempotency key. */
    public $cart_id = null;
    /** Identified by a valid Cart-Token header (then no cookies, and no Nonce needed). */
    public $via_token = false;
    /** Written back during this request. */
    public $saved = false;

    private static $current = null;

    public static function current() {
        if (self::$current === null) {
            self::$current = self::load();
        }
        return self::$current;
    }

    private static function redis() {
        $redis = rehearse_redis();
        if ($redis === null) {
            throw new RuntimeException('the session store (Redis) does not answer');
        }
        return $redis;
    }

    private static function key($customer_id) {
        return 'rehearse:wc_session:' . $customer_id;
    }

    private static function load() {
        $s = new self();
        $token = $_SERVER['HTTP_CART_TOKEN'] ?? '';
        $payload = $token !== '' ? rehearse_jwt_decode($token) : null;
        if ($payload !== null && !empty($payload['user_id'])) {
            $s->customer_id = (string) $payload['user_id'];
            $s->via_token = true;
        } else {
            $s->customer_id = rehearse_session_cookie_customer() ?? 't_' . substr(bin2hex(random_bytes(16)), 0, 30);
        }
        $raw = self::read($s->customer_id);
        $data = $raw === false || $raw === null ? null : json_decode($raw, true);
        $s->cart = is_array($data['cart'] ?? null) ? $data['cart'] : [];
        $s->cart_id = is_string($data['cart_id'] ?? null) ? $data['cart_id'] : null;
        return $s;
    }

    private static function table() {
        global $wpdb;
        return $wpdb->prefix . 'woocommerce_sessions';
    }

    private static function read($customer_id) {
        global $wpdb;
        if (!rehearse_cost_calibrated()) {
            return self::redis()->get(self::key($customer_id));
        }
        $raw = $wpdb->get_var($wpdb->prepare('SELECT session_value FROM ' . self::table() . ' WHERE session_key = %s', $customer_id));
        if ($raw === null && $wpdb->last_error !== '') {
            throw new RuntimeException('the session table does not answer: ' . $wpdb->last_error);
        }
        return $raw;
    }

    /** Writes the session row (WooCommerce writes it on every cart request) without touching cookies. */
    public function persist() {
        global $wpdb;
        $value = json_encode(['cart' => $this->cart, 'cart_id' => $this->cart_id]);
        if (!rehearse_cost_calibrated()) {
            self::redis()->setex(self::key($this->customer_id), REHEARSE_SESSION_TTL, $value);
            return;
        }
        $ok = $wpdb->query($wpdb->prepare('INSERT INTO ' . self::table() . ' (session_key, session_value, session_expiry) VALUES (%s, %s, %d)'
            . ' ON DUPLICATE KEY UPDATE session_value = VALUES(session_value), session_expiry = VALUES(session_expiry)',
            $this->customer_id, $value, time() + REHEARSE_SESSION_TTL));
        if ($ok === false) {
            throw new RuntimeException('the session table refused the write: ' . $wpdb->last_error);
        }
    }

    public function items_count() {
        return array_sum(array_column($this->cart, 'quantity'));
    }

    public function token() {
        return rehearse_jwt_encode(['user_id' => $this->customer_id, 'exp' => time() + REHEARSE_SESSION_TTL, 'iss' => 'store-api']);
    }

    /** Writes the cart back; a cookie session also gets WooCommerce's cookies. */
    public function save() {
        if ($this->cart && !$this->cart_id) {
            $this->cart_id = bin2hex(random_bytes(8));
        }
        $this->persist();
        $this->saved = true;
        if (!$this->via_token) {
            $this->send_cookies();
        }
    }

    private function send_cookies() {
        $opts = function ($expires) {
            return ['expires' => $expires, 'path' => COOKIEPATH ?: '/', 'domain' => COOKIE_DOMAIN ?: '', 'secure' => is_ssl(), 'httponly' => true, 'samesite' => 'Lax'];
        };
        $expiration = time() + REHEARSE_SESSION_TTL;
        $value = implode('||', [$this->customer_id, $expiration, $expiration - HOUR_IN_SECONDS, rehearse_cookie_hash($this->customer_id, $expiration)]);
        setcookie(rehearse_session_cookie_name(), $value, $opts($expiration));
        if ($this->cart) {
            setcookie('woocommerce_items_in_cart', '1', $opts(0));
            setcookie('woocommerce_cart_hash', md5(json_encode(array_values($this->cart))), $opts(0));
        } else {
            foreach (['woocommerce_items_in_cart', 'woocommerce_cart_hash'] as $name) {
                if (isset($_COOKIE[$name])) {
                    setcookie($name, '', $opts(time() - YEAR_IN_SECONDS));
                }
            }
        }
    }
}

/** WooCommerce's refusal of a cart/checkout write without a valid Cart-Token or Nonce; null = allowed. */
function rehearse_store_nonce_error(Rehearse_Cart_Session $session) {
    if ($session->via_token) {
        return null;
    }
    $nonce = $_SERVER['HTTP_NONCE'] ?? ($_SERVER['HTTP_X_WC_STORE_API_NONCE'] ?? '');
    if ($nonce === '') {
        return new WP_Error('woocommerce_rest_missing_nonce', 'Missing the Nonce header. This endpoint requires a valid nonce.', ['status' => 401]);
    }
    if (!wp_verify_nonce($nonce, 'wc_store_api')) {
        return new WP_Error('woocommerce_rest_invalid_nonce', 'Nonce is invalid.', ['status' => 403]);
    }
    return null;
}

/** A cart/checkout response with the headers WooCommerce sends: Cart-Token, Nonce, Nonce-Timestamp, User-ID. */
function rehearse_store_response($data, $status, Rehearse_Cart_Session $session) {
    $r = $data instanceof WP_Error ? rest_convert_error_to_response($data) : new WP_REST_Response($data, $status);
    $r->header('Cart-Token', $session->token());
    $r->header('Nonce', wp_create_nonce('wc_store_api'));
    $r->header('Nonce-Timestamp', (string) time());
    $r->header('User-ID', (string) get_current_user_id());
    $r->header('Cache-Control', 'no-store, no-cache, must-revalidate, max-age=0');
    return $r;
}
