// Puts process.env back as it was, in place. Assigning a copy to process.env would leave whoever
// kept the old object (zx's $.env, a client built earlier) with the test's values, and unit test
// files share one process (scripts/test-lanes.mjs).

/** A copy of process.env now, and the function that restores exactly it. */
export function saveEnv(): () => void {
  const saved = { ...process.env };
  return () => {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  };
}
