// test lane: beside (no replica; mostly waits on timers, moto and a fake store)
// The agent against a directory store and moto's S3 (127.0.0.1, dummy credentials): two agents
// racing for a one-segment run (exactly one wins and runs k6 against a fake store on 127.0.0.1
// for 2 s), and the ways it refuses to start, each leaving no claim behind.
import assert from 'node:assert/strict';
import { CreateBucketCommand, S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startMoto, type MotoServer } from '../../infra/aws/testing/moto-server.ts';
import { writeBrowsePlan } from '../distributed/browse-only.ts';
import { smallCatalogue } from '../../scenarios/test-support/fake-store.ts';
import { useFakeStore } from '../../scenarios/test-support/use-fake-store.ts';
import type { BlobStore } from '../store/blob-store.ts';
import { DirStore } from '../store/dir-store.ts';
import { S3Store } from '../store/s3-store.ts';
import { DoneSchema, KEYS, MANIFEST_SCHEMA, parseChunkKey, type RunManifest } from '../distributed/run-manifest.ts';
import { sha256 } from './csv-chunks.ts';
import { AgentError, runAgent } from './run-agent.ts';

const catalogue = smallCatalogue(2, 3);
const env = useFakeStore(catalogue, 'rehearse-agent-');
let moto: MotoServer;
let s3: S3ClientConfig;
before(async () => {
  moto = await startMoto();
  s3 = moto.s3;
  await new S3Client(s3).send(new CreateBucketCommand({ Bucket: 'agents' }));
});
after(async () => {
  await moto?.stop();
});

async function publish(
  store: BlobStore,
  id: string,
  startInMs: number,
  segments = ['0:1'],
  sequence = '0,1',
): Promise<RunManifest> {
  // Browse only: a fixed 3 requests per journey, so request counts compare exactly.
  const planPath = join(env.dir, `${id}.json`);
  await writeBrowsePlan(planPath, {
    id,
    baseUrl: env.store.baseUrl,
    targetKind: 'local',
    peakRate: 5,
    durationS: 2,
    catalogue,
  });
  await store.put(KEYS.plan, await readFile(planPath));
  const m: RunManifest = {
    schema: MANIFEST_SCHEMA,
    runId: id,
    sequence,
    segments,
    startAt: new Date(Date.now() + startInMs).toISOString(),
    chunkEveryMs: 300,
  };
  await store.put(KEYS.manifest, JSON.stringify(m));
  return m;
}

const logs: string[] = [];
const log = (l: string) => logs.push(l);

