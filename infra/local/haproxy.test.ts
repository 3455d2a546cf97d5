import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseServerStats, parseStatCsv } from './haproxy.ts';

test('parseServerStats returns the backend servers with status and session totals', () => {
  const csv = `# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,status,check_status
shop,FRONTEND,,,0,1,4096,12,0,0,OPEN,
app,app-0,0,0,2,1,,7,0,0,UP,L7OK
app,app-1,0,0,0,1,,5,0,0,DOWN,L7STS
app,BACKEND,0,0,0,1,410,12,0,0,UP,
`;
  assert.deepEqual(parseServerStats(csv), [
    { name: 'app-0', status: 'UP', totalSessions: 7, check: 'L7OK', currentSessions: 2 },
    { name: 'app-1', status: 'DOWN', totalSessions: 5, check: 'L7STS', currentSessions: 0 },
  ]);
});

test('parseStatCsv keeps every row with its columns', () => {
  const rows = parseStatCsv('# pxname,svname,req_tot\nshop,FRONTEND,42\napp,BACKEND,40\n');
  assert.deepEqual(rows, [
    { pxname: 'shop', svname: 'FRONTEND', req_tot: '42' },
    { pxname: 'app', svname: 'BACKEND', req_tot: '40' },
  ]);
});
