// Types shared by the controller (run-distributed.ts), its launchers and the fault report: their
// own module, so those files import each other's data shapes without importing each other.
export interface PartialRunner {
  runner: string;
  segment: string;
  reason: string;
}

export interface AgentExit {
  runner: string;
  code: number | null;
  signal: string | null;
  /** When the controller saw it exit, ms since epoch. */
  at: number;
  /** Why it ended without a done marker, when the launcher knows better than an exit code (a fleet runner that stopped reporting). */
  reason?: string;
}

export interface RunnerShare {
  runner: string;
  segment: string;
  share: number;
  requests: number;
  /** Journey starts it ran: iterations + dropped iterations. */
  starts: number;
}

/** What the fault report asks the launcher about runners the store cannot tell it about. */
export interface FaultHints {
  /** Appended to "no runner claimed this segment, so its share never ran", e.g. "; agents that failed: …". */
  unclaimed(): Promise<string>;
  /** The last thing a failed runner said (its log), or "". */
  lastWords(runner: string): Promise<string>;
}
