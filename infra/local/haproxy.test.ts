import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseServerStats } from './haproxy.ts';

test('parseServerStats returns the backend servers with status and session totals', () => {
  const csv = `# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,status,check_status
shop,FRONTEND,,,0,1,4096,12,0,0,OPEN,
app,app-0,0,0,0,1,,7,0,0,UP,L7OK
app,app-1,0,0,0,1,,5,0,0,DOWN,L7STS
app,BACKEND,0,0,0,1,410,12,0,0,UP,
`;
  assert.deepEqual(parseServerStats(csv), [
    { name: 'app-0', status: 'UP', totalSessions: 7, check: 'L7OK' },
    { name: 'app-1', status: 'DOWN', totalSessions: 5, check: 'L7STS' },
  ]);
});
