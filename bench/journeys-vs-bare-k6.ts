// journeys-vs-bare-k6: requests per k6 CPU-second of the real journeys (checks, HTML parsing,
// think-time draws, Store API sessions) ÷ the same for a bare k6 script that sends the very same
// requests (recorded by a pass-through proxy during the journeys' run), one run after the other
// against one fake store on 127.0.0.1. k6 CPU = utime + stime of the k6 process, from
// /proc/<pid>/stat, sampled until it exits. Target ≥ 0.8: the journeys' realism may cost ≤ 20 %.

import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { k6Binary } from '../runners/k6-binary.ts';
import { buildPlan } from '../scenarios/plan/build-plan.ts';
import { writePlan } from '../scenarios/plan/plan-file.ts';
import { loadProfile } from '../scenarios/profile/load-profile.ts';
import { k6Command } from '../scenarios/run/k6-command.ts';
import { fakeStoreAssets, smallCatalogue, startFakeStore } from '../scenarios/test-support/fake-store.ts';
import type { Figure } from './figure.ts';

const PEAK_RATE = 40; // journeys/s, all journeys of the smoke mix
const DURATION_S = 15;
const KILL_AFTER_MS = 90_000;
const CLK_TCK = 100; // Linux USER_HZ

interface Recorded {
  m: string;
  p: string;
  b?: string;
  h: Record<string, string>;
}

const BARE_SCRIPT = `
import http from 'k6/http';
import exec from 'k6/execution';
import { SharedArray } from 'k6/data';
const reqs = new SharedArray('reqs', () => JSON.parse(open(__ENV.REQS)));
export const options = { scenarios: { bare: { executor: 'constant-arrival-rate', rate: Number(__ENV.RATE), timeUnit: __ENV.DURATION,
  duration: __ENV.DURATION, preAllocatedVUs: 20, maxVUs: 400 } } };
export default function () {
  const r = reqs[exec.scenario.iterationInTest % reqs.length];
  http.request(r.m, __ENV.BASE + r.p, r.b === undefined ? null : r.b, { headers: r.h, redirects: 0 });
}
export function handleSummary(d) { return { [__ENV.OUT]: JSON.stringify(d) }; }
`;

