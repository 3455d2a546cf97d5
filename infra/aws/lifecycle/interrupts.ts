// Ctrl-C during `stack up` on AWS: the first one aborts (Terraform gets exactly one SIGINT and
// stops cleanly, then Rehearse tears down what this up created); every further one is ignored
// with a message, because killing Node in the middle of a teardown leaves resources nothing tracks.
// Terraform runs detached (its own process group), so the terminal's Ctrl-C reaches only Node.
export interface Interrupts {
  signal: AbortSignal;
  /** Removes the handler; Ctrl-C behaves as before. */
  dispose(): void;
}

export const IGNORED_INTERRUPT =
  'already stopping: Terraform is finishing cleanly and what this up created is being torn down; ' +
  'further Ctrl-C is ignored so nothing is left half-destroyed (if you must stop it, `kill` the process, then run `rehearse reap`)';

export function catchInterrupts(log: (line: string) => void, proc: NodeJS.EventEmitter = process): Interrupts {
  const abort = new AbortController();
  const onSigint = () => {
    if (abort.signal.aborted) return log(IGNORED_INTERRUPT);
    log('interrupted: stopping Terraform (one SIGINT) and tearing down what this up created');
    abort.abort();
  };
  proc.on('SIGINT', onSigint);
  return { signal: abort.signal, dispose: () => proc.off('SIGINT', onSigint) };
}
