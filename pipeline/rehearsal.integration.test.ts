// The walking skeleton end to end, as `npm run rehearsal` runs it: replica up, k6 load, record,
// report, replica down. Slow (it starts the real replica): grouped with the integration tests.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { status } from '../infra/local/replica.ts';
import { freeReplicaPort } from '../infra/local/test-support/free-port.ts';

const BIN = fileURLToPath(new URL('../bin/rehearse.mjs', import.meta.url));
let dir: string;
let env: NodeJS.ProcessEnv;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rehearse-e2e-'));
  await chmod(dir, 0o755); // the replica's mysql and www-data users must reach the state dir
  env = {
    ...process.env,
    CI: 'true',
    REHEARSE_STATE_DIR: join(dir, 'state'),
    REHEARSE_LOCAL_PORT: String(await freeReplicaPort()),
  };
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface Finished {
  code: number | null;
  out: string;
  err: string;
}

function rehearsal(args: string[], onErr?: (text: string, child: ReturnType<typeof spawn>) => void): Promise<Finished> {
  const child = spawn(process.execPath, [BIN, 'rehearsal', '--runs-dir', join(dir, 'runs'), ...args], { env });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => {
    err += d;
    onErr?.(err, child);
  });
  const guard = setTimeout(() => child.kill('SIGKILL'), 240_000);
  return new Promise((done) =>
    child.on('close', (code) => {
      clearTimeout(guard);
      done({ code, out, err });
    }),
  );
}

async function assertReplicaStopped() {
  const s = await status({ stateDir: join(dir, 'state') });
  assert.equal(s.running, false);
  for (const c of s.components) assert.equal(c.alive, false, `${c.name} (pid ${c.pid}) still alive`);
}

test('a short rehearsal writes a run directory whose record agrees with k6 and stops the replica', async () => {
  const res = await rehearsal(['--profile', 'smoke', '--duration', '20s', '--peak-rate', '2']);
  assert.equal(res.code, 0, res.err);
  const runDir = res.out.trim().split('\n').at(-1)!;
  assert.ok(runDir.startsWith(join(dir, 'runs')), `prints the run directory: ${res.out}`);
  for (const f of [
    'plan.json',
    'raw/local-0/samples.csv',
    'raw/local-0/summary.json',
    'record.json',
    'report.html',
    'summary.md',
  ]) {
    assert.ok(existsSync(join(runDir, f)), `${f} written`);
  }
  assert.ok(!existsSync(`${runDir}.partial`), 'no partial directory left');
  assert.match(res.err, /report: .*report\.html/);

  const record = JSON.parse(await readFile(join(runDir, 'record.json'), 'utf8'));
  const summary = JSON.parse(await readFile(join(runDir, 'raw/local-0/summary.json'), 'utf8'));
  const k6Requests = summary.metrics.http_reqs.values.count;
  assert.ok(k6Requests > 20, `k6 sent a real load (${k6Requests} requests)`);
  assert.equal(record.totals.requests, k6Requests, 'the record counts exactly what k6 counted');
  const browse = record.journeys.find((j: { name: string }) => j.name === 'browse');
  assert.ok(browse.requests > 0 && browse.latency.p95 > 0, 'browse journey has latency percentiles');
  assert.ok(record.totals.errorRate < 0.05, `the replica served the load (error rate ${record.totals.errorRate})`);
  const html = await readFile(join(runDir, 'report.html'), 'utf8');
  assert.ok(
    html.includes(String(k6Requests)) || html.includes(k6Requests.toLocaleString('en-US')),
    'the report shows the request count',
  );
  await assertReplicaStopped();
});

test('Ctrl-C mid-run stops the load, still writes the record of what ran, and stops the replica', async () => {
  let sent = false;
  const res = await rehearsal(['--profile', 'smoke', '--duration', '60s', '--peak-rate', '2'], (err, child) => {
    // Interrupt once k6 has been sending for a while (the first progress line appears at 10 s in CI).
    if (!sent && /requests [1-9]\d*/.test(err)) {
      sent = true;
      child.kill('SIGINT');
    }
  });
  assert.ok(sent, `the run reached the load phase: ${res.err}`);
  assert.equal(res.code, 130, res.err);
  const runDir = res.out.trim().split('\n').at(-1)!;
  const record = JSON.parse(await readFile(join(runDir, 'record.json'), 'utf8'));
  assert.equal(record.run.interrupted, true);
  assert.ok(record.totals.requests > 0);
  await assertReplicaStopped();
});