async function race(store: BlobStore, id: string): Promise<void> {
  await publish(store, id, 1500);
  const results = await Promise.allSettled([
    runAgent({ store, runnerName: 'a', log }),
    runAgent({ store, runnerName: 'b', log }),
  ]);
  const won = results.filter((r) => r.status === 'fulfilled');
  const lost = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
  assert.equal(won.length, 1, JSON.stringify(results.map((r) => (r.status === 'rejected' ? String(r.reason) : 'won'))));
  assert.ok(lost[0].reason instanceof AgentError);
  assert.match(
    lost[0].reason.message,
    new RegExp(`run ${id}: all 1 segments are claimed already .*nothing for runner [ab] to do`),
  );
  const winner = (won[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof runAgent>>>).value;
  assert.equal(winner.exitCode, 0, (await store.get(KEYS.log(winner.runner)))?.toString());
  const done = DoneSchema.parse(JSON.parse((await store.get(KEYS.done(winner.runner)))!.toString()));
  assert.deepEqual([done.segment, done.error, done.interrupted], [0, null, false]);
  assert.ok(done.summary !== null, 'k6 end-of-test summary is in the done marker');
  // Every chunk: header first, whole lines, checksum matching its name, numbered from 1.
  const keys = (await store.list(KEYS.chunks(winner.runner))).map((k) => ({ k, c: parseChunkKey(k)! }));
  assert.ok(keys.length >= 1);
  assert.deepEqual(
    keys.map(({ c }) => c.n),
    keys.map((_, i) => i + 1),
  );
  let requests = 0;
  for (const { k, c } of keys) {
    const body = (await store.get(k))!;
    assert.equal(sha256(body), c.sha256);
    const text = body.toString();
    assert.ok(text.startsWith('metric_name,timestamp,metric_value,') && text.endsWith('\n'), k);
    requests += text.split('\n').filter((l) => l.startsWith('http_reqs,')).length;
  }
  assert.equal(requests, done.requests);
  assert.ok(requests >= 20, `${requests} requests`);
  assert.equal(await store.get(KEYS.done(winner.runner === 'a' ? 'b' : 'a')), null, 'the loser wrote nothing');
}

describe('agent', () => {
  it('two agents racing for one segment on a directory store: exactly one wins, runs k6 and streams checksummed chunks', () =>
    race(new DirStore(join(env.dir, 'race-dir')), 'race-dir'));

  it('the same race on S3 (moto, If-None-Match: *)', () =>
    race(S3Store.withConfig('s3://agents/runs/race-s3', s3), 'race-s3'));

  it('a start time in the past, a missing manifest, an unreadable plan: clear errors, no claim written', async () => {
    const store = new DirStore(join(env.dir, 'refusals'));
    await assert.rejects(
      runAgent({ store, runnerName: 'r', log }),
      /refusals: no manifest\.json; start the run with `rehearse run --runners N`/,
    );
    await publish(store, 'late', -5000);
    await assert.rejects(
      runAgent({ store, runnerName: 'r', log }),
      /run late: start time .* passed \d+\.\d s ago; no segment claimed/,
    );
    await publish(store, 'bad-plan', 5000);
    await store.put(KEYS.plan, '{"schema":"rehearse.plan/v1","id":"x"}');
    await assert.rejects(
      runAgent({ store, runnerName: 'r', log }),
      (e: Error) => e instanceof AgentError && /plan\.json: .*plan/.test(e.message),
    );
    await assert.rejects(runAgent({ store, runnerName: 'bad name', log }), /--runner-name "bad name": use letters/);
    assert.deepEqual(await store.list(KEYS.claims), [], 'no segment claimed by any refused agent');
  });

  it('a store that refuses writes: a clear error and no claim', async () => {
    const ok = new DirStore(join(env.dir, 'readonly'));
    await publish(ok, 'refused', 5000);
    const refuse = (k: string): never => {
      throw new Error(`store ${ok.where}: cannot write ${k} (EROFS)`);
    };
    const refusing: BlobStore = {
      where: ok.where,
      get: (k) => ok.get(k),
      list: (p) => ok.list(p),
      put: async (k) => refuse(k),
      putIfAbsent: async (k) => refuse(k),
    };
    await assert.rejects(runAgent({ store: refusing, runnerName: 'r', log }), /cannot write claims\/0\.json \(EROFS\)/);
    assert.deepEqual(await ok.list(KEYS.claims), []);
  });

  it('a store that refuses a chunk mid-run: the load stops, the chunks before it stay whole, done.json says why', async () => {
    const ok = new DirStore(join(env.dir, 'midrun'));
    await publish(ok, 'midrun', 1000);
    let chunkPuts = 0;
    const flaky: BlobStore = {
      where: ok.where,
      get: (k) => ok.get(k),
      list: (p) => ok.list(p),
      putIfAbsent: (k, b) => ok.putIfAbsent(k, b),
      put: async (k, b) => {
        if (parseChunkKey(k) && ++chunkPuts === 2) throw new Error(`store ${ok.where}: cannot write ${k} (ENOSPC)`);
        return ok.put(k, b);
      },
    };
    const done = await runAgent({ store: flaky, runnerName: 'r', log });
    assert.match(
      done.error ?? '',
      /^uploading a chunk failed, load stopped: .*cannot write runners\/r\/chunks\/000002-[0-9a-f]{64}\.csv \(ENOSPC\)/,
    );
    assert.equal(done.chunks, 1);
    const keys = await ok.list(KEYS.chunks('r'));
    assert.equal(keys.length, 1, 'only the chunk before the refusal, whole');
    assert.equal(sha256((await ok.get(keys[0]))!), parseChunkKey(keys[0])!.sha256);
    assert.deepEqual(DoneSchema.parse(JSON.parse((await ok.get(KEYS.done('r')))!.toString())).error, done.error);
  });
});
