import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { fixtureRecord } from '../fixtures/fixture-record.ts';
import { parseRecord, RECORD_SCHEMA_ID } from './record-schema.ts';
import { fieldTable, schemaFields } from './schema-doc.ts';

test('a record built from real k6 output passes the schema unchanged', async () => {
  const record = await fixtureRecord();
  assert.equal(record.schema, RECORD_SCHEMA_ID);
  assert.deepEqual(parseRecord(JSON.parse(JSON.stringify(record))), record);
});

test('a bad record is rejected with the source, every bad field path, and the fix', async () => {
  const record: any = await fixtureRecord();
  record.totals.requests = -3;
  record.journeys[0].latency.p95 = 'slow';
  delete record.run.id;
  assert.throws(
    () => parseRecord(record, 'runs/x/record.json'),
    (e: Error) => {
      assert.match(e.message, /^runs\/x\/record\.json: not a valid rehearse\.record\/v1 run record/);
      assert.match(e.message, /→ at totals\.requests/);
      assert.match(e.message, /→ at journeys\[0\]\.latency\.p95/);
      assert.match(e.message, /→ at run\.id/);
      assert.match(e.message, /Fix: regenerate it .*aggregateRun/);
      return true;
    },
  );
});

test('a record of another schema version is refused by name', async () => {
  const record: any = await fixtureRecord();
  record.schema = 'rehearse.record/v2';
  assert.throws(
    () => parseRecord(record, 'record.json'),
    /record\.json: schema is "rehearse\.record\/v2", this build reads "rehearse\.record\/v1"/,
  );
  assert.throws(() => parseRecord(null), /not a valid rehearse\.record\/v1 run record/);
});

test('every field of the schema is documented, and README.md shows the current field table', async () => {
  const fields = schemaFields();
  assert.ok(fields.length > 100);
  assert.deepEqual(
    fields.filter((f) => f.description.trim() === '').map((f) => f.path),
    [],
  );
  const readme = await readFile(new URL('./README.md', import.meta.url), 'utf8');
  const table = /<!-- fields:start -->\n([\s\S]*?)\n<!-- fields:end -->/.exec(readme)?.[1];
  assert.equal(
    table,
    fieldTable(fields),
    'README.md is stale: regenerate its table with node --import tsx reports/record/schema-doc.ts',
  );
});
