<?php
// Installs WordPress without a browser (php CLI, run by infra/local/wordpress.ts).
// Usage: php install.php <docroot> <home-url>
if ($argc !== 3) {
    fwrite(STDERR, "usage: php install.php <docroot> <home-url>\n");
    exit(2);
}
[, $docroot, $home] = $argv;
$url = parse_url($home);
$_SERVER['HTTP_HOST'] = $url['host'] . (isset($url['port']) ? ':' . $url['port'] : '');
$_SERVER['SERVER_NAME'] = $url['host'];
$_SERVER['REQUEST_URI'] = '/';
$_SERVER['SERVER_PROTOCOL'] = 'HTTP/1.1';
$_SERVER['REQUEST_METHOD'] = 'GET';

define('WP_INSTALLING', true);

// Pluggable: wp_install() would otherwise try to mail the admin.
function wp_new_blog_notification($blog_title, $blog_url, $user_id, $password) {
}

require $docroot . '/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';

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

update_option('permalink_structure', '/%postname%/');
update_option('blogdescription', 'A shop-shaped fixture for load rehearsals');
update_option('default_comment_status', 'closed');
if (get_option('template') !== 'twentytwentyone') {
    switch_theme('twentytwentyone');
}
echo "installed\n";
