import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SampleTags } from './k6-sample.ts';
import { hashBytes, TagTable } from './tag-table.ts';

const view = (text: string) => {
  const b = Buffer.from(`xx${text}yy`); // offsets other than 0, as inside a chunk
  return new DataView(b.buffer, b.byteOffset, b.length);
};
const tags = (name: string): SampleTags => ({
  scenario: 's',
  name,
  status: '200',
  check: '',
  errorCode: '',
  orderId: '',
  kind: '',
  fieldCount: 19,
  memo: undefined,
});

test('finds tags by the bytes they were stored under, not by position or a prefix', () => {
  const t = new TagTable();
  const keys = [
    ',,,true,,GET,home,HTTP/1.1,browse,,200,,,home,,',
    ',,,true,,GET,home,HTTP/1.1,browse,,201,,,home,,',
    'a',
    'ab',
    'abc',
    'abcd',
    'abcde',
    'é,ü',
  ];
  for (const k of keys) {
    const v = view(k);
    assert.equal(t.find(v, 2, v.byteLength - 2), undefined, `${k} before add`);
    t.add(v, 2, v.byteLength - 2, tags(k));
  }
  for (const k of keys) {
    const v = view(k);
    assert.equal(t.find(v, 2, v.byteLength - 2)?.name, k);
  }
  const v = view('abcdef');
  assert.equal(t.find(v, 2, 8), undefined, '"abcdef" was never stored, though "abcde" was');
  assert.equal(t.find(v, 2, 7)?.name, 'abcde', 'a range of a longer buffer matches its own bytes');
  assert.equal(t.find(v, 2, 6)?.name, 'abcd');
  assert.equal(t.size, keys.length);
});

test('keys that collide in the hash are still told apart by their bytes', () => {
  const t = new TagTable();
  // Enough keys that several share a slot chain: every one must come back as itself.
  for (let i = 0; i < 3000; i++) {
    const v = view(`k${i}`);
    t.add(v, 2, v.byteLength - 2, tags(`k${i}`));
  }
  for (let i = 0; i < 3000; i++) {
    const v = view(`k${i}`);
    assert.equal(t.find(v, 2, v.byteLength - 2)?.name, `k${i}`);
  }
});

test('stays bounded: a table full of one-off tag sets starts over', () => {
  const t = new TagTable();
  for (let i = 0; i < 20_000; i++) {
    const v = view(`unique-${i}`);
    t.add(v, 2, v.byteLength - 2, tags(String(i)));
    assert.ok(t.size <= 4096);
  }
  const last = view('unique-19999');
  assert.equal(t.find(last, 2, last.byteLength - 2)?.name, '19999');
});

test('the hash depends on every byte and on the length', () => {
  const a = view('abcdefgh');
  const b = view('abcdefgi');
  assert.notEqual(hashBytes(a, 2, 10), hashBytes(b, 2, 10));
  assert.notEqual(hashBytes(a, 2, 9), hashBytes(a, 2, 10));
  assert.equal(hashBytes(a, 2, 10), hashBytes(view('abcdefgh'), 2, 10));
});
