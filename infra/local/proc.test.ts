import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseProcNetTcp, parseStat } from './proc.ts';

test('parseStat copes with spaces and parentheses in the command name', () => {
  const st = parseStat(
    '4242 (php-fpm: pool (app-0)) S 4200 4200 4200 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 987654 1000 10 ...',
  );
  assert.equal(st.pid, 4242);
  assert.equal(st.state, 'S');
  assert.equal(st.ppid, 4200);
  assert.equal(st.pgid, 4200);
  assert.equal(st.sid, 4200);
  assert.equal(st.startTime, 987654);
});

const tcp = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:46A0 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 111 1 0000000000000000 100 0 0 10 0
   1: 00000000:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 222 1 0000000000000000 100 0 0 10 0
   2: 0100007F:46A0 0100007F:D2F0 01 00000000:00000000 00:00000000 00000000     0        0 333 1 0000000000000000 20 4 30 10 -1
`;

test('parseProcNetTcp keeps listeners only and decodes little-endian IPv4', () => {
  assert.deepEqual(parseProcNetTcp(tcp), [
    { address: '127.0.0.1', port: 18080, inode: 111 },
    { address: '0.0.0.0', port: 22, inode: 222 },
  ]);
});

test('parseProcNetTcp decodes IPv6 (::1 and ::)', () => {
  const tcp6 = `  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000000000000000000001000000:1F90 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 444 1 0000000000000000 100 0 0 10 0
   1: 00000000000000000000000000000000:0050 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 555 1 0000000000000000 100 0 0 10 0
`;
  assert.deepEqual(parseProcNetTcp(tcp6), [
    { address: '0:0:0:0:0:0:0:1', port: 8080, inode: 444 },
    { address: '0:0:0:0:0:0:0:0', port: 80, inode: 555 },
  ]);
});
