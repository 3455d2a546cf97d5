import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nextComma, sameBytes, viewOf } from './csv-bytes.ts';
import { Metric, metricCodeAt } from './k6-metrics.ts';

function naiveNextComma(buf: Buffer, from: number, end: number): number {
  for (let i = from; i < end; i++) if (buf[i] === 44 || buf[i] === 34) return i;
  return end;
}

test('nextComma finds the first comma or quote at every offset, among any bytes', () => {
  let seed = 3;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  // Bytes next to the searched ones (43, 45, 33, 35), zero, and high UTF-8 bytes: the word trick's traps.
  const alphabet = [44, 34, 43, 45, 33, 35, 0, 1, 0x80, 0xac, 0xa2, 0xff, 97, 48];
  for (let round = 0; round < 2000; round++) {
    const len = 1 + Math.floor(rand() * 40);
    const buf = Buffer.alloc(len);
    for (let i = 0; i < len; i++)
      buf[i] =
        rand() < 0.1 ? alphabet[Math.floor(rand() * 2)] : alphabet[2 + Math.floor(rand() * (alphabet.length - 2))];
    const view = viewOf(buf);
    const from = Math.floor(rand() * len);
    const end = from + Math.floor(rand() * (len - from + 1));
    assert.equal(nextComma(view, from, end), naiveNextComma(buf, from, end), `${[...buf].join(' ')} [${from}, ${end})`);
  }
});

test('sameBytes compares ranges of any length, including the bytes after the last whole word', () => {
  const buf = Buffer.from('abcdefghij|abcdefghij|abcdefghiX|abcdefghi');
  const v = viewOf(buf);
  assert.equal(sameBytes(v, 0, 10, v, 11, 21), true);
  assert.equal(sameBytes(v, 0, 10, v, 22, 32), false, 'last byte differs');
  assert.equal(sameBytes(v, 0, 10, v, 33, 42), false, 'lengths differ');
  assert.equal(sameBytes(v, 0, 9, v, 33, 42), true);
  assert.equal(sameBytes(v, 0, 0, v, 5, 5), true);
  const other = viewOf(Buffer.from('..abcdefghiX'));
  assert.equal(sameBytes(v, 22, 32, other, 2, 12), true, 'ranges of two different views');
  assert.equal(sameBytes(v, 0, 10, other, 2, 12), false);
});

test('metricCodeAt knows the used metrics by their exact bytes and nothing else', () => {
  const names: Array<[string, number]> = [
    ['http_reqs', Metric.httpReqs],
    ['http_req_duration', Metric.httpReqDuration],
    ['http_req_failed', Metric.httpReqFailed],
    ['checks', Metric.checks],
    ['iterations', Metric.iterations],
    ['dropped_iterations', Metric.droppedIterations],
    ['data_received', Metric.dataReceived],
    ['data_sent', Metric.dataSent],
    ['vus', Metric.vus],
    // Same lengths as used ones, differing in the first word, a middle word or the last bytes.
    ['http_req_blocked', Metric.other],
    ['http_req_receiving', Metric.other],
    ['iteration_duration', Metric.other],
    ['xttp_req_duration', Metric.other],
    ['http_req_duratioX', Metric.other],
    ['http_rex_duration', Metric.other],
    ['vus_max', Metric.other],
    ['vu', Metric.other],
    ['', Metric.other],
  ];
  for (const [name, code] of names) {
    const buf = Buffer.from(`,${name},1`);
    assert.equal(metricCodeAt(viewOf(buf), 1, 1 + name.length), code, name);
  }
});
