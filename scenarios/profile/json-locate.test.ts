import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { locateJsonSyntaxError } from './json-locate.ts';

describe('locateJsonSyntaxError', () => {
  const cases: Array<[string, string, Partial<ReturnType<typeof locateJsonSyntaxError>>]> = [
    ['valid JSON', '{"a": [1, 2, {"b": null}]}', undefined as never],
    ['missing comma between fields', '{"a": 1\n "b": 2}', { line: 2, column: 2, path: ['a'], truncated: false }],
    ['trailing comma in an array', '{"a": [1, 2,]}', { path: ['a', 2], truncated: false }],
    ['trailing comma in an object', '{"a": {"b": 1,}}', { path: ['a', 'b'], truncated: false }],
    ['bare word as a value', '{"a": [{"b": x}]}', { path: ['a', 0, 'b'], truncated: false }],
    ['unclosed string at the end', '{"a": "abc', { path: ['a'], truncated: true }],
    ['cut inside a literal', '[true, fal', { path: [1], truncated: true }],
    ['cut after a value', '{"a": {"b": 1', { path: ['a', 'b'], truncated: true }],
    ['content after the document', '{"a": 1} x', { path: [], truncated: false }],
    ['line break inside a string', '{"a": "x\ny"}', { path: ['a'], truncated: false }],
  ];
  for (const [name, text, want] of cases) {
    it(name, () => {
      const got = locateJsonSyntaxError(text);
      if (want === undefined) return assert.equal(got, undefined);
      assert.throws(() => JSON.parse(text)); // the locator only runs on text JSON.parse rejects
      assert.ok(got, 'a problem is found');
      for (const [k, v] of Object.entries(want))
        assert.deepEqual(got[k as keyof typeof got], v, `${k} for ${JSON.stringify(text)}`);
    });
  }
});
