// How `npm test` spends the machine's cores. Plain Node (runs before npm deps exist); pure.
//
// 1. Lanes side by side: the unit tests in `parallel` batches; the integration tests that start the
//    replica (or a whole rehearsal), two at a time; and the integration tests marked
//    `// test lane: beside`, which start no replica and mostly wait (moto, fake stores, small k6
//    runs), two at a time.
// 2. Then the integration tests marked `// test lane: alone`, one at a time with nothing beside
//    them: they measure CPU time or throughput under a CPU cap (capacity knees, autoscaling, a
//    request's cost), and a neighbour's load would move what they measure.
// An unmarked integration test runs in the replica lane. Each replica has its own state dir, port
// range (below the ephemeral ports), cgroups and MariaDB tmpdir. Two at once once lost an HAProxy
// "without a word", most likely the start-up wait that read /proc/<pid>/cmdline (a busy kernel can
// return it empty; it now asks whether the process exists); it has not recurred since.
//
// A unit batch is one process that imports its files in turn, each inside a describe() named for
// the file, so a file's before/after hooks still wrap only its own tests. `node --test` would spawn
// a process per file: with tsx and the shared libraries loaded again each time, that was half the
// unit tests' CPU time (Node 20 has no --experimental-test-isolation=none). What a batch does not
// isolate is process state: a unit test that changes process.env or the cwd puts it back in place.

export const LANE_MARK = /^\/\/ test lane: (beside|alone)\b/m;

/** Which lane a test file's text asks for: 'beside', 'alone' or 'replica' (the default). */
export function laneOf(text) {
  return LANE_MARK.exec(text)?.[1] ?? 'replica';
}

/**
 * The source of a unit batch (`node --import tsx --input-type=module -e <source>`). A file that
 * fails to load becomes a failing test, so the run's "# fail" count says so, not just its exit code.
 */
export function batchSource(files, rootUrl) {
  const lines = files.map((f) => {
    const url = JSON.stringify(new URL(f, rootUrl).href);
    return `describe(${JSON.stringify(f)}, async () => { try { await import(${url}); } catch (err) { test('the file loads', () => { throw err; }); } });`;
  });
  return ["import { describe, test } from 'node:test';", ...lines].join('\n');
}

/**
 * Phases to run one after another; each phase is lanes to run side by side; each lane is one
 * `node --import tsx ...args` process running `files`. `read(file)` returns a file's text;
 * `rootUrl` is the repository's file URL with a trailing slash (the unit batches import from it).
 */
export function testPhases({ unit, integration, parallel, read, rootUrl }) {
  const lanes = { replica: [], beside: [], alone: [] };
  for (const f of integration) lanes[laneOf(read(f))].push(f);
  const lane = (files, concurrency) =>
    files.length && { files, args: ['--test', `--test-concurrency=${concurrency}`, ...files] };
  // Round robin over the sorted files: neighbouring files are alike in cost, so the batches even out.
  const batches = Array.from({ length: Math.min(parallel, unit.length) }, (_, i) =>
    unit.filter((_, j) => j % parallel === i),
  );
  const batch = (files) => ({
    files,
    args: ['--test-reporter=tap', '--input-type=module', '-e', batchSource(files, rootUrl)],
  });
  return [[...batches.map(batch), lane(lanes.replica, 2), lane(lanes.beside, 2)], [lane(lanes.alone, 1)]]
    .map((phase) => phase.filter(Boolean))
    .filter((phase) => phase.length);
}
