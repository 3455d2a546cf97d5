import assert from 'node:assert/strict';
import { test } from 'node:test';
import { splitCsvRecord } from './csv-fields.ts';

test('splits plain fields, keeping empty ones', () => {
  assert.deepEqual(splitCsvRecord('a,,b,'), { fields: ['a', '', 'b', ''], complete: true, malformed: false });
  assert.deepEqual(splitCsvRecord(''), { fields: [''], complete: true, malformed: false });
});

test('unquotes Go encoding/csv fields: commas and doubled quotes inside quotes', () => {
  const r = splitCsvRecord('http_reqs,"product ""a,b""",x,"",""""');
  assert.deepEqual(r.fields, ['http_reqs', 'product "a,b"', 'x', '', '"']);
  assert.equal(r.complete, true);
  assert.equal(r.malformed, false);
});

test('a quoted field holding a newline continues on the next line', () => {
  assert.equal(splitCsvRecord('a,"line one').complete, false);
  assert.deepEqual(splitCsvRecord('a,"line one\nline two",b').fields, ['a', 'line one\nline two', 'b']);
});

test('flags quotes in the wrong place', () => {
  assert.equal(splitCsvRecord('a,b"c,d').malformed, true);
  assert.equal(splitCsvRecord('a,"b"c,d').malformed, true);
});
