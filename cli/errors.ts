// Exit codes are part of the CLI's contract (README "Exit codes"); every failure maps to one.
export const EXIT = {
  ok: 0,
  gateFailed: 1,
  usage: 2,
  runFailed: 3,
  interrupted: 130,
} as const;

/** Bad input the user can fix: a file, a field, a flag. Exit 2. */
export class InputError extends Error {
  readonly exitCode: number = EXIT.usage;
}

/** The environment or the target let the run down (a process would not start, k6 crashed). Exit 3. */
export class RunError extends Error {
  readonly exitCode: number = EXIT.runFailed;
}

/** Ctrl-C before anything worth keeping existed. Exit 130, like a shell. */
export class InterruptedError extends Error {
  readonly exitCode: number = EXIT.interrupted;
}

/** Errors other stages throw for bad input carry these names; they all mean exit 2. */
const INPUT_ERROR_NAMES = new Set(['InputError', 'ProfileError', 'PlanError', 'RecordError', 'ZodError', 'SloError', 'PriceBookError']);

export function exitCodeFor(err: unknown): number {
  if (err && typeof err === 'object') {
    const code = (err as { exitCode?: unknown }).exitCode;
    if (typeof code === 'number') return code;
    // Subclasses often keep name "Error"; their constructor still says what they are.
    const names = [(err as { name?: unknown }).name, (err as object).constructor?.name];
    if (names.some((n) => typeof n === 'string' && INPUT_ERROR_NAMES.has(n))) return EXIT.usage;
  }
  return EXIT.runFailed;
}
