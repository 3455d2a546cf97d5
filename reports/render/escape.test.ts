import assert from 'node:assert/strict';
import { test } from 'node:test';
import { escapeHtml, escapeMarkdown } from './escape.ts';

test('HTML: markup and quotes become entities', () => {
  assert.equal(
    escapeHtml(`<img src=x onerror="a('1')">&`),
    '&lt;img src=x onerror=&quot;a(&#39;1&#39;)&quot;&gt;&amp;',
  );
  assert.equal(escapeHtml(42), '42');
});

test('Markdown: table pipes, emphasis, links, code and HTML are neutralised; newlines flattened', () => {
  assert.equal(
    escapeMarkdown('a|b *c* _d_ [e](f) `g` <h>\nnext'),
    'a\\|b \\*c\\* \\_d\\_ \\[e\\](f) \\`g\\` &lt;h&gt; next',
  );
});
