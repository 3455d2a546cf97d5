<?php
// Cheap health check for HAProxy: does not load WordPress (so it cannot redirect to WP_HOME and
// costs ~1 ms). 200 "ok" when MariaDB and Redis answer, else 503 naming what failed.
header('Content-Type: text/plain');
header('Cache-Control: no-store');

$env = require __DIR__ . '/../rehearse-env.php';
$failed = [];

mysqli_report(MYSQLI_REPORT_OFF);
$db = @mysqli_connect('localhost', $env['db_user'], $env['db_password'], $env['db_name'], 0, $env['db_socket']);
if (!$db) {
    $failed[] = 'mariadb: ' . mysqli_connect_error();
} elseif (!$db->query('SELECT 1')) {
    $failed[] = 'mariadb: ' . $db->error;
}
if ($db) {
    $db->close();
}

try {
    $redis = new Redis();
    $redis->connect($env['redis_socket'], 0, 0.5);
    $pong = $redis->ping();
    if ($pong !== true && $pong !== '+PONG') {
        $failed[] = 'redis: unexpected ping answer';
    }
    $redis->close();
} catch (Throwable $e) {
    $failed[] = 'redis: ' . $e->getMessage();
}

if ($failed) {
    http_response_code(503);
    echo implode("\n", $failed), "\n";
    exit;
}
echo "ok\n";
