// What the pipeline needs of a progress display; the CLI gives it one that suits the terminal.
export interface Progress {
  update(line: string): void;
  /** Ends the live line so later output starts on a fresh one. */
  done(): void;
}

export const NO_PROGRESS: Progress = { update: () => {}, done: () => {} };