export async function journeysVsBareK6(): Promise<Figure[]> {
  const dir = await mkdtemp(join(tmpdir(), 'rehearse-bench-k6-'));
  const catalogue = smallCatalogue(4, 10);
  const store = await startFakeStore(catalogue);
  const recorder = await startRecorder(store.baseUrl);
  try {
    const loaded = await loadProfile(new URL('../scenarios/profiles/smoke.json', import.meta.url).pathname);
    const noThink = { ...loaded, profile: { ...loaded.profile, thinkTime: { medianS: 0, p90S: 0 } } };
    const plan = buildPlan(noThink, {
      id: 'bench-journeys',
      baseUrl: recorder.baseUrl,
      targetKind: 'local',
      peakRate: PEAK_RATE,
      durationS: DURATION_S,
      catalogue,
      assetsPerPage: fakeStoreAssets(), // what the classic fake store's pages load
      createdAt: new Date().toISOString(),
    });
    const planPath = join(dir, 'plan.json');
    const journeysSummary = join(dir, 'journeys.summary.json');
    await writePlan(planPath, plan);
    process.stderr.write(`  journeys: ${Math.round(plan.expected.total)} journeys over ${DURATION_S} s…\n`);
    const cmd = k6Command({ k6Bin: k6Binary(), planPath, summaryPath: journeysSummary, extraArgs: ['--quiet'] });
    const journeys = await runMeasured(cmd.command, cmd.args, { ...cmd.env });
    const journeysRequests = httpReqs(await readFile(journeysSummary, 'utf8'));

    const recorded = recorder.stop();
    const reqsPath = join(dir, 'requests.json');
    const scriptPath = join(dir, 'bare.js');
    const bareSummary = join(dir, 'bare.summary.json');
    await writeFile(reqsPath, JSON.stringify(recorded));
    await writeFile(scriptPath, BARE_SCRIPT);
    process.stderr.write(`  bare: the same ${recorded.length} requests over ${DURATION_S} s…\n`);
    const bare = await runMeasured(
      k6Binary(),
      [
        'run',
        '--quiet',
        '--no-usage-report',
        '--no-color',
        '-e',
        `REQS=${reqsPath}`,
        '-e',
        `BASE=${recorder.baseUrl}`,
        '-e',
        `RATE=${recorded.length}`,
        '-e',
        `DURATION=${DURATION_S}s`,
        '-e',
        `OUT=${bareSummary}`,
        scriptPath,
      ],
      { K6_NO_USAGE_REPORT: 'true' },
    );
    const bareRequests = httpReqs(await readFile(bareSummary, 'utf8'));

    const jRate = journeysRequests / journeys.cpuS;
    const bRate = bareRequests / bare.cpuS;
    return [
      {
        bench: 'journeys-vs-bare-k6',
        value: Number((jRate / bRate).toFixed(3)),
        unit: 'x',
        target: '>=0.8',
        baseline: 'a bare k6 script sending the same recorded requests at the same pace, same run',
        journeysRequestsPerCpuS: Math.round(jRate),
        bareRequestsPerCpuS: Math.round(bRate),
        journeysRequests,
        bareRequests,
        journeysCpuS: round2(journeys.cpuS),
        bareCpuS: round2(bare.cpuS),
        journeysExit: journeys.code,
        bareExit: bare.code,
      },
    ];
  } finally {
    await recorder.close();
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** Runs k6 and samples its CPU from /proc until it exits (the last sample is ≤ 20 ms old). */
async function runMeasured(
  command: string,
  args: string[],
  env: Record<string, string>,
): Promise<{ cpuS: number; code: number | null }> {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const kill = setTimeout(() => child.kill('SIGKILL'), KILL_AFTER_MS);
  let ticks = 0;
  const sample = () => {
    try {
      const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields from 3 (state) on
      ticks = Math.max(ticks, Number(f[11]) + Number(f[12])); // utime (14), stime (15)
    } catch {
      /* exited */
    }
  };
  const timer = setInterval(sample, 20);
  const code = await new Promise<number | null>((ok) => child.on('close', ok));
  clearInterval(timer);
  clearTimeout(kill);
  if (code !== 0) throw new Error(`k6 exited ${code}: ${stderr.slice(-2000)}`);
  return { cpuS: ticks / CLK_TCK, code };
}

function httpReqs(summaryText: string): number {
  return (
    (JSON.parse(summaryText) as { metrics: Record<string, { values: Record<string, number> } | undefined> }).metrics
      .http_reqs?.values.count ?? 0
  );
}

/** A pass-through proxy that records every request (method, path, body, headers) until stopped. */
async function startRecorder(upstream: string) {
  const target = new URL(upstream);
  let recording: Recorded[] | undefined = [];
  const keep = (h: IncomingHttpHeaders) =>
    Object.fromEntries(
      Object.entries(h).filter(
        ([k, v]) => typeof v === 'string' && !['host', 'connection', 'content-length', 'user-agent'].includes(k),
      ),
    ) as Record<string, string>;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      recording?.push({
        m: req.method ?? 'GET',
        p: req.url ?? '/',
        h: keep(req.headers),
        ...(body.length ? { b: body.toString('utf8') } : {}),
      });
      const up = httpRequest(
        {
          host: target.hostname,
          port: target.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: target.host },
        },
        (r) => {
          res.writeHead(r.statusCode ?? 502, r.headers);
          r.pipe(res);
        },
      );
      up.on('error', () => res.writeHead(502).end());
      up.end(body);
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: (): Recorded[] => {
      const r = recording ?? [];
      recording = undefined;
      return r;
    },
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

const round2 = (n: number) => Math.round(n * 100) / 100;
