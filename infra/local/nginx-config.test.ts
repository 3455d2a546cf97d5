import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nginxConfig } from './nginx-config.ts';

const cfg = nginxConfig({
  instanceName: 'app-1',
  port: 18101,
  docroot: '/s/wordpress/docroot',
  fpmSocket: '/s/instances/app-1/php-fpm.sock',
  pidFile: '/s/instances/app-1/nginx.pid',
  errorLog: '/s/logs/nginx-app-1.log',
  tempDir: '/s/instances/app-1/tmp',
  user: 'www-data',
});
const lines = cfg.split('\n').map((l) => l.trim());

test('listens only on 127.0.0.1:<instance port>', () => {
  const listens = lines.filter((l) => l.startsWith('listen '));
  assert.deepEqual(listens, ['listen 127.0.0.1:18101 default_server;']);
});

test('passes the Host header with its port (pitfall 2) and not Debian fastcgi_params', () => {
  assert.ok(lines.includes('fastcgi_param HTTP_HOST $http_host;'));
  assert.ok(!lines.some((l) => /HTTP_HOST\s+\$host;/.test(l)));
  assert.ok(!cfg.includes('include fastcgi_params') && !cfg.includes('include /etc/nginx/fastcgi'));
});

test("pretty permalinks fall back to index.php; PHP goes to this instance's php-fpm socket", () => {
  assert.ok(lines.includes('try_files $uri $uri/ /index.php?$args;'));
  assert.ok(lines.includes('fastcgi_pass unix:/s/instances/app-1/php-fpm.sock;'));
  assert.ok(lines.includes('root /s/wordpress/docroot;'));
});

test('own pid, error log and temp paths; foreground; instance header', () => {
  assert.ok(lines.includes('pid /s/instances/app-1/nginx.pid;'));
  assert.ok(lines.includes('error_log /s/logs/nginx-app-1.log warn;'));
  assert.ok(lines.includes('daemon off;'));
  for (const t of ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) {
    assert.ok(lines.includes(`${t}_temp_path /s/instances/app-1/tmp/${t};`), t);
  }
  assert.ok(lines.includes('add_header X-Rehearse-Instance app-1 always;'));
});

test('started by a user who is not root: no user directive (nginx would only warn and ignore it)', () => {
  assert.ok(lines.includes('user www-data;'));
  const own = nginxConfig({
    instanceName: 'a',
    port: 1,
    docroot: '/d',
    fpmSocket: '/f',
    pidFile: '/p',
    errorLog: '/e',
    tempDir: '/t',
  });
  assert.ok(!/^user /m.test(own));
  assert.match(own, /^pid \/p;$/m);
});
