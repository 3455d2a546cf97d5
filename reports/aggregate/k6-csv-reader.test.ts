import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { tempDir } from '../../test-support/temp-dir.ts';
import { parseNumber, parseTimestamp } from './csv-bytes.ts';
import { K6CsvParser, type SampleSink } from './k6-csv-reader.ts';
import { Metric } from './k6-metrics.ts';
import { readChunks } from './sample-files.ts';

const HEADER =
  'metric_name,timestamp,metric_value,check,error,error_code,expected_response,group,method,name,proto,scenario,service,status,subproto,tls_version,url,extra_tags,metadata';
// Lines as k6 v2.2.0 writes them (see reports/fixtures/run-4runners).
const REQ = 'http_reqs,1795602990,1.000000,,,,true,,GET,home,HTTP/1.0,browse,,200,,,home,journey=browse,';
const DUR = 'http_req_duration,1795602990,1.633364,,,,true,,GET,home,HTTP/1.0,browse,,200,,,home,journey=browse,';
const BLOCKED = 'http_req_blocked,1795602990,1.561248,,,,true,,GET,home,HTTP/1.0,browse,,200,,,home,journey=browse,';
const QUOTED =
  'http_req_duration,1795602991,0.804479,,,,true,,GET,"product ""a,b""",HTTP/1.0,browse,,200,,,"product ""a,b""",,';
const FAILED = 'http_req_failed,1795602991,1.000000,,,1404,false,,GET,cart,HTTP/1.0,checkout,,404,,,cart,,';
const CHECK = 'checks,1795602991,0.000000,cart ok,,,,,,,,checkout,,,,,,,';

interface Seen {
  metric: number;
  t: number;
  value: number;
  scenario: string;
  name: string;
  status: string;
  check: string;
  errorCode: string;
}

function collect(): { sink: SampleSink; seen: Seen[] } {
  const seen: Seen[] = [];
  const sink: SampleSink = {
    onSample(metric, t, value, tags) {
      seen.push({
        metric,
        t,
        value,
        scenario: tags.scenario,
        name: tags.name,
        status: tags.status,
        check: tags.check,
        errorCode: tags.errorCode,
      });
    },
  };
  return { sink, seen };
}

function parse(text: string | Buffer, chunkSize = Infinity) {
  const { sink, seen } = collect();
  const p = new K6CsvParser({ file: 'raw/r1/samples.csv', sink });
  const buf = typeof text === 'string' ? Buffer.from(text) : text;
  for (let i = 0; i < buf.length; i += Math.min(chunkSize, buf.length))
    p.push(buf.subarray(i, Math.min(buf.length, i + chunkSize)));
  p.end();
  return { seen, stats: p.stats, parser: p };
}

test('parses k6 lines into metric, time, value and tags; skips unused metrics', () => {
  const { seen, stats } = parse([HEADER, REQ, DUR, BLOCKED, FAILED, CHECK, ''].join('\n'));
  assert.deepEqual(
    seen.map((s) => [s.metric, s.t, s.value, s.scenario, s.name, s.status]),
    [
      [Metric.httpReqs, 1795602990, 1, 'browse', 'home', '200'],
      [Metric.httpReqDuration, 1795602990, 1.633364, 'browse', 'home', '200'],
      [Metric.httpReqFailed, 1795602991, 1, 'checkout', 'cart', '404'],
      [Metric.checks, 1795602991, 0, 'checkout', '', ''],
    ],
  );
  assert.equal(seen[2].errorCode, '1404');
  assert.equal(seen[3].check, 'cart ok');
  assert.deepEqual(
    { lines: stats.lines, samples: stats.samples, corrupt: stats.corruptLines },
    { lines: 5, samples: 5, corrupt: 0 },
  );
});

test('unquotes quoted fields (commas and doubled quotes in a tag)', () => {
  const { seen, stats } = parse([HEADER, QUOTED, ''].join('\n'));
  assert.equal(stats.corruptLines, 0);
  assert.equal(seen.length, 1);
  assert.equal(seen[0].name, 'product "a,b"');
  assert.equal(seen[0].value, 0.804479);
});

test('a quoted tag holding a newline spans two physical lines; later line numbers stay right', () => {
  const multi = 'checks,1795602991,1.000000,"two\nlines",,,,,,,,browse,,,,,,,';
  const text = [HEADER, multi, 'garbage', ''].join('\n');
  const { seen, stats } = parse(text, 7);
  assert.equal(seen.length, 1);
  assert.equal(seen[0].check, 'two\nlines');
  assert.equal(stats.corruptLines, 1);
  assert.deepEqual(
    corruptExamples(text).examples.map((e) => e.line),
    [4],
  );
});

test('any chunking gives the same samples as one chunk', () => {
  const text = [HEADER, REQ, DUR, QUOTED, FAILED, CHECK, BLOCKED, ''].join('\n');
  const whole = parse(text).seen;
  for (const size of [1, 2, 3, 7, 64, 100]) assert.deepEqual(parse(text, size).seen, whole, `chunk size ${size}`);
});

