// The agent could not run (bad input, no run to join, no segment left, start time passed): exit 2,
// nothing half-written. Its own file: run-agent.ts and find-run.ts both throw it.
import { InputError } from '../../errors/errors.ts';
export class AgentError extends InputError {}
