import assert from 'node:assert/strict';
import { test } from 'node:test';
import { balancerCounters, parseCpuTicks, parseMariadbOutput, parseRedisInfo } from './sampler.ts';

test('parsers of /proc stat, HAProxy stats, MariaDB and Redis output', () => {
  assert.equal(parseCpuTicks('42 (mariadbd) S 1 42 42 0 -1 4194560 1 0 0 0 120 30 0 0 20 0 9 0 100 0 0'), 150);
  const csv =
    '# pxname,svname,scur,stot,bin,bout,req_tot,hrsp_5xx\nshop,FRONTEND,3,20,100,900,55,\napp,app-0,1,30,,,,0\napp,BACKEND,1,30,,,,2\n';
  assert.deepEqual(balancerCounters(csv), {
    frontend: { requests: 55, connections: 20, active: 3, bytes: 1000, http5xx: 2 },
    sessionsByServer: { 'app-0': 30 },
  });
  assert.deepEqual(parseMariadbOutput('Threads_connected\t6\n12\n'), { connections: 5, orders: 12 });
  assert.deepEqual(parseMariadbOutput('Threads_connected\t2\n'), { connections: 1 });
  assert.deepEqual(parseRedisInfo('$100\r\n# Clients\r\nconnected_clients:4\r\n# Stats\r\nevicted_keys:7\r\n'), {
    connections: 3,
    evictions: 7,
  });
});