test('a truncated last line is counted as corrupt with its line number, not used', () => {
  const { seen, stats } = parse([HEADER, REQ, DUR.slice(0, 40)].join('\n'));
  assert.equal(seen.length, 1);
  assert.equal(stats.corruptLines, 1);
  const { examples } = corruptExamples([HEADER, REQ, DUR.slice(0, 40)].join('\n'));
  assert.deepEqual(
    examples.map((e) => [e.file, e.line]),
    [['raw/r1/samples.csv', 3]],
  );
  assert.match(examples[0].reason, /truncated last line/);
});

function corruptExamples(text: string) {
  const { sink } = collect();
  const examples: { file: string; line: number; reason: string; text: string }[] = [];
  const p = new K6CsvParser({ file: 'raw/r1/samples.csv', sink, examples, maxExamples: 3 });
  p.push(Buffer.from(text));
  p.end();
  return { examples, stats: p.stats };
}

test('corrupt lines are counted and reported by line number; parsing goes on', () => {
  const lines = [
    HEADER,
    REQ,
    'http_reqs,1795602990,1.0', // too few fields
    'http_req_duration,17956x2990,1.6,,,,true,,GET,home,HTTP/1.0,browse,,200,,,home,journey=browse,', // bad timestamp
    'http_req_duration,1795602990,abc,,,,true,,GET,home,HTTP/1.0,browse,,200,,,home,journey=browse,', // bad value
    'http_req_duration,1795602990,1.5,,,,true,,GET,home,HTTP/1.0,browse,,200,,,home,journey=browse,,extra', // too many fields
    DUR,
    '\u0000\u0000\u0000',
    FAILED,
    '',
  ];
  const { examples, stats } = corruptExamples(lines.join('\n'));
  assert.equal(stats.corruptLines, 5);
  assert.equal(stats.samples, 3);
  assert.deepEqual(
    examples.map((e) => e.line),
    [3, 4, 5],
  ); // maxExamples: 3
  assert.match(examples[0].reason, /expected 19 fields, found 3/);
  assert.match(examples[1].reason, /timestamp/);
  assert.match(examples[2].reason, /metric_value/);
});

test('CRLF line ends and a repeated header (concatenated files) are accepted', () => {
  const { seen, stats } = parse([HEADER, REQ, HEADER, DUR, ''].join('\r\n'));
  assert.equal(stats.corruptLines, 0);
  assert.equal(seen.length, 2);
  assert.equal(seen[1].name, 'home');
});

test('timestamps: unix s, ms, µs, ns and RFC 3339 all read as unix seconds', () => {
  const at = (s: string) => parseTimestamp(Buffer.from(s), 0, s.length);
  assert.equal(at('1795602990'), 1795602990);
  assert.equal(at('1795602990123'), 1795602990.123);
  assert.equal(Math.floor(at('1795602990123456')), 1795602990);
  assert.equal(Math.floor(at('1795602990123456789')), 1795602990);
  assert.equal(at('2026-11-25T10:39:36Z'), Date.parse('2026-11-25T10:39:36Z') / 1000);
  assert.ok(Number.isNaN(at('')));
  assert.ok(Number.isNaN(at('yesterday')));
});

test('numbers: plain decimals fast, other forms via Number, junk is NaN', () => {
  const num = (s: string) => parseNumber(Buffer.from(s), 0, s.length);
  assert.equal(num('1.633364'), 1.633364);
  assert.equal(num('-2.5'), -2.5);
  assert.equal(num('1e-05'), 1e-5);
  assert.ok(Number.isNaN(num('')));
  assert.ok(Number.isNaN(num('abc')));
});

test('gz files are read like plain ones; a cut gz stream yields its good part and a note', async () => {
  const dir = tempDir('rehearse-reader-');
  const text = [
    HEADER,
    ...Array.from({ length: 2000 }, (_, i) => REQ.replace('1795602990', String(1795602990 + Math.floor(i / 100)))),
    '',
  ].join('\n');
  const gz = gzipSync(Buffer.from(text));
  await writeFile(join(dir, 'samples.csv.gz'), gz);
  await writeFile(join(dir, 'cut.csv.gz'), gz.subarray(0, Math.floor(gz.length / 2)));

  const read = async (name: string) => {
    const notes: string[] = [];
    const chunks: Buffer[] = [];
    for await (const c of readChunks(join(dir, name), (n) => notes.push(n))) chunks.push(c);
    return { bytes: Buffer.concat(chunks), notes };
  };
  const whole = await read('samples.csv.gz');
  assert.equal(whole.bytes.toString(), text);
  assert.deepEqual(whole.notes, []);

  const cut = await read('cut.csv.gz');
  assert.ok(cut.bytes.length > 0 && cut.bytes.length < text.length);
  assert.equal(cut.notes.length, 1);
  assert.match(cut.notes[0], /cut\.csv\.gz: gzip stream broken .* cut short/);
  assert.equal(text.startsWith(cut.bytes.toString()), true);
  const { seen, stats } = parse(cut.bytes);
  assert.ok(seen.length > 0);
  assert.ok(stats.corruptLines <= 1); // at most the one line the cut went through

  // Gzip is recognised by its magic bytes, whatever the name.
  await writeFile(join(dir, 'misnamed.csv'), gz);
  assert.equal((await read('misnamed.csv')).bytes.toString(), text);
  assert.equal((await readFile(join(dir, 'misnamed.csv')))[0], 0x1f);
});
