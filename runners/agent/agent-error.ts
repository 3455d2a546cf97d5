// The agent could not run (bad input, no run to join, no segment left, start time passed): exit 2,
// nothing half-written. Its own file: run-agent.ts and find-run.ts both throw it.
export class AgentError extends Error {
  override name = 'AgentError';
  readonly exitCode = 2;
}
