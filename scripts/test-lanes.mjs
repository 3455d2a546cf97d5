// How `npm test` spends the machine's cores. Plain Node (runs before npm deps exist); pure.
//
// 1. Three lanes side by side: the unit tests (two files at a time); the integration tests that
//    start the replica (or a whole rehearsal), one at a time; and the integration tests marked
//    `// test lane: beside`, which start no replica and mostly wait (moto, fake stores, small k6
//    runs), one at a time.
// 2. Then the integration tests marked `// test lane: alone`, one at a time with nothing beside
//    them: they measure CPU time or throughput under a CPU cap (capacity knees, autoscaling, a
//    request's cost), and a neighbour's load would move what they measure.
// An unmarked integration test runs in the replica lane. Two replica tests at once raced: both
// MariaDBs cleaned the shared /tmp (fixed: each has its own tmpdir), and an HAProxy once exited
// without a word; until that is understood, replicas come up one at a time.

export const LANE_MARK = /^\/\/ test lane: (beside|alone)\b/m;

/** Which lane a test file's text asks for: 'beside', 'alone' or 'replica' (the default). */
export function laneOf(text) {
  return LANE_MARK.exec(text)?.[1] ?? 'replica';
}

/**
 * Phases to run one after another; each phase is lanes to run side by side; each lane is the
 * arguments of one `node --import tsx` process. `read(file)` returns the file's text.
 */
export function testPhases({ unit, integration, parallel, read }) {
  const lanes = { replica: [], beside: [], alone: [] };
  for (const f of integration) lanes[laneOf(read(f))].push(f);
  const lane = (files, concurrency) => files.length && ['--test', `--test-concurrency=${concurrency}`, ...files];
  return [[lane(unit, parallel), lane(lanes.replica, 1), lane(lanes.beside, 1)], [lane(lanes.alone, 1)]]
    .map((phase) => phase.filter(Boolean))
    .filter((phase) => phase.length);
}
