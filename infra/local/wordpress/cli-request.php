<?php
// What a PHP CLI script sets before loading WordPress, so WordPress believes it serves a request
// to the replica's home URL (install.php and seed.php both need it).
function rehearse_fake_request(string $home): void {
    $url = parse_url($home);
    $_SERVER['HTTP_HOST'] = $url['host'] . (isset($url['port']) ? ':' . $url['port'] : '');
    $_SERVER['SERVER_NAME'] = $url['host'];
    $_SERVER['REQUEST_URI'] = '/';
    $_SERVER['SERVER_PROTOCOL'] = 'HTTP/1.1';
    $_SERVER['REQUEST_METHOD'] = 'GET';
}
